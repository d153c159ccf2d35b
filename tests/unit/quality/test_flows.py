"""Graduate flows on fakes: where a cluster's and a region's employed graduates work on the
census date, on a hand-computed fixture; small cells hidden and the flows protected against
each other; who may read them."""

from datetime import date
from typing import Any

import pytest
from quality.domain.flows import Flow, FlowCell, flow_figures
from quality.domain.intervals import wilson_interval
from quality.domain.scorecard import SECONDARY_REASON, round_figure
from quality.domain.suppression import DEFAULT_THRESHOLDS
from quality.service_layer import registry_events
from quality.service_layer.flows import cluster_flows, region_flows
from quality.service_layer.reading import LIVE, View

from shared.contracts.catalogue import registry as ev
from shared.platform.auth import Identity
from shared.platform.errors import Forbidden, NotFound
from tests.unit.quality.fakes import FakeQualityUnitOfWork
from tests.unit.quality.test_publications import interim

TODAY = date(2026, 1, 1)  # the 2024 cohort's census (30 June 2025) plus the lag has passed
COHORT = 2024
MINISTRY = Identity(sub="m", role="ministry")
CLUSTER, REGION, ELSEWHERE = "c1", "UZ-SA", "UZ-TO"
SCHOOL, OTHER_SCHOOL, PROGRAM, OTHER_PROGRAM = "i1", "i2", "p1", "p2"
# Five employers each: members of the cluster; in its sector (J) in the region; in another
# sector (C) in the region; outside the region.
EMPLOYERS = {
    "m": ("J", REGION),
    "f": ("J", REGION),
    "o": ("C", REGION),
    "x": ("J", ELSEWHERE),
}
# Graduates per employer group on the census date, spread over its five employers in turn.
PLACED = {"m": 10, "f": 15, "o": 5, "x": 10}  # 40 employed: 25 %, 37.5 %, 12.5 %, 25 %


async def employ(uow: FakeQualityUnitOfWork, graduate: str, employer: str, **job: Any) -> None:
    await uow.projection.save_employment(
        {
            "id": f"em-{graduate}-{employer}",
            "graduate_id": graduate,
            "employer_id": employer,
            "start_date": job.pop("start_date", date(COHORT, 9, 1)),
            "end_date": job.pop("end_date", None),
            "in_field": True,
            "state": job.pop("state", "confirmed"),
            "kind": job.pop("kind", "employee"),
            "isco_code": "2512",
        }
    )


async def graduate(uow: FakeQualityUnitOfWork, graduate_id: str, **row: Any) -> str:
    await uow.projection.save_graduate(
        {
            "id": graduate_id,
            "program_id": row.pop("program_id", PROGRAM),
            "graduation_year": COHORT,
            "active": row.pop("active", True),
        }
    )
    return graduate_id


async def organization(uow: FakeQualityUnitOfWork, change: ev.OrganizationRegistered) -> None:
    await registry_events.organization_changed(uow, change)


def registered(
    organization_id: str, kind: str, subtype: str, region: str
) -> ev.OrganizationRegistered:
    return ev.OrganizationRegistered(
        organization_id=organization_id,
        kind=kind,
        subtype=subtype,
        name=organization_id,
        region_code=region,
        tax_id="201000001",
        active=True,
    )


@pytest.fixture
async def uow() -> FakeQualityUnitOfWork:
    return await employed_world()


