"""A cluster's activities in the quality service, on fakes: the projection of the registry's
activity and goal events, intensity on a hand-computed fixture, who may read, the effect
computed from published figures only, and goal progress against the published interval."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from quality.domain.did import Change, Counts, difference_in_differences
from quality.domain.intervals import wilson_interval
from quality.domain.model import StoredScore
from quality.domain.publication import Publication
from quality.domain.scorecard import SECONDARY_REASON, round_figure
from quality.service_layer import registry_events
from quality.service_layer.activities import effect, intensity
from quality.service_layer.activities_goals import goal_progress

from shared.contracts.catalogue import registry as ev
from shared.platform.auth import Identity
from shared.platform.errors import Forbidden, NotFound
from tests.unit.quality.fakes import FakeQualityUnitOfWork

NOW = datetime(2026, 1, 1, tzinfo=UTC)
MINISTRY = Identity(sub="m", role="ministry")
CLUSTER, REGION = "c1", "UZ-SA"
INSTITUTION, EMPLOYER, OTHER_SCHOOL = "i1", "e1", "i2"
P1, P2, P3 = "p1", "p2", "p3"  # P1 and P2 of the member; P3 of a non-member, like P1


def activity(activity_id: str, outcome: dict[str, Any], **state: Any) -> ev.ClusterActivityRecorded:
    return ev.ClusterActivityRecorded(
        activity_id=activity_id,
        cluster_id=state.pop("cluster_id", CLUSTER),
        kind=outcome["kind"],
        title="together",
        status=state.pop("status", "running"),
        start_date=state.pop("start_date", date(2024, 1, 1)),
        end_date=None,
        member_ids=[INSTITUTION, EMPLOYER],
        outcome=outcome,
    )


def placements(program: str, *years: tuple[int, int, int], kind: str = "internship") -> dict:
    return {
        "kind": kind,
        "employer_id": EMPLOYER,
        "program_id": program,
        "years": [{"year": y, "places_offered": o, "places_filled": f} for y, o, f in years],
    }


@pytest.fixture
async def uow() -> FakeQualityUnitOfWork:
    return await activities_world()


async def activities_world() -> FakeQualityUnitOfWork:
    """A cluster in Samarkand with its member institution's programs P1 and P2 (and P3 of a
    non-member): cohort 2024 has 20 active graduates of P1 and 5 of P2."""
    uow = FakeQualityUnitOfWork()
    p = uow.projection
    for org, kind in (
        (INSTITUTION, "education"),
        (EMPLOYER, "employer"),
        (OTHER_SCHOOL, "education"),
    ):
        await p.save_organization({"id": org, "kind": kind, "region_code": REGION, "active": True})
    await p.save_cluster({"id": CLUSTER, "region_code": REGION, "status": "active"})
    for org in (INSTITUTION, EMPLOYER):
        await p.save_membership(
            {
                "cluster_id": CLUSTER,
                "organization_id": org,
                "joined_on": date(2023, 1, 1),
                "left_on": None,
            }
        )
    for program, institution, field in (
        (P1, INSTITUTION, "0613"),
        (P2, INSTITUTION, "0611"),
        (P3, OTHER_SCHOOL, "0613"),
    ):
        await p.save_program(
            {
                "id": program,
                "institution_id": institution,
                "field_code": field,
                "level": "6",
                "active": True,
            }
        )
    # Cohort 2024: 20 active graduates of P1 (and one inactive, not counted), 5 of P2.
    for i, (program, active) in enumerate([(P1, True)] * 20 + [(P1, False)] + [(P2, True)] * 5):
        await p.save_graduate(
            {"id": f"g{i}", "program_id": program, "graduation_year": 2024, "active": active}
        )
    return uow


async def record(uow: FakeQualityUnitOfWork, *changes: ev.RegistryEvent) -> None:
    for change in changes:
        if isinstance(change, ev.ClusterGoalSet):
            await registry_events.goal_set(uow, change)
        else:
            await registry_events.activity_changed(uow, change)  # type: ignore[arg-type]


async def test_an_update_replaces_the_projected_activity(uow):
    first = activity("a1", placements(P1, (2024, 10, 2)))
    moved = ev.ClusterActivityUpdated(**{**first.model_dump(), "status": "completed"})
    await record(uow, first, moved, moved)  # a replay changes nothing
    (row,) = await uow.cluster_work.activities(cluster_id=CLUSTER)
    assert row["status"] == "completed"
    assert row["outcome"]["years"] == [
        {"year": 2024, "places_offered": 10, "places_filled": 2, "graduate_ids": []}
    ]


async def test_intensity_on_a_hand_computed_fixture(uow):
    staff = {
        "kind": "staff_development",
        "institution_id": INSTITUTION,
        "trainer_id": EMPLOYER,
        "people": 6,
        "hours": 20,
        "topic": "Cloud",
        "field_code": "0613",
    }
    teaching = {
        "kind": "guest_teaching",
        "employer_id": EMPLOYER,
        "program_id": P2,
        "years": [{"year": 2024, "hours": 30}, {"year": 2025, "hours": 12}],
    }
    await record(
        uow,
        activity("a1", placements(P1, (2024, 10, 6))),
        activity("a2", placements(P1, (2024, 5, 2)), status="completed"),
        activity("a3", placements(P2, (2024, 4, 0), kind="apprenticeship"), status="planned"),
        activity("a4", teaching),
        activity("a5", staff),
    )
    figures = await intensity(uow, MINISTRY, CLUSTER, year=None)
    year_2024, year_2025 = figures["years"]
    # The cluster in 2024: 2 member programs, 25 graduates; 15 places offered, 8 filled.
    assert (year_2024["programs"], year_2024["graduates"]) == (2, 25)
    assert year_2024["placements"]["internship"] == {
        "offered": 15,
        "filled": 8,
        "offered_per_100": 60.0,
        "filled_per_100": 32.0,
        "n": 25,
        "reason": None,
    }
    # The planned apprenticeship has done nothing yet.
    assert year_2024["placements"]["apprenticeship"]["offered"] == 0
    assert year_2024["staff_trained"] == {
        "people": 6,
        "person_hours": 120,
        "per_program": 3.0,
        "n": 2,
    }
    assert year_2024["guest_teaching_hours"] == {"hours": 30, "per_program": 15.0, "n": 2}
    # 2025: no cohort yet, so no rate per graduate, and the hours still count.
    assert year_2025["graduates"] == 0
    assert year_2025["placements"]["internship"]["offered_per_100"] is None
    assert year_2025["guest_teaching_hours"]["hours"] == 12
    by_program = {(r["program_id"], r["year"]): r for r in figures["programs"]}
    assert set(by_program) == {(P1, 2024), (P2, 2024), (P2, 2025)}
    p1 = by_program[P1, 2024]
    # P2's 5 graduates are too few to show, and the cluster's 25 less P1's 20 would give them
    # back: P1's cohort (20: the inactive graduate is not counted) is hidden too, and so are its
    # rates per 100 graduates (test_intensity_disclosure.py).
    assert (p1["graduates"], p1["reason"]) == (None, SECONDARY_REASON)
    assert p1["placements"]["internship"]["offered_per_100"] is None
    assert by_program[P2, 2024]["reason"] == "fewer than 10 graduates"
    assert p1["staff_trained"] == {"people": 6, "person_hours": 120}  # field 0613 is P1's
    assert by_program[P2, 2024]["staff_trained"]["people"] == 0
    assert by_program[P2, 2024]["guest_teaching_hours"] == 30
    only = await intensity(uow, MINISTRY, CLUSTER, year=2025)
    assert [y["year"] for y in only["years"]] == [2025]


@pytest.mark.parametrize(
    "identity",
    [
        Identity(sub="r", role="regional_authority", region=REGION),
        Identity(sub="i", role="institution", org=INSTITUTION),
        Identity(sub="e", role="employer", org=EMPLOYER),
    ],
)
async def test_the_regions_authority_and_the_members_read_the_figures(uow, identity):
    await intensity(uow, identity, CLUSTER, year=None)
    await goal_progress(uow, identity, CLUSTER)


@pytest.mark.parametrize(
    "identity",
    [
        Identity(sub="r", role="regional_authority", region="UZ-TO"),
        Identity(sub="i", role="institution", org=OTHER_SCHOOL),
        Identity(sub="o", role="operator"),
    ],
)
async def test_others_are_refused(uow, identity):
    with pytest.raises(Forbidden):
        await intensity(uow, identity, CLUSTER, year=None)
    with pytest.raises(Forbidden):
        await effect(uow, identity, CLUSTER, kind="internship", window=2, compare_with="region")


async def test_a_member_that_left_no_longer_reads(uow):
    await uow.projection.save_membership(
        {
            "cluster_id": CLUSTER,
            "organization_id": EMPLOYER,
            "joined_on": date(2023, 1, 1),
            "left_on": date(2025, 1, 1),
        }
    )
    with pytest.raises(Forbidden):
        await goal_progress(uow, Identity(sub="e", role="employer", org=EMPLOYER), CLUSTER)


async def test_an_unknown_cluster_is_not_found(uow):
    with pytest.raises(NotFound):
        await intensity(uow, MINISTRY, "nope", year=None)


# --- published figures --------------------------------------------------------------------


def share(hits: int, n: int) -> dict[str, Any]:
    """A share as a publication states it: whole percent, its interval rounded outward."""
    low, high = wilson_interval(hits, n, 0.90)
    figure = {
        "value": hits / n,
        "ci_low": low,
        "ci_high": high,
        "n": n,
        "suppressed": False,
        "reason": None,
    }
    return round_figure(figure, 2)


WITHHELD = {
    "value": None,
    "ci_low": None,
    "ci_high": None,
    "n": 3,
    "suppressed": True,
    "reason": "n < 5",
}


def card(**indicators: dict[str, Any]) -> dict[str, Any]:
    return {
        "indicators": indicators,
        "index": {
            "value": None,
            "ci_low": None,
            "ci_high": None,
            "suppressed": True,
            "reason": "x",
        },
    }


def publish(uow: FakeQualityUnitOfWork, period: int, cards: dict[tuple[str, str], dict]) -> None:
    number = len(uow.publications.stored) + 1
    uow.publications.stored[number] = Publication(
        number=number,
        period=period,
        kind="interim",
        status="published",
        methodology_version=1,
        created_at=NOW,
    )
    uow.publications.figure_rows[number] = [
        StoredScore(scope, id_, period, False, 1, c, NOW)  # type: ignore[arg-type]
        for (scope, id_), c in cards.items()
    ]


# (satisfied, n) of employer satisfaction and (employed, n) of the employment rate per year.
SERIES = {
    P1: {
        2022: ((10, 20), (12, 20)),
        2023: ((11, 20), (12, 20)),
        2024: ((17, 20), (15, 20)),
        2025: ((16, 20), (15, 20)),
    },
    P3: {
        2022: ((10, 20), (12, 20)),
        2023: ((10, 20), (13, 20)),
        2024: ((11, 20), (13, 20)),
        2025: ((12, 20), (12, 20)),
    },
}


async def test_the_effect_is_the_difference_in_differences_of_published_figures(uow):
    for year in (2022, 2023, 2024, 2025):
        publish(
            uow,
            year,
            {
                ("program", p): card(
                    employer_satisfaction=share(*s[year][0]), employed_12m=share(*s[year][1])
                )
                for p, s in SERIES.items()
            },
        )
    # Live figures say something else: they are never read.
    await uow.scores.save(
        StoredScore("program", P1, 2025, False, 1, card(employer_satisfaction=share(0, 20)), NOW)
    )
    await record(uow, activity("a1", placements(P1, (2024, 10, 6)), start_date=date(2024, 3, 1)))
    answer = await effect(
        uow, MINISTRY, CLUSTER, kind="internship", window=2, compare_with="field_level"
    )
    satisfaction, employment = answer["estimates"]
    assert (satisfaction["indicator"], employment["indicator"]) == (
        "employer_satisfaction",
        "employed_12m",
    )
    assert (satisfaction["joined"], satisfaction["before"], satisfaction["after"]) == (
        2024,
        [2022, 2023],
        [2024, 2025],
    )
    # By hand: P1 21/40 → 33/40, P3 20/40 → 23/40.
    expected = difference_in_differences(
        [Change(P1, Counts(21, 40), Counts(33, 40))],
        [Change(P3, Counts(20, 40), Counts(23, 40))],
        level=0.90,
    )
    assert satisfaction["difference"]["value"] == round(0.30 - 0.075, 2)
    assert satisfaction["difference"]["ci_low"] <= expected.ci_low
    assert satisfaction["difference"]["ci_high"] >= expected.ci_high
    assert satisfaction["treated"] == {
        "programs": 1,
        "n_before": 40,
        "n_after": 40,
        "share_before": 0.53,
        "share_after": 0.82,
    }
    assert satisfaction["controls"]["programs"] == 1
    assert "parallel trends" in " ".join(answer["assumptions"])


async def test_a_program_named_by_any_activity_of_the_kind_is_never_a_control(uow):
    for year in (2023, 2024):
        publish(
            uow,
            year,
            {
                ("program", p): card(
                    employer_satisfaction=share(10, 20), employed_12m=share(10, 20)
                )
                for p in (P1, P3)
            },
        )
    await record(
        uow,
        activity("a1", placements(P1, (2024, 1, 1))),
        # P3 in another cluster's internships, merely planned: not a clean control either.
        activity(
            "a2",
            placements(P3, (2025, 1, 0)),
            cluster_id="c2",
            status="planned",
            start_date=date(2025, 1, 1),
        ),
    )
    answer = await effect(
        uow, MINISTRY, CLUSTER, kind="internship", window=1, compare_with="region"
    )
    (satisfaction, _) = answer["estimates"]
    assert satisfaction["controls"]["programs"] == 0
    assert satisfaction["difference"]["value"] is None
    assert satisfaction["difference"]["reason"].startswith("no comparable program")


async def test_a_withheld_figure_leaves_its_program_out(uow):
    publish(
        uow,
        2023,
        {
            ("program", P1): card(employer_satisfaction=WITHHELD),
            ("program", P3): card(employer_satisfaction=share(10, 20)),
        },
    )
    publish(
        uow, 2024, {("program", p): card(employer_satisfaction=share(12, 20)) for p in (P1, P3)}
    )
    await record(uow, activity("a1", placements(P1, (2024, 1, 1))))
    answer = await effect(
        uow, MINISTRY, CLUSTER, kind="internship", window=1, compare_with="field_level"
    )
    assert answer["estimates"][0]["treated"]["programs"] == 0


def goal(
    goal_id: str, code: str, target: str, *, version: int = 1, **fields: Any
) -> ev.ClusterGoalSet:
    return ev.ClusterGoalSet(
        goal_id=goal_id,
        cluster_id=CLUSTER,
        version=version,
        measure=fields.pop("measure", "indicator"),
        code=code,
        field_code=fields.pop("field_code", None),
        level=fields.pop("level", None),
        comparator=fields.pop("comparator", "at_least"),
        target=Decimal(target),
        by_year=2028,
        active=fields.pop("active", True),
        set_by=INSTITUTION,
    )


async def test_goal_progress_against_the_published_interval(uow):
    satisfied = {
        "value": 0.85,
        "ci_low": 0.81,
        "ci_high": 0.89,
        "n": 120,
        "suppressed": False,
        "reason": None,
    }
    publish(
        uow,
        2024,
        {("cluster", CLUSTER): card(employer_satisfaction=satisfied, employed_12m=share(60, 100))},
    )
    # A later year whose employment rate is not out yet: the latest stated one counts.
    publish(
        uow,
        2025,
        {
            ("cluster", CLUSTER): card(employer_satisfaction=satisfied, employed_12m=WITHHELD),
            ("program", P1): card(employer_satisfaction=share(18, 20)),
            ("program", P2): card(employer_satisfaction=share(9, 10)),
        },
    )
    await record(
        uow,
        goal("g1", "employer_satisfaction", "0.7", version=1),
        goal("g1", "employer_satisfaction", "0.8", version=2),  # the latest version counts
        goal("g2", "employer_satisfaction", "0.9"),
        goal("g3", "employer_satisfaction", "0.85"),
        goal("g4", "employer_satisfaction", "0.95", comparator="at_most"),
        goal("g5", "employed_12m", "0.5"),
        goal("g6", "preparedness", "0.5"),
        goal("g7", "employer_satisfaction", "0.5", active=False),
        goal("g8", "staff_trained", "40", measure="activity"),
        goal("g9", "employer_satisfaction", "0.6", field_code="0613", level="6"),
    )
    progress = {g["goal_id"]: g for g in (await goal_progress(uow, MINISTRY, CLUSTER))["goals"]}
    assert "g7" not in progress
    assert (progress["g1"]["version"], progress["g1"]["status"]) == (2, "met")
    assert progress["g1"]["figure"] == {"value": 0.85, "ci_low": 0.81, "ci_high": 0.89, "n": 120}
    assert progress["g2"]["status"] == "not_met"
    assert (progress["g3"]["status"], progress["g3"]["reason"]) == (
        "undetermined",
        "the interval straddles the target",
    )
    assert progress["g4"]["status"] == "met"
    assert (progress["g5"]["status"], progress["g5"]["period"]) == ("met", 2024)
    assert progress["g6"]["status"] == "undetermined" and progress["g6"]["figure"] is None
    assert progress["g8"]["status"] == "undetermined"
    # Field 0613, level 6: P1 alone (P2 teaches 0611): 18 of 20.
    low, high = wilson_interval(18, 20, 0.90)
    assert progress["g9"]["figure"]["n"] == 20
    assert progress["g9"]["figure"]["ci_low"] <= low and progress["g9"]["status"] == "met"


async def test_a_withheld_figure_leaves_the_goal_undetermined_saying_why(uow):
    publish(uow, 2024, {("cluster", CLUSTER): card(employer_satisfaction=WITHHELD)})
    await record(uow, goal("g1", "employer_satisfaction", "0.8"))
    (item,) = (await goal_progress(uow, MINISTRY, CLUSTER))["goals"]
    assert (item["status"], item["reason"]) == ("undetermined", "withheld: n < 5")


async def test_goals_on_activity_measures_against_the_recorded_activities(uow):
    funding = {
        "kind": "funding",
        "form": "equipment",
        "partner_id": EMPLOYER,
        "recipient_id": INSTITUTION,
        "amount": "150000.00",
        "currency": "UZS",
        "purpose": "a laboratory",
    }
    await record(
        uow,
        activity("a1", placements(P1, (2024, 10, 6))),
        activity("a2", placements(P2, (2024, 5, 2))),
        activity("a3", funding),
        goal("g1", "internship_places_per_graduate", "0.5", measure="activity"),
        goal("g2", "internship_places_filled", "10", measure="activity"),
        goal("g3", "funding_amount", "100000", measure="activity"),
        goal("g4", "guest_teaching_hours", "10", measure="activity"),
    )
    progress = {g["goal_id"]: g for g in (await goal_progress(uow, MINISTRY, CLUSTER))["goals"]}
    # 2024: 15 places for the 25 graduates of the member programs; 8 filled.
    assert progress["g1"]["figure"] == {"value": 0.6, "ci_low": 0.6, "ci_high": 0.6, "n": 25}
    assert (progress["g1"]["status"], progress["g1"]["period"]) == ("met", 2024)
    assert (progress["g2"]["figure"]["value"], progress["g2"]["status"]) == (8, "not_met")
    assert (progress["g3"]["figure"]["value"], progress["g3"]["status"]) == (150000.0, "met")
    assert progress["g4"]["status"] == "not_met"  # no guest teaching recorded: 0 hours
