"""The quality use cases on the in-memory unit of work: assessment events into cell tallies,
registry facts into dirty marks, methodology publication, alerts and a publication window."""

import asyncio
import contextlib
import sqlite3
from datetime import UTC, date, datetime
from typing import Any

import pytest
from quality.adapters.repositories import AlertFilter
from quality.domain.alerts import WITHHELD
from quality.domain.cells import RATING_DOMAINS, ScopeTally
from quality.domain.model import COUNTRY, StoredScore
from quality.domain.ranking import RANK_LEVEL, Place
from quality.service_layer import aggregation, methodology, reading, registry_events
from quality.service_layer.alerts import raise_alerts
from quality.service_layer.benchmarks import benchmarks
from quality.service_layer.publisher import publish_changes, run_publisher
from sqlalchemy.exc import OperationalError

from shared.contracts.catalogue import assessment as ev
from shared.contracts.catalogue import registry
from shared.contracts.catalogue.quality import AlertRaised, MethodologyPublished, ScoreUpdated
from shared.platform.auth import Identity
from shared.platform.errors import Forbidden, RuleViolation
from tests.support import eventually
from tests.unit.quality.fakes import FakeQualityUnitOfWork

MINISTRY = Identity(sub="m", role="ministry")
PERIOD = 2024


def state(
    revision: int = 1, *, overall: int = 4, assessment_id: str = "a1", program_id: str = "p1"
) -> dict[str, Any]:
    return {
        "assessment_id": assessment_id,
        "revision": revision,
        "employer_id": "e1",
        "graduate_id": "g1",
        "program_id": program_id,
        "institution_id": "i1",
        "field_code": "0613",
        "level": "6",
        "graduation_year": 2023,
        "period": PERIOD,
        "framework_id": "f1",
        "framework_version": 1,
        "ratings": {"F1": 4, "T1": None},
        "overall_satisfaction": overall,
        "preparedness": 3,
        "would_hire_again": True,
    }


def tally_json(*states: dict[str, Any], domains: dict[str, str] | None = None) -> dict[str, Any]:
    """The tally of ``states`` as the handlers count them, under a framework whose ``domains``
    the service knows (none: an unknown framework)."""
    return ScopeTally.from_states(
        {**state, RATING_DOMAINS: domains or {}} for state in states
    ).to_json()


FRAMEWORK = ev.FrameworkPublished(
    framework_id="f1",
    code="ess",
    version=1,
    scale_min=1,
    scale_max=5,
    domains=[
        ev.FrameworkDomain(
            code="D1",
            name_en="Domain",
            competencies=[
                ev.FrameworkCompetency(code="F1", name_en="F"),
                ev.FrameworkCompetency(code="T1", name_en="T"),
            ],
        )
    ],
)


@pytest.fixture
def uow() -> FakeQualityUnitOfWork:
    return FakeQualityUnitOfWork()


async def test_a_submitted_assessment_adds_to_its_program_year_cell_and_marks_it_dirty(uow):
    await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**state()))

    assert uow.cells.rows == {("p1", PERIOD): tally_json(state())}
    assert await uow.marks.take() == [("p1", PERIOD, 1)]
    counted = uow.assessments.rows["a1"]
    assert (counted.revision, counted.active) == (1, True)


async def test_a_revision_replaces_the_counted_state_exactly(uow):
    await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**state(1, overall=5)))
    await aggregation.apply_assessment(uow, ev.AssessmentRevised(**state(2, overall=1)))

    assert uow.cells.rows[("p1", PERIOD)] == tally_json(state(2, overall=1))
    assert uow.assessments.rows["a1"].state["overall_satisfaction"] == 1
    assert await uow.marks.take() == [("p1", PERIOD, 3)]  # one mark per change of the cell


async def test_an_older_revision_arriving_late_is_ignored(uow):
    await aggregation.apply_assessment(uow, ev.AssessmentRevised(**state(2, overall=2)))
    await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**state(1, overall=5)))

    assert uow.cells.rows[("p1", PERIOD)] == tally_json(state(2, overall=2))
    assert uow.assessments.rows["a1"].revision == 2
    assert await uow.marks.take() == [("p1", PERIOD, 1)]