async def employed_world() -> FakeQualityUnitOfWork:
    """The fixture the figures below are computed from by hand: 40 graduates of the member
    school employed on the census date, and six more who do not count."""
    uow = FakeQualityUnitOfWork()
    p = uow.projection
    await organization(uow, registered(SCHOOL, "education", "university", REGION))
    await organization(uow, registered(OTHER_SCHOOL, "education", "university", REGION))
    for group, (sector, region) in EMPLOYERS.items():
        for e in range(5):
            await organization(uow, registered(f"{group}{e}", "employer", sector, region))
    await registry_events.cluster_changed(
        uow,
        ev.ClusterCreated(
            cluster_id=CLUSTER,
            name="IT",
            region_code=REGION,
            sectors=["J"],
            coordinator_id=SCHOOL,
            status="active",
        ),
    )
    for member in [SCHOOL] + [f"m{e}" for e in range(5)]:
        await p.save_membership(
            {
                "cluster_id": CLUSTER,
                "organization_id": member,
                "joined_on": date(2023, 1, 1),
                "left_on": None,
            }
        )
    for program, school in ((PROGRAM, SCHOOL), (OTHER_PROGRAM, OTHER_SCHOOL)):
        await p.save_program(
            {
                "id": program,
                "institution_id": school,
                "field_code": "0613",
                "level": "6",
                "active": True,
            }
        )
    n = 0
    for group, count in PLACED.items():
        for i in range(count):
            await employ(uow, await graduate(uow, f"g{n}"), f"{group}{i % 5}")
            n += 1
    # A member's employee who also works elsewhere counts once, at the member (g0 works at m0).
    await employ(uow, "g0", "x0")
    # None of these is employed on the census date, so none is in the flows:
    await employ(uow, await graduate(uow, "self"), "x1", kind="self_employed")
    await employ(uow, await graduate(uow, "study"), "x2", kind="further_study")
    await employ(uow, await graduate(uow, "claimed"), "m1", state="claimed")
    await employ(uow, await graduate(uow, "left"), "m1", end_date=date(COHORT + 1, 5, 31))
    await employ(uow, await graduate(uow, "inactive", active=False), "m2")
    await employ(uow, await graduate(uow, "later"), "m3", start_date=date(COHORT + 1, 7, 1))
    return uow


def expected(successes: int, n: int) -> dict[str, Any]:
    low, high = wilson_interval(successes, n, 0.90)
    figure = {"value": successes / n, "ci_low": low, "ci_high": high}
    return round_figure(figure, 2) | {"n": n, "suppressed": False, "reason": None}


def by_flow(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f.pop("flow"): f for f in answer["flows"]}


async def test_the_projection_keeps_each_employers_sector_and_the_clusters_sectors(uow):
    assert uow.projection.organizations["f0"]["subtype"] == "J"
    assert uow.projection.clusters[CLUSTER]["sectors"] == ["J"]


async def test_a_clusters_graduates_are_shares_of_the_employed_with_intervals(uow):
    answer = await cluster_flows(uow, MINISTRY, CLUSTER, cohort=COHORT, today=TODAY, view=LIVE)
    assert (answer["n"], answer["sectors"], answer["census_date"]) == (
        40,
        ["J"],
        "2025-06-30",
    )
    assert by_flow(answer) == {
        "member_employers": expected(10, 40),
        "focus_sectors": expected(15, 40),
        "other_in_region": expected(5, 40),
        "elsewhere": expected(10, 40),
    }
    assert sum(f["value"] for f in answer["flows"]) == pytest.approx(1, abs=0.02)


async def test_a_region_counts_the_flows_of_its_institutions_and_the_focus_of_its_clusters(uow):
    # The other school's 10 graduates: 5 at a member, 5 outside the region (5 employers each).
    for i in range(10):
        gid = await graduate(uow, f"o{i}", program_id=OTHER_PROGRAM)
        await employ(uow, gid, f"m{i % 5}" if i < 5 else f"x{i % 5}")
    answer = await region_flows(uow, MINISTRY, REGION, cohort=COHORT, today=TODAY, view=LIVE)
    assert (answer["n"], answer["clusters"], answer["sectors"]) == (50, [CLUSTER], ["J"])
    assert by_flow(answer) == {
        "member_employers": expected(15, 50),
        "focus_sectors": expected(15, 50),
        "other_in_region": expected(5, 50),
        "elsewhere": expected(15, 50),
    }
    # The cluster's own flows count its members' graduates only.
    assert (await cluster_flows(uow, MINISTRY, CLUSTER, cohort=COHORT, today=TODAY, view=LIVE))[
        "n"
    ] == 40


