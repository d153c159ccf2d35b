"""Graduate flows in publications, on fakes: made with the first publication of a cohort's
census year after its census window has closed, protected together (a region against its
cluster), stored with it and carried by every later one, and read from the publication a
reader sees; the ministry keeps the live view."""

from datetime import date
from typing import Any

import pytest
from quality.domain.methodology import DEFAULT_CONTENT, from_json
from quality.service_layer.flows import cluster_flows, flows_due, region_flows
from quality.service_layer.reading import View

from shared.platform.auth import Identity
from shared.platform.errors import NotFound
from tests.unit.quality.fakes import FakeQualityUnitOfWork
from tests.unit.quality.test_flows import (
    CLUSTER,
    COHORT,
    MINISTRY,
    OTHER_PROGRAM,
    REGION,
    TODAY,
    by_flow,
    counts,
    employ,
    employed_world,
    expected,
    graduate,
)
from tests.unit.quality.test_publications import interim

PERIOD = COHORT + 1  # the census year: its publications state the cohort's flows
AUTHORITY = Identity(sub="r", role="regional_authority", region=REGION)
MEMBER = Identity(sub="e", role="employer", org="m0")


@pytest.fixture
async def uow() -> FakeQualityUnitOfWork:
    return await employed_world()


async def publish(uow: FakeQualityUnitOfWork, period: int = PERIOD) -> int:
    return (await interim(uow, period)).number


async def read(uow: FakeQualityUnitOfWork, who: Identity, **view: Any) -> dict[str, Any]:
    return await cluster_flows(uow, who, CLUSTER, cohort=COHORT, today=TODAY, view=View(**view))


async def test_a_region_with_one_institution_outside_its_cluster_does_not_give_it_away(
    uow: FakeQualityUnitOfWork,
):
    # The other school (not a member) has one employed graduate, outside the region: the
    # region's 41 less the cluster's 40 is that graduate, and the region's flows less the
    # cluster's would say where they work.
    await employ(uow, await graduate(uow, "o1", program_id=OTHER_PROGRAM), "x0")
    await publish(uow)

    region = await region_flows(uow, AUTHORITY, REGION, cohort=COHORT, today=TODAY, view=View())
    cluster = await read(uow, MEMBER)

    assert (region["n"], cluster["n"]) == (41, 40)
    region_counts, cluster_counts = counts(region), counts(cluster)
    learned = {
        flow: region_counts[flow] - cluster_counts[flow]  # type: ignore[operator]
        for flow in region_counts
        if region_counts[flow] is not None and cluster_counts[flow] is not None
    }
    assert learned.get("elsewhere") != 1 and sum(learned.values()) != 1, learned
    assert sum(c is not None for c in cluster_counts.values()) >= 2  # not everything hidden


async def test_everyone_but_the_ministry_reads_the_flows_of_the_latest_publication(
    uow: FakeQualityUnitOfWork,
):
    number = await publish(uow)

    answer = await read(uow, MEMBER)

    assert await read(uow, MINISTRY, publication=number) == answer  # pinned: the same
    assert answer["publication"] == {"number": number, "release": "provisional"}
    assert answer["n"] == 40 and by_flow(answer)["member_employers"] == expected(10, 40)
    assert answer["released_at"]
    summary = (await uow.publications.get(number)).summary["flows"]  # type: ignore[union-attr]
    # Every region the service knows (UZ-SA, and UZ-TO of the employers outside) and cluster.
    assert (summary["cohort"], summary["released_in"], summary["scopes"]) == (COHORT, number, 3)


async def test_two_publications_a_moment_apart_do_not_give_away_an_employment_added_between(
    uow: FakeQualityUnitOfWork,
):
    first = await publish(uow)
    before = await read(uow, MEMBER)
    # A late confirmation: one more graduate employed at a member on the census date.
    await employ(uow, await graduate(uow, "late"), "m1")
    second = await publish(uow)

    after = await read(uow, MEMBER)

    assert after["publication"]["number"] == second
    assert {k: v for k, v in after.items() if k != "publication"} == {
        k: v for k, v in before.items() if k != "publication"
    }
    summary = (await uow.publications.get(second)).summary["flows"]  # type: ignore[union-attr]
    assert summary["released_in"] == first  # carried, not computed again
    # The ministry's live view counts the late confirmation.
    live = await read(uow, MINISTRY, live=True)
    assert (live["n"], by_flow(live)["member_employers"]) == (41, expected(11, 41))
    assert live["publication"] is None


async def test_no_flow_is_shown_before_a_publication_states_them(
    uow: FakeQualityUnitOfWork,
):
    answer = await read(uow, MEMBER)
    assert answer["n"] is None and {f["n"] for f in answer["flows"]} == {None}
    assert {f["reason"] for f in answer["flows"]} == {
        f"not yet published: the first publication of {PERIOD} after the census window states them"
    }
    assert answer["publication"] is None
    assert (await read(uow, MINISTRY, live=True))["n"] == 40  # the ministry's live view


async def test_a_publication_of_another_year_holds_no_flows_of_the_cohort(
    uow: FakeQualityUnitOfWork,
):
    other = await publish(uow, period=PERIOD + 1)
    with pytest.raises(NotFound):
        await read(uow, MEMBER, publication=other)
    # A census year whose window is still open: its publication states no flows yet.
    future = await publish(uow, period=2031)
    summary = (await uow.publications.get(future)).summary["flows"]  # type: ignore[union-attr]
    assert summary["released_in"] is None and "published from" in summary["reason"]


async def test_a_period_whose_census_window_closed_since_its_last_publication_is_due(
    uow: FakeQualityUnitOfWork,
):
    methodology = from_json(DEFAULT_CONTENT)
    await publish(uow, period=2031)  # its cohort's census window is still open: no flows
    await publish(uow)  # the 2024 cohort's window closed long ago: flows stated
    # The 2030 cohort's census (30 June 2031) and 92 days to record: open until 30 September.
    assert await flows_due(uow, methodology, today=date(2031, 9, 29)) == set()
    assert await flows_due(uow, methodology, today=date(2031, 9, 30)) == {2031}


async def test_a_release_made_before_publications_stated_flows_is_carried_as_it_was(
    uow: FakeQualityUnitOfWork,
):
    shown = await read(uow, MINISTRY, live=True)
    earlier = {k: v for k, v in shown.items() if k != "publication"} | {"n": 39}
    uow.cluster_work.flow_releases[COHORT] = {
        "released_at": "2025-10-01T08:00:00+00:00",
        "scopes": {f"cluster:{CLUSTER}": earlier},
    }
    number = await publish(uow)

    answer = await read(uow, MEMBER)

    assert answer == earlier | {
        "released_at": "2025-10-01T08:00:00+00:00",
        "publication": {"number": number, "release": "provisional"},
    }
    summary = (await uow.publications.get(number)).summary["flows"]  # type: ignore[union-attr]
    assert (summary["released_in"], summary["unprotected"]) == (number, None)
