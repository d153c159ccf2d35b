"""An employer may mark a competency "not required" (the job does not need it) apart from "not
observed": both are a null rating, and `not_required` lists the codes of the first (issue 18)."""

from datetime import UTC, datetime

from assessment.adapters.sql_repositories import SqlAssessmentRepository
from assessment.adapters.tables import assessments
from sqlalchemy.ext.asyncio import AsyncSession

from shared.platform.db.engine import create_engine
from shared.platform.db.migrations import upgrade
from tests.integration.assessment.test_assessment_rules import problem_loc
from tests.integration.assessment.test_assessments import assessment_events
from tests.integration.assessment.world import PERIOD, RATINGS, build_world

NUMERACY = "foundation.numeracy"
DIGITAL = "digital.information_data_literacy"  # null in RATINGS
UNRATED = {**RATINGS, NUMERACY: None}
BEFORE = "assessment_0008"  # the revision before the not_required column


def content_of(body: dict) -> dict:
    """What a revision (PUT) of ``body`` sends besides its ratings and not_required."""
    return {k: body[k] for k in ("overall_satisfaction", "preparedness", "would_hire_again")}


async def test_not_required_is_stored_returned_revised_kept_in_history_and_announced(
    platform, broker
):
    registry, assessment = platform
    world = await build_world(registry, assessment)
    body = world.assessment_body(world.graduates[0], ratings=UNRATED, not_required=[NUMERACY])

    submitted = await assessment.post("/api/v1/assessments", headers=world.as_employer, json=body)
    assert submitted.status_code == 201, submitted.text
    assert submitted.json()["not_required"] == [NUMERACY]
    assert submitted.json()["ratings"] == UNRATED  # still null: never a rating
    path = f"/api/v1/assessments/{submitted.json()['id']}"
    read = await assessment.get(path, headers=world.as_employer)
    assert read.json()["not_required"] == [NUMERACY]
    listed = await assessment.get("/api/v1/assessments", headers=world.as_employer)
    assert listed.json()["items"][0]["not_required"] == [NUMERACY]

    content = content_of(body)
    both = {**content, "ratings": UNRATED, "not_required": [NUMERACY, DIGITAL, NUMERACY]}
    revised = await assessment.put(path, headers=world.as_employer, json=both)
    assert revised.status_code == 200, revised.text
    assert revised.json()["revision"] == 2
    assert revised.json()["not_required"] == [DIGITAL, NUMERACY]  # each once, in code order
    reordered = {**both, "not_required": [DIGITAL, NUMERACY]}
    unchanged = await assessment.put(path, headers=world.as_employer, json=reordered)
    assert unchanged.json()["revision"] == 2  # the same codes: no revision, no event
    # PUT replaces the content: left out, nothing is marked not required any more.
    cleared = await assessment.put(
        path, headers=world.as_employer, json={**content, "ratings": UNRATED}
    )
    assert cleared.json()["revision"] == 3 and cleared.json()["not_required"] == []

    history = await assessment.get(f"{path}/history", headers=world.as_employer)
    assert [h["state"]["not_required"] for h in history.json()] == [
        [NUMERACY],
        [DIGITAL, NUMERACY],
        [],
    ]

    events = await assessment_events(assessment, broker)
    data = [e["data"] for _, e in events]
    assert [d["revision"] for d in data] == [1, 2, 3]
    assert [d.get("not_required") for d in data] == [[NUMERACY], [DIGITAL, NUMERACY], None]
    assert "not_required" not in data[2]  # none marked: the event is as before the field
    assert data[0]["ratings"] == UNRATED


async def test_an_assessment_without_not_required_reads_back_with_none(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment)
    body = world.assessment_body(world.graduates[0])
    submitted = await assessment.post("/api/v1/assessments", headers=world.as_employer, json=body)
    assert submitted.status_code == 201, submitted.text
    assert submitted.json()["not_required"] == []
    assert submitted.json()["ratings"][DIGITAL] is None  # not observed


async def test_a_code_not_in_the_framework_or_rated_is_refused_naming_its_position(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment)
    body = world.assessment_body(world.graduates[0], ratings=UNRATED)

    async def post(not_required):
        return await assessment.post(
            "/api/v1/assessments",
            headers=world.as_employer,
            json={**body, "not_required": not_required},
        )

    for not_required, index, says in (
        ([NUMERACY, "made.up"], 1, "is not a competency"),
        (["foundation.oral_communication"], 0, "null rating"),  # rated 4
        ([DIGITAL, "technical.tools_and_technologies"], 1, "null rating"),  # absent from ratings
    ):
        refused = await post(not_required)
        assert refused.status_code == 422, refused.text
        assert problem_loc(refused) == ["body", "not_required", index]
        assert says in refused.json()["errors"][0]["msg"]
    malformed = await post(["Not A Code"])
    assert malformed.status_code == 422 and problem_loc(malformed) == ["body", "not_required", 0]
    listed = await assessment.get("/api/v1/assessments", headers=world.as_employer)
    assert listed.json()["items"] == []  # nothing refused was written

    created = await post([NUMERACY])
    assert created.status_code == 201, created.text
    path = f"/api/v1/assessments/{created.json()['id']}"
    rated = {**content_of(body), "ratings": {**UNRATED, NUMERACY: 3}, "not_required": [NUMERACY]}
    refused = await assessment.put(path, headers=world.as_employer, json=rated)
    assert refused.status_code == 422, refused.text
    assert problem_loc(refused) == ["body", "not_required", 0]
    kept = await assessment.get(path, headers=world.as_employer)
    assert (kept.json()["revision"], kept.json()["not_required"]) == (1, [NUMERACY])


async def test_a_bulk_submission_stores_not_required_and_refuses_a_wrong_one_by_position(
    platform,
):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=2)
    first, second = (
        world.assessment_body(g, ratings=UNRATED, not_required=[NUMERACY]) for g in world.graduates
    )

    async def bulk(items):
        return await assessment.post(
            "/api/v1/assessments/bulk", headers=world.as_employer, json={"items": items}
        )

    refused = await bulk([first, {**second, "not_required": [DIGITAL, "made.up"]}])
    assert refused.status_code == 422, refused.text
    assert [e["loc"] for e in refused.json()["errors"]] == [["body", "items", 1, "not_required", 1]]
    listed = await assessment.get("/api/v1/assessments", headers=world.as_employer)
    assert listed.json()["items"] == []

    accepted = await bulk([first, {**second, "not_required": []}])
    assert accepted.status_code == 201, accepted.text
    assert [a["not_required"] for a in accepted.json()["items"]] == [[NUMERACY], []]


async def test_an_assessment_stored_before_the_migration_reads_back_with_none_marked(
    make_database_url,
):
    url = await make_database_url("assessment")
    await upgrade("assessment", url, BEFORE)
    moment = datetime(2026, 1, 5, tzinfo=UTC)
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                assessments.insert().values(
                    id="a-1",
                    employer_id="e-1",
                    graduate_id="g-1",
                    period=PERIOD,
                    status="active",
                    revision=1,
                    institution_id="i-1",
                    program_id="p-1",
                    framework_id="f-1",
                    ratings=UNRATED,
                    overall_satisfaction=4,
                    preparedness=3,
                    would_hire_again=True,
                    comment=None,
                    submitted_at=moment,
                    updated_at=moment,
                )
            )
        await upgrade("assessment", url)
        async with AsyncSession(engine) as session:
            stored = await SqlAssessmentRepository(session).get("a-1")
    finally:
        await engine.dispose()
    assert stored is not None
    assert (stored.ratings, stored.not_required) == (UNRATED, [])
