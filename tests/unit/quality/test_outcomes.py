"""Employment outcomes at the census date: categories, the occupation crosswalk, the known-share
gate and the closed window, against hand-worked cases (docs/methodology.md, "Employment
outcomes")."""

import re
from datetime import date
from pathlib import Path

import pytest
from quality.domain.cells import ScopeTally
from quality.domain.index import DEFAULT_METHODOLOGY, Methodology, MethodologyFieldError
from quality.domain.methodology import DEFAULT_CONTENT, from_json
from quality.domain.occupations import FIELD_OCCUPATIONS, is_graduate_level, is_in_field
from quality.domain.outcomes import (
    GraduateOutcome,
    HeldJob,
    Outcome,
    OutcomeCounts,
    census_date,
    classify,
    published_from,
    reported_not_employed,
)
from quality.domain.scorecard import CoverageCounts, Figure
from quality.domain.scoring import score, too_few_known_reason
from quality.service_layer.publisher import mark_opened_outcomes
from quality.service_layer.scoreboard import outcomes_pending

from tests.unit.quality.fakes import FakeQualityUnitOfWork

METHODOLOGY_DOC = Path(__file__).parents[3] / "docs" / "methodology.md"
OUTCOME_FIGURES = (
    "employed_12m",
    "outcome_known",
    "graduate_level",
    "employed_in_field",
    "employer_marked_in_field",
)


def test_a_cohort_is_counted_a_year_after_graduation_and_published_after_the_lag() -> None:
    assert census_date(2024) == date(2025, 6, 30)
    assert published_from(2024, lag_days=92) == date(2025, 9, 30)


def test_each_graduate_falls_in_the_first_category_that_applies() -> None:
    work, own, study = (
        HeldJob("employee", "2512", False),
        HeldJob("self_employed", "7411", False),
        (HeldJob("further_study", "2310", False)),
    )
    assert classify(
        [study, own, work], field_code="0613", not_employed_follow_up=True
    ).category is (Outcome.EMPLOYED)
    assert classify([study, own], field_code="0613", not_employed_follow_up=False).category is (
        Outcome.SELF_EMPLOYED
    )
    assert classify([study], field_code="0613", not_employed_follow_up=True) == GraduateOutcome(
        Outcome.FURTHER_STUDY
    )
    assert classify([], field_code="0613", not_employed_follow_up=True) == GraduateOutcome(
        Outcome.NOT_EMPLOYED
    )
    assert classify([], field_code="0613", not_employed_follow_up=False) == GraduateOutcome(
        Outcome.UNKNOWN
    )


def test_a_graduate_with_two_jobs_is_graduate_level_and_in_field_when_one_job_is() -> None:
    jobs = [HeldJob("employee", "5230", True), HeldJob("employee", "2512", False)]
    assert classify(jobs, field_code="0613", not_employed_follow_up=False) == GraduateOutcome(
        Outcome.EMPLOYED, graduate_level=True, in_field=True, marked_in_field=True
    )
    # An employment projected before occupations were kept is neither.
    unknown_occupation = [HeldJob("employee", None, False)]
    assert classify(unknown_occupation, field_code="0613", not_employed_follow_up=False) == (
        GraduateOutcome(Outcome.EMPLOYED)
    )


def test_only_a_not_employed_follow_up_within_three_months_of_the_census_counts() -> None:
    census = census_date(2024)
    assert reported_not_employed("not_employed", census, cohort=2024)
    assert reported_not_employed("not_employed", date(2025, 9, 30), cohort=2024)  # 92 days
    assert not reported_not_employed("not_employed", date(2025, 10, 1), cohort=2024)
    assert not reported_not_employed("not_employed", date(2025, 3, 29), cohort=2024)
    assert not reported_not_employed("employed", census, cohort=2024)
    assert not reported_not_employed(None, None, cohort=2024)


@pytest.mark.parametrize(
    ("isco", "field", "graduate_level", "in_field"),
    [
        ("2512", "0613", True, True),  # software developer, software development
        ("3512", "0612", True, True),  # ICT user support technician, ICT
        ("5230", "0613", False, False),  # cashier
        ("2211", "0912", True, True),  # medical doctor, medicine
        ("2211", "0613", True, False),
        ("2330", "0114", True, True),  # secondary teacher, teacher training
        ("7126", "0732", False, True),  # plumber, building and civil engineering
        ("2611", "0421", True, True),  # lawyer, law
        ("9112", "0011", False, False),  # cleaner; generic programmes match nothing
        ("2411", "0011", True, False),
    ],
)
def test_the_crosswalk_matches_occupations_to_fields(
    isco: str, field: str, graduate_level: bool, in_field: bool
) -> None:
    assert is_graduate_level(isco) is graduate_level
    assert is_in_field(isco, field) is in_field


def test_the_methodology_prints_the_crosswalk_the_code_uses() -> None:
    rows = re.findall(r"^\| (\d\d) \| [^|]+ \| ([0-9, —]+) \|$", METHODOLOGY_DOC.read_text(), re.M)
    printed = {
        field: tuple(p.strip() for p in prefixes.split(",")) if prefixes.strip() != "—" else ()
        for field, prefixes in rows
    }
    assert printed == dict(FIELD_OCCUPATIONS)


def counts(**fields: int) -> OutcomeCounts:
    return OutcomeCounts(**fields)


