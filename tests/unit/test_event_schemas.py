"""The event catalogue's JSON Schemas in docs/events are generated, and kept in step."""

import json
from pathlib import Path

from jsonschema import Draft202012Validator

from shared.contracts.catalogue.registry import ProgramRegistered
from shared.contracts.schema import catalogue, render_schemas
from shared.platform.messaging.envelope import new_event

DOCS = Path(__file__).resolve().parents[2] / "docs" / "events"


def test_docs_events_holds_exactly_the_generated_schemas_run_make_schemas_if_this_fails():
    on_disk = {p.name: p.read_text() for p in DOCS.glob("*.json")}
    assert on_disk == render_schemas()


def test_every_catalogue_type_follows_the_naming_rule_and_has_a_valid_schema():
    for name, text in render_schemas().items():
        event_type = name.removesuffix(".json")
        assert event_type.startswith("educluster.") and event_type.rsplit(".", 1)[1][0] == "v"
        Draft202012Validator.check_schema(json.loads(text))
    assert "educluster.registry.employment.recorded.v1" in catalogue()


def test_an_event_built_by_the_platform_validates_against_its_published_schema():
    payload = ProgramRegistered(
        program_id="p1",
        institution_id="i1",
        code="60610100",
        name="Software engineering",
        level="6",
        field_code="0613",
        language="uz",
        active=True,
    )
    event = new_event(payload, service="registry", subject="programs/p1")
    schema = json.loads(render_schemas()[f"{payload.event_type}.json"])
    Draft202012Validator(schema).validate(json.loads(event.model_dump_json(exclude_none=True)))
