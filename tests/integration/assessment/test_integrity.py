"""The ministry's integrity checks over a period's active assessments, through the real
services: a planted straight-lining employer is flagged with the numbers behind the flag, the
report changes nothing, and no one else reads it."""

import pytest

from tests.integration.assessment.world import (
    PERIOD,
    assess,
    build_world,
    more_employers,
    settled,
)
from tests.integration.registry.conftest import MINISTRY, as_institution, headers

PATH = "/api/v1/assessments/integrity"
# Six competencies rated alike: a straight line.
STRAIGHT = {
    "foundation.oral_communication": 4,
    "foundation.numeracy": 4,
    "technical.professional_knowledge": 4,
    "technical.quality_of_work": 4,
    "collaborative.teamwork": 4,
    "digital.safety": 4,
    "digital.content_creation": None,
}
VARIED = {**STRAIGHT, "foundation.numeracy": 2, "digital.safety": 5}


async def test_a_straight_lining_employer_is_flagged_for_the_ministry_and_nothing_changes(
    platform,
):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=5)
    (other,) = await more_employers(world, 1, each=2)
    await settled(world, employments=7)
    for graduate in world.graduates:
        await assess(world, graduate, ratings=STRAIGHT)
    for i, graduate in enumerate(other.graduates):
        await assess(other, graduate, ratings=VARIED, overall_satisfaction=3 + i)

    response = await assessment.get(f"{PATH}?period={PERIOD}", headers=MINISTRY)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["period"], report["n"]) == (PERIOD, 7)
    employers = {e["employer_id"]: e for e in report["employers"]}
    liner = employers[world.employer["id"]]
    assert liner["flags"] == ["straight_lining"]
    assert liner["straight_lining"] == {
        "n": 5,
        "straight_lined": 5,
        "share": 1.0,
        "threshold": 0.5,
        "min_n": 5,
        "min_rated": 5,
        "flagged": True,
    }
    assert employers[other.employer["id"]]["flags"] == []
    assert employers[other.employer["id"]]["straight_lining"]["straight_lined"] == 0

    (program,) = report["programs"]
    assert program["program_id"] == world.program["id"] and program["n"] == 7
    assert program["flags"] == []  # fewer than 10 assessments: shown, not flagged
    assert program["dominant_employer"]["employer_id"] == world.employer["id"]
    assert program["dominant_employer"]["count"] == 5
    # Every employment was confirmed by the graduates' own institution (world.employ).
    assert program["self_confirmed"]["self_confirmed"] == 7
    assert program["self_confirmed"]["n"] == 7 and program["self_confirmed"]["share"] == 1.0

    # Shown, never applied: the institution's summary still counts every assessment.
    summary = await assessment.get(
        f"/api/v1/assessments/summary?program_id={world.program['id']}&period={PERIOD}",
        headers=MINISTRY,
    )
    assert summary.json()["n"] == 7
    empty = await assessment.get(f"{PATH}?period={PERIOD - 1}", headers=MINISTRY)
    assert empty.json() == {"period": PERIOD - 1, "n": 0, "programs": [], "employers": []}

    for who in (
        world.as_employer,
        as_institution(world.institution),
        headers("regional_authority", region="UZ-SA"),
        headers("operator"),
    ):
        refused = await assessment.get(f"{PATH}?period={PERIOD}", headers=who)
        assert refused.status_code == 403, who


@pytest.mark.parametrize("query", ["", "?period=", "?period=last", "?period=1800", "?period=3000"])
async def test_a_missing_or_impossible_period_is_refused_naming_it(platform, query):
    _, assessment = platform
    response = await assessment.get(f"{PATH}{query}", headers=MINISTRY)
    assert response.status_code == 422, response.text
    assert [e["loc"] for e in response.json()["errors"]] == [["query", "period"]]