def outcome_figures(outcomes: OutcomeCounts, **kwargs) -> dict[str, Figure]:
    card = score(
        ScopeTally(),
        outcomes=outcomes,
        coverage=CoverageCounts(assessed=0, graduates=outcomes.graduates),
        domains={},
        **kwargs,
    )
    return {name: card.indicators[name] for name in OUTCOME_FIGURES}


def test_each_outcome_share_has_its_own_denominator() -> None:
    figures = outcome_figures(
        counts(
            graduates=40,
            employed=20,
            self_employed=4,
            further_study=6,
            not_employed=10,
            graduate_level=12,
            in_field=18,
            marked_in_field=21,
        )
    )
    stated = {name: (f.value, f.n) for name, f in figures.items()}
    assert stated == {
        "employed_12m": (pytest.approx(30 / 40), 40),  # every outcome known
        "outcome_known": (1.0, 40),
        "graduate_level": (pytest.approx(12 / 24), 24),
        "employed_in_field": (pytest.approx(18 / 24), 24),
        "employer_marked_in_field": (pytest.approx(21 / 24), 24),
    }


def test_outcomes_known_for_under_half_the_cohort_are_not_published_but_the_share_known_is() -> (
    None
):
    # 19 of 40 known: 12 employed, 7 not employed.
    figures = outcome_figures(counts(graduates=40, employed=12, not_employed=7, in_field=10))
    assert figures["outcome_known"].value == pytest.approx(19 / 40)
    for name in ("employed_12m", "graduate_level", "employed_in_field"):
        assert figures[name].suppressed
        assert figures[name].reason == too_few_known_reason(DEFAULT_METHODOLOGY)
    # Exactly half is enough.
    half = outcome_figures(counts(graduates=40, employed=13, not_employed=7, in_field=10))
    assert half["employed_12m"].value == pytest.approx(13 / 20)


def test_the_gate_is_the_methodologys() -> None:
    strict = Methodology(version=2, weights={"employed_12m": 1.0}, min_known_share=0.8)
    figures = outcome_figures(
        counts(graduates=40, employed=20, not_employed=11), methodology=strict
    )
    assert figures["employed_12m"].reason == too_few_known_reason(strict)
    assert "80%" in too_few_known_reason(strict)


def test_removing_unknown_graduates_leaves_the_published_rate_alone() -> None:
    # The finding: with "no record" as "not employed", 9 of 20 became 9 of 10.
    before = outcome_figures(counts(graduates=20, employed=9, not_employed=6))
    after = outcome_figures(counts(graduates=15, employed=9, not_employed=6))
    assert before["employed_12m"].value == after["employed_12m"].value == pytest.approx(9 / 15)
    assert before["outcome_known"].value == pytest.approx(15 / 20)
    assert after["outcome_known"].value == 1.0


def test_a_cohort_whose_window_is_still_open_publishes_no_outcome() -> None:
    # Period 2025 counts the 2024 cohort: census 30 June 2025, published from 30 September.
    assert outcomes_pending(2025, DEFAULT_METHODOLOGY, today=date(2025, 9, 30)) is None
    pending = outcomes_pending(2025, DEFAULT_METHODOLOGY, today=date(2025, 9, 29))
    assert pending == (
        "the 2024 cohort's outcomes are published from 2025-09-30 "
        "(census date 2025-06-30 plus 92 days to record them)"
    )
    figures = outcome_figures(
        counts(graduates=40, employed=30, not_employed=10), outcomes_pending=pending
    )
    assert all(f.suppressed and f.reason == pending for f in figures.values())
    card = score(
        ScopeTally(),
        outcomes=counts(graduates=40, employed=30, not_employed=10),
        coverage=CoverageCounts(assessed=0, graduates=40),
        domains={},
        outcomes_pending=pending,
    )
    assert card.index.value is None


def test_versions_stored_before_census_outcomes_gate_and_wait_as_the_default_does() -> None:
    older = {
        k: v for k, v in DEFAULT_CONTENT.items() if k not in ("min_known_share", "outcome_lag_days")
    }
    methodology = from_json(older)
    assert (methodology.min_known_share, methodology.outcome_lag_days) == (0.5, 92)


@pytest.mark.parametrize(("field", "value"), [("min_known_share", 1.5), ("outcome_lag_days", -1)])
def test_an_impossible_gate_or_lag_is_refused_naming_it(field: str, value: float) -> None:
    with pytest.raises(MethodologyFieldError) as refused:
        Methodology(version=2, weights={"employed_12m": 1.0}, **{field: value})
    assert refused.value.field == field


async def test_the_day_a_window_opens_its_cohort_is_marked_for_rescoring_once() -> None:
    uow = FakeQualityUnitOfWork()
    for graduate_id, program_id, year in (
        ("g1", "p1", 2024),
        ("g2", "p2", 2024),
        ("g3", "p3", 2023),
    ):
        uow.projection.graduates[graduate_id] = {
            "id": graduate_id,
            "program_id": program_id,
            "graduation_year": year,
            "active": True,
        }

    def factory() -> FakeQualityUnitOfWork:
        return uow

    assert not await mark_opened_outcomes(factory, since=None, today=date(2025, 9, 29))
    assert uow.marks.generations == {}
    assert await mark_opened_outcomes(factory, since=date(2025, 9, 29), today=date(2025, 9, 30))
    assert set(uow.marks.generations) == {("p1", 2024), ("p2", 2024)}
    # The next days mark nothing more; a restart marks the open cohort once again.
    assert not await mark_opened_outcomes(factory, since=date(2025, 9, 30), today=date(2025, 10, 1))
    assert await mark_opened_outcomes(factory, since=None, today=date(2025, 10, 1))