async def test_a_withdrawal_removes_what_counted(uow):
    await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**state(1)))
    await aggregation.apply_assessment(
        uow, ev.AssessmentSubmitted(**state(1, assessment_id="a2", overall=2))
    )
    await aggregation.apply_assessment(uow, ev.AssessmentWithdrawn(**state(2)))

    assert uow.cells.rows[("p1", PERIOD)] == tally_json(state(1, assessment_id="a2", overall=2))
    assert uow.assessments.rows["a1"].active is False
    # Withdrawn again (a later revision): nothing counted any more, nothing to subtract.
    await aggregation.apply_assessment(uow, ev.AssessmentWithdrawn(**state(3)))
    assert uow.cells.rows[("p1", PERIOD)] == tally_json(state(1, assessment_id="a2", overall=2))


async def test_a_published_framework_maps_competencies_and_marks_every_scored_cell(uow):
    await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**state()))
    await uow.marks.clear(await uow.marks.take())

    await aggregation.apply_framework(uow, FRAMEWORK)

    assert await uow.frameworks.domains() == {"F1": "D1", "T1": "D1"}
    assert await uow.marks.take() == [("p1", PERIOD, 1)]


async def test_a_framework_arriving_while_a_window_computes_a_marked_cell_keeps_it_marked(uow):
    # A cell marked (a graduate's cohort) with no tally and no scorecard yet is being computed
    # by a window that read the frameworks before this one arrived: the window must not clear
    # its mark, or the scorecard would keep lacking the framework's competencies for good.
    await uow.marks.mark(program_id="p1", period=PERIOD - 2)
    taken = await uow.marks.take()

    await aggregation.apply_framework(uow, FRAMEWORK)
    await uow.marks.clear(taken)

    assert [m[:2] for m in await uow.marks.take()] == [("p1", PERIOD - 2)]


async def test_only_the_latest_version_of_a_requirement_series_is_kept(uow):
    def requirement(version: int, importance: int) -> ev.RequirementPublished:
        return ev.RequirementPublished(
            requirement_id=f"r{version}",
            version=version,
            employer_id=None,
            cluster_id="c1",
            field_code=None,
            program_id="p1",
            framework_id="f1",
            framework_version=1,
            importance={"F1": importance},
        )

    await aggregation.apply_requirement(uow, requirement(2, importance=5))
    await aggregation.apply_requirement(uow, requirement(1, importance=1))

    assert [(r.id, r.importance) for r in uow.requirements.rows.values()] == [("r2", {"F1": 5})]


async def test_a_graduate_moved_to_another_program_marks_both_cohorts(uow):
    def graduate(program_id: str, year: int) -> registry.GraduateUpdated:
        return registry.GraduateUpdated(
            graduate_id="g1",
            institution_id="i1",
            program_id=program_id,
            graduation_year=year,
            active=True,
        )

    await registry_events.graduate_changed(uow, graduate("p1", 2023))
    await registry_events.graduate_changed(uow, graduate("p2", 2024))

    marks = {(p, period) for p, period, _ in await uow.marks.take()}
    assert marks == {("p1", 2023), ("p2", 2024)}
    assert await uow.projection.cohort_of("g1") == ("p2", 2024)


async def test_methodology_publication_by_anyone_but_the_ministry_is_forbidden(uow):
    institution = Identity(sub="i", role="institution", org="i1")

    with pytest.raises(Forbidden):
        await methodology.publish(uow, institution, {"interval_level": 0.95})

    assert uow.methodologies.versions == []
    assert not uow.published


async def test_the_ministry_publishes_the_next_version_and_announces_it(uow):
    await methodology.ensure_default(lambda: uow)
    await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**state()))
    await uow.marks.clear(await uow.marks.take())

    content = await methodology.publish(uow, MINISTRY, {"interval_level": 0.95})
    await uow.commit()

    assert content["version"] == 2 and content["interval_level"] == 0.95
    assert (await methodology.current_content(uow))["version"] == 2
    announced = [p for p in uow.published if isinstance(p, MethodologyPublished)]
    assert [p.version for p in announced] == [1, 2]
    assert announced[1].interval_level == 0.95
    assert announced[1].thresholds["alert_index_below"] == 50.0
    assert announced[1].partition_key() == "methodology"
    assert await uow.marks.take() == [("p1", PERIOD, 1)]  # every score is recomputed


