"""The assessment service keeps its own projection of registry events, exactly once."""

from assessment.adapters.tables import (
    projected_employments,
    projected_graduates,
    projected_organizations,
    projected_programs,
)
from sqlalchemy import select

from shared.platform.messaging import outbox
from tests.integration.assessment.world import build_world
from tests.integration.registry.conftest import (
    MINISTRY,
    create_graduate,
    create_organization,
    drained,
    headers,
    institution_with_program,
)
from tests.support import eventually


async def rows(client, table) -> list[dict]:
    engine = client.app.state.runtime.engine
    async with engine.connect() as conn:
        return [dict(r) for r in (await conn.execute(select(table))).mappings()]


async def test_registry_changes_reach_the_assessment_projection(platform):
    registry, assessment = platform
    institution, program = await institution_with_program(registry)
    employer = await create_organization(
        registry, kind="employer", subtype="J", tax_id="301234567", region_code="UZ-TK"
    )
    graduate = await create_graduate(registry, program)
    employed = await registry.post(
        "/api/v1/employments",
        headers=headers("employer", org=employer["id"]),
        json={
            "graduate_id": graduate["id"],
            "employer_id": employer["id"],
            "start_date": "2025-09-01",
            "position": "Developer",
            "isco_code": "2512",
            "in_field": True,
        },
    )
    assert employed.status_code == 201, employed.text

    employments = await eventually(
        lambda: rows(assessment, projected_employments),
        until=lambda rs: len(rs) == 1,
        what="employment projected",
    )
    assert employments[0]["employer_id"] == employer["id"]
    assert employments[0]["institution_id"] == institution["id"]
    assert employments[0]["program_id"] == program["id"]
    assert {r["id"] for r in await rows(assessment, projected_graduates)} == {graduate["id"]}
    assert {r["id"] for r in await rows(assessment, projected_programs)} == {program["id"]}
    assert {r["id"]: r["kind"] for r in await rows(assessment, projected_organizations)} == {
        institution["id"]: "education",
        employer["id"]: "employer",
    }

    ended = await registry.post(
        f"/api/v1/employments/{employed.json()['id']}/end",
        headers=MINISTRY,
        json={"end_date": "2026-06-30"},
    )
    assert ended.status_code == 200, ended.text
    await eventually(
        lambda: rows(assessment, projected_employments),
        until=lambda rs: str(rs[0]["end_date"]) == "2026-06-30",
        what="end date projected",
    )


async def test_who_confirmed_an_employment_reaches_the_projection_and_outlives_its_end(
    platform,
):
    registry, assessment = platform
    await build_world(registry, assessment, employed=1)  # the institution confirms
    (employment,) = await rows(assessment, projected_employments)
    assert (employment["state"], employment["changed_by"]) == ("confirmed", "institution")

    ended = await registry.post(
        f"/api/v1/employments/{employment['id']}/end",
        headers=MINISTRY,
        json={"end_date": "2026-06-30"},
    )
    assert ended.status_code == 200, ended.text
    (employment,) = await eventually(
        lambda: rows(assessment, projected_employments),
        until=lambda rs: rs[0]["end_date"] is not None,
        what="end date projected",
    )
    # An end carries no changer: the projection keeps who confirmed it.
    assert (employment["state"], employment["changed_by"]) == ("confirmed", "institution")


def consumed(assessment, outcome: str) -> float:
    counter = assessment.app.state.runtime.metrics.consumed
    return counter.labels("educluster.assessment.registry-projection", outcome)._value.get()


async def test_redelivered_registry_events_change_nothing_in_the_projection(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=2)
    tables = (
        projected_organizations,
        projected_programs,
        projected_graduates,
        projected_employments,
    )
    before = [await rows(assessment, t) for t in tables]
    processed = consumed(assessment, "processed")
    await drained(registry)

    async with registry.app.state.runtime.engine.begin() as conn:
        republished = await outbox.mark_for_republish(conn)
    # Besides the seeded regions (which this projection ignores): 2 organizations, a program,
    # 2 graduates, 2 employments and their 2 confirmations.
    projected_events = 9
    assert republished > projected_events

    async def duplicates() -> float:
        return consumed(assessment, "duplicate")

    await eventually(
        duplicates,
        until=lambda n: n == projected_events,
        what="every redelivered event recognised as a duplicate",
    )
    assert consumed(assessment, "processed") == processed
    assert [await rows(assessment, t) for t in tables] == before
    assert len(world.graduates) == 2
