"""Pure assessment rules: who may be assessed for a period, and what institutions may see."""

from datetime import date

import pytest
from assessment.domain.eligibility import Employment, covers_period
from assessment.domain.framework_rules import check_codes_unique, check_known_codes
from assessment.domain.summary import SummaryRules, distribution, summarize

from shared.contracts.assessment_window import months_before
from shared.platform.errors import RuleViolation

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 27), 12, date(2025, 11, 27)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 15), 13, date(2024, 12, 15)),
        (date(2026, 5, 31), 0, date(2026, 5, 31)),
    ],
)
def test_months_before_counts_calendar_months_and_clamps_to_the_month_end(day, months, expected):
    assert months_before(day, months) == expected


def covers(*employments, period=2026, window=12):
    return covers_period(employments, period=period, today=TODAY, window_months=window)


def test_a_current_employment_that_began_before_the_period_ends_covers_it():
    assert covers(Employment(date(2026, 12, 1), None))
    assert not covers(Employment(date(2027, 1, 1), None))


def test_an_employment_that_ended_within_the_window_covers_its_years():
    ended = Employment(date(2024, 9, 1), date(2025, 12, 31))
    assert covers(ended, period=2025)
    assert not covers(ended, period=2026)  # it ended before the period began
    assert not covers(ended, period=2025, window=6)  # and too long ago for a 6-month window


def test_an_employment_that_ended_before_the_window_covers_nothing():
    assert not covers(Employment(date(2020, 1, 1), date(2024, 6, 30)), period=2024)


def test_any_one_covering_employment_is_enough():
    assert covers(
        Employment(date(2020, 1, 1), date(2021, 1, 1)), Employment(date(2026, 6, 1), None)
    )
    assert not covers()


FRAMEWORK = {
    "code": "fw",
    "version": 2,
    "domains": [
        {"code": "a", "competencies": [{"code": "a.one"}, {"code": "a.two"}]},
        {"code": "b", "competencies": [{"code": "b.one"}]},
    ],
}


def test_a_code_outside_the_framework_is_refused_at_its_path():
    check_known_codes(["a.one", "b.one"], FRAMEWORK, path=("ratings",))
    with pytest.raises(RuleViolation) as refused:
        check_known_codes(["a.one", "c.x"], FRAMEWORK, path=("items", 3, "ratings"))
    assert refused.value.loc == ["body", "items", 3, "ratings", "c.x"]
    assert "fw version 2" in str(refused.value)


def test_a_code_used_twice_in_a_framework_is_refused_where_it_repeats():
    twice = {"domains": [{"code": "a", "competencies": [{"code": "a"}]}]}
    with pytest.raises(RuleViolation) as refused:
        check_codes_unique(twice)
    assert refused.value.loc == ["body", "domains", 0, "competencies", 0, "code"]
    check_codes_unique(FRAMEWORK)


def assessment(overall, *, ratings=None, hire=True, comment=None, employer="e", graduate="g"):
    return {
        "employer_id": employer,
        "graduate_id": graduate,
        "overall_satisfaction": overall,
        "preparedness": 3,
        "would_hire_again": hire,
        "ratings": ratings or {},
        "comment": comment,
    }


def test_distribution_counts_every_scale_point_and_the_unrated():
    assert distribution([1, 5, 5, None]) == {
        "1": 1,
        "2": 0,
        "3": 0,
        "4": 0,
        "5": 2,
        "not_rated": 1,
    }


def test_a_summary_below_the_small_cell_threshold_shows_only_its_size_and_why():
    rows = [assessment(5, employer=f"e{i}", graduate=f"g{i}") for i in range(4)]
    small = summarize(rows, competencies=["a.one"], rules=SummaryRules(min_assessments=5))
    assert small == {
        "n": 4,
        "suppressed": True,
        "reason": "fewer than 5 assessments: not shown, to protect them",
    }


def test_a_summary_with_enough_behind_it_shows_distributions_but_no_comments():
    rows = [
        assessment(4, ratings={"a.one": 2}, comment="good", employer="e0", graduate="g0"),
        assessment(4, ratings={"a.one": None}, hire=False, employer="e1", graduate="g1"),
        *[
            assessment(5, ratings={"a.one": 5}, employer=f"e{i}", graduate=f"g{i}")
            for i in range(2, 7)
        ],
    ]
    shown = summarize(rows, competencies=["a.one", "a.two"], rules=SummaryRules())
    assert shown["n"] == 7 and shown["suppressed"] is False
    assert shown["overall_satisfaction"]["4"] == 2 and shown["overall_satisfaction"]["5"] == 5
    assert shown["competencies"]["a.one"] == {
        "1": 0,
        "2": 1,
        "3": 0,
        "4": 0,
        "5": 5,
        "not_rated": 1,
    }
    assert shown["competencies"]["a.two"]["not_rated"] == 7
    assert shown["would_hire_again"] == {"yes": 6, "no": 1}
    assert "comments" not in shown and "good" not in str(shown)