async def test_an_inconsistent_methodology_is_refused_naming_the_methodology(uow):
    with pytest.raises(RuleViolation) as refused:
        await methodology.publish(uow, MINISTRY, {"weights": {"employer_satisfaction": 0.0}})

    assert refused.value.field == "methodology"
    assert not uow.published


def card(index: float | None, half_width: float = 3.0) -> dict[str, Any]:
    satisfaction = {
        "value": 0.5,
        "ci_low": 0.3,
        "ci_high": 0.7,
        "n": 20,
        "suppressed": False,
        "reason": None,
    }
    stated = {"value": index, "ci_low": None, "ci_high": None}
    if index is not None:
        stated |= {"ci_low": index - half_width, "ci_high": index + half_width}
    return {"index": stated, "indicators": {"employer_satisfaction": satisfaction}}


async def test_an_alert_is_raised_once_when_the_index_crosses_the_threshold(uow):
    key = ("program", "p1")

    await raise_alerts(
        uow, key, period=PERIOD, card=card(42.0), before=card(61.0), last_year=None, threshold=50
    )
    # Still below on the next change: nothing new to say.
    await raise_alerts(
        uow, key, period=PERIOD, card=card(40.0), before=card(42.0), last_year=None, threshold=50
    )
    await uow.commit()

    assert len(uow.published) == 1
    raised = uow.published[0]
    assert isinstance(raised, AlertRaised)
    assert (raised.scope, raised.scope_id, raised.period) == ("program", "p1", PERIOD)
    assert raised.kind == "index_below_threshold"
    assert raised.detail == {
        "index": 42.0,
        "ci_low": 39.0,
        "ci_high": 45.0,
        "threshold": 50,
        "previous_index": 61.0,
    }
    assert raised.partition_key() == "p1"
    assert [a.id for a in uow.alerts.rows] == [raised.alert_id]


async def test_an_alert_keeps_no_value_its_scorecard_no_longer_publishes(uow):
    # Channel 8 of the publication issue: a value published once and hidden later.
    key = ("program", "p1")
    await raise_alerts(
        uow, key, period=PERIOD, card=card(42.0), before=card(61.0), last_year=None, threshold=50
    )

    async def stored(index: float | None) -> None:
        await uow.scores.save(
            StoredScore(
                scope="program",
                scope_id="p1",
                period=PERIOD,
                pooled=False,
                methodology_version=1,
                card=card(index),
                computed_at=datetime.now(UTC),
            )
        )

    async def listed() -> dict[str, Any]:
        page = await reading.published_alerts(
            uow, reading.LIVE, AlertFilter(), limit=10, cursor=None
        )
        (alert,) = page.items
        return alert["detail"]

    await stored(42.0)
    assert await listed() == {
        "index": 42.0,
        "ci_low": 39.0,
        "ci_high": 45.0,
        "threshold": 50,
        "previous_index": 61.0,
    }
    await stored(None)  # the index is withheld now
    assert await listed() == {
        "index": None,
        "ci_low": None,
        "ci_high": None,
        "threshold": 50,
        "previous_index": None,
        "withheld": WITHHELD,
    }


async def institution_i1(uow: FakeQualityUnitOfWork) -> None:
    await registry_events.organization_changed(
        uow,
        registry.OrganizationRegistered(
            organization_id="i1",
            kind="education",
            subtype="university",
            name="Institute",
            region_code="UZ-SA",
            tax_id="123456789",
            active=True,
        ),
    )


async def program_of_i1(
    uow: FakeQualityUnitOfWork, program_id: str, *, field_code: str = "0613", level: str = "6"
) -> None:
    await registry_events.program_changed(
        uow,
        registry.ProgramRegistered(
            program_id=program_id,
            institution_id="i1",
            code=program_id.upper(),
            name="Program",
            field_code=field_code,
            level=level,
            language="uz",
            active=True,
        ),
    )


