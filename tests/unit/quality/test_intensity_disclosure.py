"""Activity intensity under the small-cell rule: a program's cohort size below the threshold
is not shown (nor any rate per 100 of its graduates, which would give it back), and the
cluster's total cannot subtract a hidden cohort back out."""

import pytest
from quality.domain.scorecard import SECONDARY_REASON
from quality.service_layer.activities import intensity
from quality.service_layer.activities_goals import goal_progress

from tests.unit.quality.fakes import FakeQualityUnitOfWork
from tests.unit.quality.test_cluster_activities import (
    CLUSTER,
    MINISTRY,
    P1,
    P2,
    activities_world,
    activity,
    goal,
    placements,
    record,
)


@pytest.fixture
async def uow() -> FakeQualityUnitOfWork:
    return await activities_world()


SMALL = "fewer than 10 graduates"  # the reason the employment shares give


def rows(figures: dict) -> tuple[dict, dict]:
    years = {y["year"]: y for y in figures["years"]}
    programs = {(p["program_id"], p["year"]): p for p in figures["programs"]}
    return years, programs


def hidden(row: dict) -> bool:
    """Nothing in the row gives its cohort size: not the count, not a rate per 100 of it."""
    rates = [
        value
        for kind in row["placements"].values()
        for value in (kind["offered_per_100"], kind["filled_per_100"], kind["n"])
    ]
    return row["graduates"] is None and rates == [None] * len(rates)


async def test_a_small_cohort_is_hidden_with_the_reason_the_other_figures_give(uow):
    await record(uow, activity("a1", placements(P2, (2024, 4, 1))))

    _, programs = rows(await intensity(uow, MINISTRY, CLUSTER, year=2024))

    p2 = programs[P2, 2024]
    assert hidden(p2)
    assert p2["reason"] == SMALL
    assert p2["placements"]["internship"]["reason"] == SMALL
    assert (
        p2["placements"]["internship"]["offered"],
        p2["placements"]["internship"]["filled"],
    ) == (
        4,
        1,
    )


async def test_the_clusters_total_cannot_give_a_hidden_cohort_back(uow):
    # P1 (20 graduates) and P2 (5) both listed: the cluster's 25 less P1's 20 would be P2's 5.
    await record(
        uow,
        activity("a1", placements(P1, (2024, 10, 6))),
        activity("a2", placements(P2, (2024, 4, 1))),
    )

    years, programs = rows(await intensity(uow, MINISTRY, CLUSTER, year=2024))

    assert years[2024]["graduates"] == 25  # two hidden cohorts behind it: neither is given
    assert hidden(programs[P2, 2024]) and programs[P2, 2024]["reason"] == SMALL
    assert hidden(programs[P1, 2024]) and programs[P1, 2024]["reason"] == SECONDARY_REASON


async def test_a_small_member_program_no_activity_reaches_is_protected_too(uow):
    # Only P1 is listed; P2 (5 graduates) is not, so 25 − 20 would still be P2's cohort.
    await record(uow, activity("a1", placements(P1, (2024, 10, 6))))

    years, programs = rows(await intensity(uow, MINISTRY, CLUSTER, year=2024))

    p1, total = programs[P1, 2024], years[2024]["graduates"]
    assert total is None or p1["graduates"] is None
    assert hidden(p1) and p1["reason"] == SECONDARY_REASON


async def test_a_small_clusters_total_is_hidden_and_so_is_its_rate_per_graduate(
    uow: FakeQualityUnitOfWork,
):
    await record(uow, activity("a1", placements(P2, (2024, 4, 1))))
    for g in range(20):  # P1's graduates move to the cohort of 2023: P2's 5 remain
        await uow.projection.save_graduate(
            {"id": f"g{g}", "program_id": P1, "graduation_year": 2023, "active": True}
        )
    await record(uow, goal("g1", "internship_places_per_graduate", "0.5", measure="activity"))

    years, _ = rows(await intensity(uow, MINISTRY, CLUSTER, year=2024))
    assert hidden(years[2024]) and years[2024]["reason"] == SMALL

    (item,) = (await goal_progress(uow, MINISTRY, CLUSTER))["goals"]
    assert (item["status"], item["figure"]) == ("undetermined", None)
    assert SMALL in item["reason"]
