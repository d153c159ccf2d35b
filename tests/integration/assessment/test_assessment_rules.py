"""Every way a submission is refused, and how: a problem naming the field, or 409 + Retry-After
when the projection may simply be behind."""

from tests.integration.assessment.conftest import running_assessment
from tests.integration.assessment.world import PERIOD, build_world, employ, settled
from tests.integration.registry.conftest import (
    MINISTRY,
    as_institution,
    create_graduate,
    headers,
    running_registry,
)
from tests.support import eventually


def problem_loc(response) -> list:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return response.json()["errors"][0]["loc"]


async def test_every_invalid_submission_is_refused_naming_the_field(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment)
    graduate = world.graduates[0]
    body = world.assessment_body(graduate)

    async def post(json, who=None):
        return await assessment.post(
            "/api/v1/assessments", headers=who or world.as_employer, json=json
        )

    invalid = {
        "unknown framework": ({**body, "framework_id": "nope"}, ["body", "framework_id"]),
        "unknown competency": (
            {**body, "ratings": {"made.up": 3}},
            ["body", "ratings", "made.up"],
        ),
        "rating above the scale": (
            {**body, "ratings": {"foundation.numeracy": 6}},
            ["body", "ratings", "foundation.numeracy"],
        ),
        "satisfaction below the scale": (
            {**body, "overall_satisfaction": 0},
            ["body", "overall_satisfaction"],
        ),
        "missing preparedness": (
            {k: v for k, v in body.items() if k != "preparedness"},
            ["body", "preparedness"],
        ),
        "not a yes/no": ({**body, "would_hire_again": "maybe"}, ["body", "would_hire_again"]),
        "future period": ({**body, "period": PERIOD + 1}, ["body", "period"]),
        "period before graduation": ({**body, "period": 2023}, ["body", "period"]),
        "unexpected field": ({**body, "salary": 100}, ["body", "salary"]),
        "comment too long": ({**body, "comment": "x" * 2001}, ["body", "comment"]),
    }
    for case, (json, loc) in invalid.items():
        response = await post(json)
        assert response.status_code == 422, (case, response.text)
        assert problem_loc(response)[: len(loc)] == loc, case

    for who in (MINISTRY, as_institution(world.institution), headers("employer", org="other")):
        assert (await post(body, who)).status_code == 403

    unknown = await post({**body, "graduate_id": "not-registered"})
    assert unknown.status_code == 409 and unknown.headers["Retry-After"] == "5"
    assert problem_loc(unknown) == ["body", "graduate_id"]
    assert "not known to the assessment service yet" in unknown.json()["detail"]

    stranger = await create_graduate(registry, world.program, student_ref="S-STRANGER")
    former = await create_graduate(registry, world.program, student_ref="S-FORMER")
    await employ(world, former, start="2024-07-01", end="2024-12-31")
    await settled(world, employments=2)
    never = await post({**body, "graduate_id": stranger["id"]})
    assert never.status_code == 409 and "Retry-After" in never.headers  # may be on its way
    gone = await post({**body, "graduate_id": former["id"]})
    assert gone.status_code == 422, gone.text  # known employment, not in this period
    assert "did not employ the graduate" in gone.json()["detail"]

    listed = await assessment.get("/api/v1/assessments", headers=world.as_employer)
    assert listed.json()["items"] == []  # nothing refused was written


async def test_a_submission_ahead_of_the_projection_is_told_to_retry_and_then_succeeds(
    make_database_url, broker
):
    async with running_registry(
        await make_database_url("registry"), broker.bootstrap_servers
    ) as registry:
        assessment_url = await make_database_url("assessment")
        async with running_assessment(assessment_url, broker.bootstrap_servers) as assessment:
            world = await build_world(registry, assessment, wait=False)
            body = world.assessment_body(world.graduates[0])
            early = await assessment.post(
                "/api/v1/assessments", headers=world.as_employer, json=body
            )
            assert early.status_code == 409, early.text
            assert int(early.headers["Retry-After"]) > 0

            async def retry():
                return await assessment.post(
                    "/api/v1/assessments", headers=world.as_employer, json=body
                )

            done = await eventually(
                retry, until=lambda r: r.status_code != 409, what="projection caught up"
            )
            assert done.status_code == 201, done.text


async def test_bulk_submission_is_all_or_nothing_with_an_error_per_refused_item(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=30)
    items = [world.assessment_body(g) for g in world.graduates]

    def bulk(json, key=None):
        extra = {"Idempotency-Key": key} if key else {}
        return assessment.post(
            "/api/v1/assessments/bulk", headers={**world.as_employer, **extra}, json=json
        )

    broken = [*items[:10], {**items[10], "ratings": {"made.up": 1}}, *items[11:], items[0]]
    refused = await bulk({"items": broken})
    assert refused.status_code == 422, refused.text
    assert [e["loc"][:3] for e in refused.json()["errors"]] == [
        ["body", "items", 10],
        ["body", "items", 30],  # the same graduate twice in one request
    ]
    assert "nothing was saved" in refused.json()["detail"]
    listed = await assessment.get("/api/v1/assessments", headers=world.as_employer)
    assert listed.json()["items"] == []

    behind = await bulk({"items": [{**items[0], "graduate_id": "not-yet-projected"}]})
    assert behind.status_code == 409 and behind.headers["Retry-After"] == "5"

    accepted = await bulk({"items": items}, key="bulk-1")
    assert accepted.status_code == 201, accepted.text
    assert len(accepted.json()["items"]) == 30
    replay = await bulk({"items": items}, key="bulk-1")
    assert replay.status_code == 201 and replay.json() == accepted.json()
    page = await assessment.get("/api/v1/assessments?limit=100", headers=world.as_employer)
    assert len(page.json()["items"]) == 30

    too_many = await bulk({"items": items * 34})
    assert too_many.status_code == 422 and problem_loc(too_many) == ["body", "items"]