async def test_a_window_announces_each_changed_scope_once_and_then_nothing(uow):
    await institution_i1(uow)
    await program_of_i1(uow, "p1")
    await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**state()))

    changed = await publish_changes(lambda: uow, today=date(PERIOD, 6, 1))

    updates = [p for p in uow.published if isinstance(p, ScoreUpdated)]
    assert changed == len(updates) == 8  # 4 scopes, the year and its pool
    assert {(u.scope, u.scope_id) for u in updates} == {
        ("program", "p1"),
        ("organization", "i1"),
        ("region", "UZ-SA"),
        ("national", COUNTRY),
    }
    assert all(u.period == PERIOD and u.indicators["employer_satisfaction"].n == 1 for u in updates)
    assert await uow.marks.take() == []
    assert await publish_changes(lambda: uow, today=date(PERIOD, 6, 1)) == 0


async def assessed_programs(uow: FakeQualityUnitOfWork, satisfied: dict[str, int]) -> None:
    """Programs of i1 (a name ending in "-nursing": field 0913, level 7; else 0613, level 6),
    each with 12 assessments by 12 employers, ``satisfied[program]`` of them satisfied."""
    await institution_i1(uow)
    for program, count in satisfied.items():
        nursing = program.endswith("-nursing")
        await program_of_i1(
            uow, program, field_code="0913" if nursing else "0613", level="7" if nursing else "6"
        )
        for i in range(12):
            one = state(assessment_id=f"{program}-{i}", program_id=program)
            one |= {"employer_id": f"e{i}", "graduate_id": f"{program}-g{i}"}
            one["overall_satisfaction"] = 5 if i < count else 2
            await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**one))


async def test_a_window_stores_the_ranks_that_reading_a_scorecard_then_shows(uow):
    await assessed_programs(uow, {"good": 12, "fair": 7})
    await publish_changes(lambda: uow, today=date(PERIOD, 6, 1))

    listed = await reading.rankings(
        uow, reading.LIVE, scope="program", period=PERIOD, pooled=False, level=RANK_LEVEL
    )
    assert [(r["scope_id"], r["rank"]) for r in listed] == [("good", 1), ("fair", 2)]
    for program, rank in (("good", 1), ("fair", 2)):
        stored = await uow.scores.get(("program", program), period=PERIOD, pooled=False)
        assert stored is not None and stored.rank == rank
        shown = await reading.scorecard(
            uow, reading.LIVE, ("program", program), period=PERIOD, pooled=False, level=None
        )
        assert shown["rank"] == rank
        # … with the interval the ranking gives it, stored beside it.
        interval = next(r["rank_interval"] for r in listed if r["scope_id"] == program)
        assert shown["rank_interval"] == interval and interval[0] <= rank <= interval[1]


async def test_the_ranking_lists_the_ranks_stored_with_the_scorecards_not_drawn_again(uow):
    # Found (country-scale issue): every read of /quality/rankings decoded every scorecard of
    # the period and drew 4,000 posterior ranks again, the slowest read under load. At the
    # stored ranks' level, over the stored groups, it now lists the stored ranks.
    await assessed_programs(uow, {"good": 12, "fair": 7, "weak": 3})
    await publish_changes(lambda: uow, today=date(PERIOD, 6, 1))
    stored = {"good": Place(2, 1, 3), "fair": Place(1, 1, 2), "weak": Place(3, 2, 3)}
    await uow.scores.save_ranks("program", period=PERIOD, pooled=False, ranks=stored)

    async def ranking(**asked: Any) -> list[tuple[str, int, list[int]]]:
        listed = await reading.rankings(
            uow, reading.LIVE, scope="program", period=PERIOD, pooled=False, **asked
        )
        return [(r["scope_id"], r["rank"], r["rank_interval"]) for r in listed]

    assert await ranking(level=RANK_LEVEL) == [
        ("fair", 1, [1, 2]),
        ("good", 2, [1, 3]),
        ("weak", 3, [2, 3]),
    ]
    listed = await reading.rankings(
        uow, reading.LIVE, scope="program", period=PERIOD, pooled=False, level=RANK_LEVEL
    )
    # The estimates are still the figures' own (the shrunk shares, not stored).
    assert [r["share"] for r in listed] == [7 / 12, 12 / 12, 3 / 12]
    assert listed[1]["estimate"] > listed[0]["estimate"] > listed[2]["estimate"]
    assert listed == sorted(listed, key=reading.ranking_key)  # the order its pages rely on
    # Another level, or ranks across groups, are drawn on read.
    assert [r[:2] for r in await ranking(level=0.95)] == [("good", 1), ("fair", 2), ("weak", 3)]
    # Stored ranks that are not of the figures now (a unit published since they were drawn, at
    # their cadence) are drawn again too.
    await uow.scores.save_ranks(
        "program", period=PERIOD, pooled=False, ranks={"good": Place(1, 1, 1)}
    )
    assert [r[:2] for r in await ranking(level=RANK_LEVEL)] == [
        ("good", 1),
        ("fair", 2),
        ("weak", 3),
    ]