async def test_a_small_flow_is_hidden_and_the_smallest_other_flow_protects_it(uow):
    # Two of the five "other" employers leave the projection's region: 3 employers remain in
    # it (too few), the 2 who moved now count elsewhere.
    for e in (3, 4):
        await organization(uow, registered(f"o{e}", "employer", "C", ELSEWHERE))
    flows = by_flow(
        await cluster_flows(uow, MINISTRY, CLUSTER, cohort=COHORT, today=TODAY, view=LIVE)
    )
    assert flows["other_in_region"] == {
        "value": None,
        "ci_low": None,
        "ci_high": None,
        "n": 40,
        "suppressed": True,
        "reason": "fewer than 5 distinct employers",
    }
    # Alone, it would be 1 minus the others: the smallest other (members, 10 of 40; elsewhere
    # now has 12) is hidden with it.
    assert flows["member_employers"]["reason"] == SECONDARY_REASON
    assert flows["member_employers"]["value"] is None
    assert flows["focus_sectors"] == expected(15, 40)
    assert flows["elsewhere"] == expected(12, 40)


def cells(**graduates_employers: tuple[int, int]) -> dict[Flow, FlowCell]:
    """Flow cells of so many graduates at so many employers each."""
    made = {}
    for flow in Flow:
        g, e = graduates_employers.get(flow.value, (0, 0))
        made[flow] = FlowCell(
            frozenset(f"{flow}-{i}" for i in range(g)), frozenset(f"{flow}-e{i}" for i in range(e))
        )
    return made


def test_two_hidden_flows_protect_each_other_and_an_empty_flow_is_published():
    figures = flow_figures(
        cells(member_employers=(4, 4), focus_sectors=(3, 2), elsewhere=(30, 9)),
        thresholds=DEFAULT_THRESHOLDS,
        level=0.9,
    )
    assert figures[Flow.MEMBER_EMPLOYERS].reason == "fewer than 5 distinct employers"
    assert figures[Flow.FOCUS_SECTORS].reason == "fewer than 5 distinct employers"
    assert not figures[Flow.ELSEWHERE].suppressed  # two hidden: neither is the residual
    assert (figures[Flow.OTHER_IN_REGION].value, figures[Flow.OTHER_IN_REGION].n) == (0.0, 37)


def test_too_few_employed_hides_every_flow_with_the_reason_and_keeps_n():
    figures = flow_figures(cells(elsewhere=(9, 9)), thresholds=DEFAULT_THRESHOLDS, level=0.9)
    assert {(f.suppressed, f.reason, f.n) for f in figures.values()} == {
        (True, "fewer than 10 graduates", 9)
    }


async def test_nothing_is_shown_before_the_cohorts_census_window_has_closed(uow):
    answer = await cluster_flows(
        uow, MINISTRY, CLUSTER, cohort=COHORT, today=date(2025, 9, 29), view=LIVE
    )
    reasons = {f["reason"] for f in answer["flows"]}
    assert reasons == {
        "the 2024 cohort's outcomes are published from 2025-09-30 "
        "(census date 2025-06-30 plus 92 days to record them)"
    }
    assert all(f["value"] is None for f in answer["flows"])


