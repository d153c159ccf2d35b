"""The merged OpenAPI and the AsyncAPI documents are generated, valid, complete and committed."""

import gzip
import json
from pathlib import Path

import jsonschema
import yaml
from openapi_spec_validator import validate

from educluster.documents import merged_openapi, service_apps
from shared.contracts.asyncapi import render_asyncapi
from shared.contracts.schema import catalogue
from shared.platform.names import EVENT_TOPICS

ROOT = Path(__file__).resolve().parents[2]
ASYNCAPI_SCHEMA = ROOT / "tests" / "fixtures" / "asyncapi-3.0.0-schema.json.gz"


def merged() -> dict:
    return merged_openapi()


def test_docs_openapi_json_is_the_generated_merged_document_run_make_schemas_if_not():
    expected = json.dumps(merged(), indent=1, sort_keys=True) + "\n"
    assert (ROOT / "docs" / "openapi.json").read_text() == expected


def test_the_merged_openapi_document_is_valid_and_covers_every_service_route():
    document = json.loads(json.dumps(merged()))
    validate(document)
    for service, build in service_apps().items():
        for path in build().openapi()["paths"]:
            if path.startswith("/api/v1/"):
                assert path in document["paths"], (service, path)
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_docs_asyncapi_yaml_is_the_generated_document_run_make_schemas_if_not():
    assert (ROOT / "docs" / "asyncapi.yaml").read_text() == render_asyncapi()


def test_the_asyncapi_document_parses_and_validates_against_the_asyncapi_3_schema():
    document = yaml.safe_load(render_asyncapi())
    schema = json.loads(gzip.decompress(ASYNCAPI_SCHEMA.read_bytes()))
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(document))
    assert errors == []
    names = {m["name"] for m in document["components"]["messages"].values()}
    assert names == set(catalogue())
    topics = {c["address"] for c in document["channels"].values()}
    assert topics == set(EVENT_TOPICS)


def test_a_message_payload_is_the_cloudevents_envelope_around_its_typed_data():
    document = yaml.safe_load(render_asyncapi())
    message = document["components"]["messages"]["quality.score.updated.v1"]
    payload = message["payload"]
    assert payload["properties"]["type"] == {"const": "educluster.quality.score.updated.v1"}
    figure_ref = payload["properties"]["data"]["properties"]["index"]["$ref"]
    assert figure_ref == "#/components/schemas/Figure"
    assert "Figure" in document["components"]["schemas"]