async def test_programs_rank_within_their_level_and_broad_field_unless_asked_across(uow):
    await assessed_programs(uow, {"ma-nursing": 12, "ict": 9, "ict-2": 7})
    await publish_changes(lambda: uow, today=date(PERIOD, 6, 1))

    async def ranking(**across: bool) -> list[tuple[str, str | None, int]]:
        listed = await reading.rankings(
            uow, reading.LIVE, scope="program", period=PERIOD, pooled=False, level=0.9, **across
        )
        assert listed == sorted(listed, key=reading.ranking_key)  # the order its pages rely on
        return [(r["scope_id"], r["group"], r["rank"]) for r in listed]

    assert await ranking() == [("ict", "6/06", 1), ("ict-2", "6/06", 2), ("ma-nursing", "7/09", 1)]
    stored = await uow.scores.get(("program", "ict"), period=PERIOD, pooled=False)
    assert stored is not None and stored.rank == 1  # the stored rank is the group's too
    assert await ranking(across_groups=True) == [
        ("ma-nursing", None, 1),
        ("ict", None, 2),
        ("ict-2", None, 3),
    ]


async def test_benchmarks_weigh_the_national_rate_of_each_units_mix(uow):
    await assessed_programs(uow, {"ma-nursing": 12, "ict": 9, "ict-2": 7})
    await publish_changes(lambda: uow, today=date(PERIOD, 6, 1))

    async def listed(scope: str) -> dict[str, dict[str, Any]]:
        items = await benchmarks(
            uow, reading.LIVE, scope=scope, period=PERIOD, pooled=False, level=0.9
        )
        return {item["unit_id"]: item for item in items}

    programs = await listed("program")
    # ICT (6/06): 16 of 24 nationally; nursing (7/09): 12 of 12.
    assert programs["ict"]["expected"] == pytest.approx(16 / 24)
    assert programs["ict"]["difference"] == pytest.approx(9 / 12 - 16 / 24)
    assert programs["ma-nursing"]["expected"] == pytest.approx(1.0)
    assert all(p["flag"] is None for p in programs.values())  # 12 assessments prove little
    # The institution: (24·16/24 + 12·1)/36 = 28/36, exactly its own rate.
    (institution,) = (await listed("organization")).values()
    assert institution["unit_id"] == "i1" and institution["n"] == 36
    assert institution["expected"] == pytest.approx(28 / 36)
    assert institution["difference"] == pytest.approx(0.0, abs=1e-12)
    assert institution["ci_low"] < 0 < institution["ci_high"]
    # The region and the country hold the same three programs: the same mix and benchmark.
    for scope, unit in (("region", "UZ-SA"), ("national", COUNTRY)):
        (above,) = (await listed(scope)).values()
        assert above["unit_id"] == unit and above["n"] == 36
        assert above["expected"] == pytest.approx(28 / 36)


async def test_a_busy_database_skips_a_scoring_window_and_the_next_one_scores(uow):
    # Found (bench.ingestion on SQLite): "database is locked" in a window crashed the publisher
    # task; its supervisor restarted it after a backoff that doubled up to 30 s, so the live
    # figures stood still for that long. A busy database costs one window now, not the task.
    await institution_i1(uow)
    await program_of_i1(uow, "p1")
    await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**state()))
    calls = 0

    def busy_once() -> FakeQualityUnitOfWork:
        nonlocal calls
        calls += 1
        if calls == 1:
            locked = sqlite3.OperationalError("database is locked")
            raise OperationalError("UPDATE scores ...", {}, locked)
        return uow

    task = asyncio.create_task(run_publisher(busy_once, window_s=0.01))
    try:
        await eventually(
            lambda: asyncio.sleep(0, [p for p in uow.published if isinstance(p, ScoreUpdated)]),
            what="the next window scored",
            timeout_s=5,
        )
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert calls >= 2
