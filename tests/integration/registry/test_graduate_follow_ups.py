"""Follow-ups: what a graduate's institution learnt of the graduate's activity and the day it
held, set through the graduate's PATCH, read by the institution and the ministry only."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from registry.adapters import tables
from sqlalchemy import Table, select

from shared.platform.db.engine import create_engine
from shared.platform.db.migrations import downgrade, upgrade
from shared.platform.names import REGISTRY_TOPIC
from tests.integration.ledger import kafka_settings
from tests.integration.registry.conftest import (
    MINISTRY,
    as_institution,
    create_graduate,
    drained,
    headers,
    institution_with_program,
)
from tests.integration.registry.test_employment_provenance import confirmed
from tests.integration.registry.test_employments import as_employer, record, world
from tests.integration.registry.test_graduate_import import HEADER, import_csv
from tests.integration.topic_reader import read_topic

FOLLOW_UP = {"follow_up_outcome": "not_employed", "follow_up_on": "2025-03-14"}
CLEARED = {"follow_up_outcome": None, "follow_up_on": None}


def follow_up_of(graduate: dict) -> dict:
    return {name: graduate[name] for name in FOLLOW_UP}


async def set_follow_up(registry, graduate: dict, body: dict, *, auth):
    return await registry.patch(f"/api/v1/graduates/{graduate['id']}", headers=auth, json=body)


async def test_a_follow_up_the_institution_sets_is_read_by_it_and_the_ministry_only(registry):
    institution, _, graduate, employer = await world(registry)
    await confirmed(registry, institution, await record(registry, graduate, employer))
    own = as_institution(institution)
    changed = await set_follow_up(registry, graduate, FOLLOW_UP, auth=own)
    assert changed.status_code == 200, changed.text
    assert follow_up_of(changed.json()) == FOLLOW_UP

    one = f"/api/v1/graduates/{graduate['id']}"
    for reader in (own, MINISTRY):
        assert follow_up_of((await registry.get(one, headers=reader)).json()) == FOLLOW_UP
    for reader in (as_employer(employer), headers("regional_authority", region="UZ-SA")):
        read = await registry.get(one, headers=reader)
        assert read.status_code == 200, read.text
        assert follow_up_of(read.json()) == CLEARED


async def test_a_follow_up_is_announced_once_in_graduate_updated_and_so_is_clearing_it(
    registry, broker
):
    institution, program = await institution_with_program(registry)
    graduate = await create_graduate(registry, program)
    own = as_institution(institution)
    assert (await set_follow_up(registry, graduate, FOLLOW_UP, auth=own)).status_code == 200
    again = await set_follow_up(registry, graduate, FOLLOW_UP, auth=MINISTRY)
    assert again.status_code == 200  # the same follow-up: no change, no event
    cleared = await set_follow_up(registry, graduate, CLEARED, auth=own)
    assert cleared.status_code == 200, cleared.text
    assert follow_up_of(cleared.json()) == CLEARED
    got = await registry.get(f"/api/v1/graduates/{graduate['id']}", headers=own)
    assert follow_up_of(got.json()) == CLEARED
    await drained(registry)

    records = await read_topic(kafka_settings(broker.bootstrap_servers), REGISTRY_TOPIC)
    updates = [
        json.loads(r.value)["data"]
        for r in records
        if json.loads(r.value)["type"] == "educluster.registry.graduate.updated.v1"
    ]
    assert [follow_up_of(data) for data in updates] == [FOLLOW_UP, CLEARED]


async def test_a_graduate_import_keeps_the_follow_up_and_announces_it_with_the_change(
    registry, broker
):
    institution, program = await institution_with_program(registry)
    graduate = await create_graduate(registry, program)
    own = as_institution(institution)
    assert (await set_follow_up(registry, graduate, FOLLOW_UP, auth=own)).status_code == 200
    renamed = f"{HEADER}\n{graduate['student_ref']},Dilnoza Karimova,{program['id']},2024\n"
    imported = await import_csv(registry, renamed, auth=own)
    assert imported.json()["updated"] == 1, imported.text
    got = await registry.get(f"/api/v1/graduates/{graduate['id']}", headers=own)
    assert (got.json()["full_name"], follow_up_of(got.json())) == ("Dilnoza Karimova", FOLLOW_UP)
    await drained(registry)

    records = await read_topic(kafka_settings(broker.bootstrap_servers), REGISTRY_TOPIC)
    updates = [
        json.loads(r.value)["data"]
        for r in records
        if json.loads(r.value)["type"] == "educluster.registry.graduate.updated.v1"
    ]
    assert [follow_up_of(data) for data in updates] == [FOLLOW_UP, FOLLOW_UP]


TOMORROW = object()  # a follow-up date the test makes tomorrow when it runs


@pytest.mark.parametrize(
    ("before", "change", "field"),
    [
        ({}, {"follow_up_outcome": "employed"}, "follow_up_on"),
        ({}, {"follow_up_on": "2025-03-14"}, "follow_up_outcome"),
        ({}, {"follow_up_outcome": "employed", "follow_up_on": None}, "follow_up_on"),
        (FOLLOW_UP, {"follow_up_on": None}, "follow_up_on"),
        (FOLLOW_UP, {"follow_up_outcome": None}, "follow_up_outcome"),
        ({}, {**FOLLOW_UP, "follow_up_outcome": "retired"}, "follow_up_outcome"),
        ({}, {**FOLLOW_UP, "follow_up_on": "soon"}, "follow_up_on"),
        ({}, {**FOLLOW_UP, "follow_up_on": TOMORROW}, "follow_up_on"),
        ({}, {**FOLLOW_UP, "follow_up_on": "2023-12-31"}, "follow_up_on"),
        ({}, {**FOLLOW_UP, "graduation_year": 2025, "follow_up_on": "2024-12-31"}, "follow_up_on"),
        (FOLLOW_UP, {"graduation_year": 2026}, "follow_up_on"),
    ],
)
async def test_an_invalid_follow_up_is_refused_naming_the_field(registry, before, change, field):
    # Tomorrow as of the test's run, not of its collection (a run across midnight failed).
    tomorrow = str(date.today() + timedelta(days=1))
    change = {key: tomorrow if value is TOMORROW else value for key, value in change.items()}
    _, program = await institution_with_program(registry)
    graduate = await create_graduate(registry, program)  # graduated in 2024
    if before:
        graduate = (await set_follow_up(registry, graduate, before, auth=MINISTRY)).json()
    response = await set_follow_up(registry, graduate, change, auth=MINISTRY)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["loc"] == ["body", field]
    got = await registry.get(f"/api/v1/graduates/{graduate['id']}", headers=MINISTRY)
    assert got.json() == graduate


async def test_a_follow_up_may_fall_on_the_first_day_of_the_graduation_year_or_today(registry):
    _, program = await institution_with_program(registry)
    graduate = await create_graduate(registry, program)
    for day in ("2024-01-01", str(date.today())):
        body = {"follow_up_outcome": "further_study", "follow_up_on": day}
        changed = await set_follow_up(registry, graduate, body, auth=MINISTRY)
        assert changed.status_code == 200, changed.text
        assert follow_up_of(changed.json()) == body
    outcome_only = await set_follow_up(
        registry, graduate, {"follow_up_outcome": "self_employed"}, auth=MINISTRY
    )
    assert outcome_only.status_code == 200, outcome_only.text
    assert outcome_only.json()["follow_up_on"] == str(date.today())


async def test_only_the_graduates_institution_or_the_ministry_sets_a_follow_up(registry):
    institution, _, graduate, employer = await world(registry)
    other, _ = await institution_with_program(registry, tax_id="301234567")
    await confirmed(registry, institution, await record(registry, graduate, employer))
    for caller in (
        as_institution(other),
        as_employer(employer),
        headers("regional_authority", region="UZ-SA"),
    ):
        refused = await set_follow_up(registry, graduate, FOLLOW_UP, auth=caller)
        assert refused.status_code == 403, refused.text
    unknown = await set_follow_up(registry, {"id": "no-such-graduate"}, FOLLOW_UP, auth=MINISTRY)
    assert unknown.status_code == 404
    got = await registry.get(f"/api/v1/graduates/{graduate['id']}", headers=MINISTRY)
    assert follow_up_of(got.json()) == CLEARED


async def test_the_migration_keeps_existing_graduates_without_a_follow_up(make_database_url):
    url = await make_database_url("registry")
    await upgrade("registry", url, "registry_0005")
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            for table, row in an_existing_graduate():
                # Only the columns revision 0005 has: the table as it was then.
                await conn.execute(table.insert().values(row))
        await upgrade("registry", url)
        async with engine.connect() as conn:
            c = tables.graduates.c
            row = (await conn.execute(select(c.id, c.follow_up_outcome, c.follow_up_on))).one()
        assert tuple(row) == ("g-1", None, None)

        await downgrade("registry", url, "registry_0005")
        async with engine.connect() as conn:
            kept = await conn.scalar(select(tables.graduates.c.full_name))
        assert kept == "Dilnoza Karimova"
    finally:
        await engine.dispose()


def an_existing_graduate() -> list[tuple[Table, dict]]:
    at = {
        "created_at": datetime(2025, 1, 1, tzinfo=UTC),
        "updated_at": datetime(2025, 1, 1, tzinfo=UTC),
    }
    names = {"name_uz": "Samarqand", "name_ru": "Самарканд", "name_en": "Samarkand"}
    return [
        (tables.regions, {"code": "UZ-SA", "country": "UZ", **names, **at}),
        (
            tables.organizations,
            {
                "id": "u-1",
                "kind": "education",
                "subtype": "university",
                "name": "University",
                "region_code": "UZ-SA",
                "tax_id": "201234567",
                "active": True,
                **at,
            },
        ),
        (
            tables.programs,
            {
                "id": "p-1",
                "institution_id": "u-1",
                "code": "60610100",
                "name": "Program",
                "level": "6",
                "field_code": "0613",
                "language": "uz",
                "active": True,
                **at,
            },
        ),
        (
            tables.graduates,
            {
                "id": "g-1",
                "institution_id": "u-1",
                "program_id": "p-1",
                "graduation_year": 2024,
                "student_ref": "S-1",
                "full_name": "Dilnoza Karimova",
                "active": True,
                **at,
            },
        ),
    ]