async def test_only_the_ministry_the_regions_authority_and_members_read_the_flows(uow):
    own = Identity(sub="r", role="regional_authority", region=REGION)
    other = Identity(sub="r2", role="regional_authority", region=ELSEWHERE)
    member = Identity(sub="e", role="employer", org="m0")
    outsider = Identity(sub="e", role="employer", org="f0")
    published = {"cohort": COHORT, "today": TODAY, "view": View()}
    assert (await region_flows(uow, own, REGION, **published))["scope_id"] == REGION  # type: ignore[arg-type]
    assert (await cluster_flows(uow, member, CLUSTER, **published))["scope_id"] == CLUSTER  # type: ignore[arg-type]
    for refused in (
        region_flows(uow, other, REGION, **published),  # type: ignore[arg-type]
        region_flows(uow, member, REGION, **published),  # type: ignore[arg-type]
        cluster_flows(uow, outsider, CLUSTER, **published),  # type: ignore[arg-type]
        cluster_flows(uow, other, CLUSTER, **published),  # type: ignore[arg-type]
    ):
        with pytest.raises(Forbidden):
            await refused
    with pytest.raises(NotFound):
        await region_flows(uow, MINISTRY, "UZ-XX", cohort=COHORT, today=TODAY, view=LIVE)
    with pytest.raises(NotFound):
        await cluster_flows(uow, MINISTRY, "nope", cohort=COHORT, today=TODAY, view=LIVE)


def counts(answer: dict[str, Any]) -> dict[str, int | None]:
    """What a reader learns of each flow's count: a published share times n, or n minus the
    others where only one flow is hidden."""
    known: dict[str, int | None] = {
        f["flow"]: None if f["value"] is None else round(f["value"] * answer["n"])
        for f in answer["flows"]
    }
    unknown = [flow for flow, count in known.items() if count is None]
    if len(unknown) == 1:
        known[unknown[0]] = answer["n"] - sum(c for c in known.values() if c is not None)
    return known


async def test_a_region_minus_its_cluster_does_not_give_away_the_other_institutions_flows(uow):
    # The other school (not a member) has four employed graduates, one in each flow: the
    # region's flows minus the cluster's would be exactly theirs.
    for i, employer in enumerate(("m0", "f0", "o0", "x0")):
        await employ(uow, await graduate(uow, f"o{i}", program_id=OTHER_PROGRAM), employer)
    await interim(uow, COHORT + 1)
    authority = Identity(sub="r", role="regional_authority", region=REGION)
    member = Identity(sub="e", role="employer", org="m0")
    published = {"cohort": COHORT, "today": TODAY, "view": View()}
    region = counts(await region_flows(uow, authority, REGION, **published))  # type: ignore[arg-type]
    cluster = counts(await cluster_flows(uow, member, CLUSTER, **published))  # type: ignore[arg-type]

    learned = {
        flow: region[flow] - cluster[flow]  # type: ignore[operator]
        for flow in region
        if region[flow] is not None and cluster[flow] is not None
    }
    assert learned == {}, learned
    assert sum(c is not None for c in cluster.values()) >= 2  # not everything hidden
    # Each scope's flows computed on its own (as they were before the release, and as the
    # ministry's live view still computes them) give all four away.
    live = {"today": TODAY, "cohort": COHORT, "view": LIVE}
    region = counts(await region_flows(uow, MINISTRY, REGION, **live))  # type: ignore[arg-type]
    cluster = counts(await cluster_flows(uow, MINISTRY, CLUSTER, **live))  # type: ignore[arg-type]
    assert {f: region[f] - cluster[f] for f in region} == dict.fromkeys(region, 1)  # type: ignore[operator]


async def test_only_the_ministry_reads_the_live_flows(uow):
    member = Identity(sub="e", role="employer", org="m0")
    with pytest.raises(Forbidden):
        await cluster_flows(uow, member, CLUSTER, cohort=COHORT, today=TODAY, view=LIVE)
    authority = Identity(sub="r", role="regional_authority", region=REGION)
    with pytest.raises(Forbidden):
        await region_flows(uow, authority, REGION, cohort=COHORT, today=TODAY, view=LIVE)


async def test_before_the_release_not_even_n_is_shown(uow):
    member = Identity(sub="e", role="employer", org="m0")
    answer = await cluster_flows(
        uow, member, CLUSTER, cohort=COHORT, today=date(2025, 9, 29), view=View()
    )
    assert answer["n"] is None and {f["n"] for f in answer["flows"]} == {None}
    assert "published from 2025-09-30" in answer["flows"][0]["reason"]
    assert uow.publications.flow_rows == {}  # a read never writes
