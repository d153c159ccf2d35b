"""Scorecards against hand-computed figures, and secondary suppression across scopes."""

import json
import math
import statistics
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from quality.domain.cells import RATING_DOMAINS, ScopeTally
from quality.domain.disclosure import secondary_suppress
from quality.domain.index import DEFAULT_METHODOLOGY, Methodology
from quality.domain.outcomes import OutcomeCounts
from quality.domain.scorecard import (
    SECONDARY_REASON,
    CoverageCounts,
    Figure,
    Scorecard,
)
from quality.domain.scoring import score
from quality.domain.suppression import DOMINANCE_REASON, SuppressionThresholds

# Textbook critical values at 90%: z = Φ⁻¹(0.95); t(0.95; df) from printed tables.
Z90 = 1.6448536269514722
T90 = {
    7: 1.894579,
    8: 1.859548,
    9: 1.833113,
    10: 1.812461,
    11: 1.795885,
    18: 1.734064,
    19: 1.729133,
    20: 1.724718,
    21: 1.720743,
    30: 1.697261,
    40: 1.683851,
}

DOMAINS = {"F1": "foundation", "F2": "foundation", "T1": "technical", "T2": "technical"}
# 40 graduates: 36 known (24 employed, 2 self-employed, 4 studying, 6 not employed); of the
# 26 working, 18 in graduate-level work, 20 in field by the crosswalk, 15 marked in field.
OUTCOMES = OutcomeCounts(
    graduates=40,
    employed=24,
    self_employed=2,
    further_study=4,
    not_employed=6,
    graduate_level=18,
    in_field=20,
    marked_in_field=15,
)
COVERAGE = CoverageCounts(assessed=12, graduates=40)

# Twelve assessments: employers e1..e6 assess two graduates each, graduates g1..g12.
OVERALL = [5, 5, 4, 4, 4, 4, 4, 3, 3, 2, 5, 4]  # 9 of 12 at 4 or above
PREPARED = [4, 4, 4, 3, 3, 5, 5, 5, 2, 4, 4, 1]  # 8 of 12
HIRE = [True] * 10 + [False] * 2
RATINGS = {
    "F1": [4, 5, 3, 4, 4, 5, 2, 3, 4, 4, 5, 4],
    "F2": [3, 4, 4, None, 5, 4, 4, 3, None, 4, 4, 5],  # 10 rated
    "T1": [5, 4, 4, 3, 4, 5, 5, 4, 3, 4, 4, 4],
    "T2": [4, 4, 3, 5, 4, None, None, None, None, None, 3, 4],  # 7 rated
}


def states(employers: int = 6, count: int = 12) -> list[dict[str, Any]]:
    return [
        {
            "assessment_id": f"a{i}",
            "revision": 1,
            "employer_id": f"e{i % employers + 1}",
            "graduate_id": f"g{i + 1}",
            "program_id": "p1",
            "institution_id": "i1",
            "field_code": "0613",
            "level": "6",
            "graduation_year": 2023,
            "period": 2024,
            "framework_id": "educluster-ess",
            "framework_version": 1,
            "ratings": {code: values[i] for code, values in RATINGS.items()},
            RATING_DOMAINS: DOMAINS,  # as the service adds it when it counts the state
            "overall_satisfaction": OVERALL[i],
            "preparedness": PREPARED[i],
            "would_hire_again": HIRE[i],
        }
        for i in range(count)
    ]


def scorecard(employers: int = 6, **kwargs: Any) -> Scorecard:
    arguments = {"outcomes": OUTCOMES, "coverage": COVERAGE, "domains": DOMAINS, **kwargs}
    return score(ScopeTally.from_states(states(employers)), **arguments)


def wilson(x: int, n: int) -> tuple[float, float]:
    p, z2 = x / n, Z90 * Z90
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z90 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return centre - half, centre + half


def t_interval(values: list[int]) -> tuple[float, float, float]:
    mean = statistics.fmean(values)
    half = T90[len(values) - 1] * statistics.stdev(values) / math.sqrt(len(values))
    return mean, mean - half, mean + half


def rated(*codes: str) -> list[int]:
    return [r for code in codes for r in RATINGS[code] if r is not None]


def assert_share(figure: Figure, x: int, n: int) -> None:
    low, high = wilson(x, n)
    assert figure.value == pytest.approx(x / n, rel=1e-12)
    assert figure.ci_low == pytest.approx(low, rel=1e-9)
    assert figure.ci_high == pytest.approx(high, rel=1e-9)
    assert (figure.n, figure.suppressed, figure.reason) == (n, False, None)


def assert_clustered_mean(figure: Figure, assessments: list[list[int]]) -> None:
    """The pooled mean of the assessments' ratings, its interval by assessment (the ratio
    estimator's linearised variance), computed here from the ratings themselves."""
    rated_sets = [ratings for ratings in assessments if ratings]
    n, sums, counts = len(rated_sets), [sum(r) for r in rated_sets], [len(r) for r in rated_sets]
    mean = sum(sums) / sum(counts)
    residuals = sum((s - mean * k) ** 2 for s, k in zip(sums, counts, strict=True))
    variance = max(n / (n - 1) * residuals / sum(counts) ** 2, 1 / ((sum(counts) + 1) * n))
    half = T90[n - 1] * math.sqrt(variance)
    assert figure.value == pytest.approx(mean, rel=1e-12)
    assert figure.ci_low == pytest.approx(mean - half, abs=1e-5)
    assert figure.ci_high == pytest.approx(mean + half, abs=1e-5)
    assert (figure.n, figure.suppressed) == (sum(counts), False)


def assert_clustered_share(figure: Figure, assessments: list[list[int]]) -> None:
    """The pooled share of ratings ≥ 4: Wilson's interval at the effective sample size."""
    rated_sets = [ratings for ratings in assessments if ratings]
    n = len(rated_sets)
    ys, counts = [sum(r >= 4 for r in rs) for rs in rated_sets], [len(rs) for rs in rated_sets]
    p = sum(ys) / sum(counts)
    residuals = sum((y - p * k) ** 2 for y, k in zip(ys, counts, strict=True))
    variance = n / (n - 1) * residuals / sum(counts) ** 2
    effective = min(sum(counts), p * (1 - p) / variance)
    z2 = Z90 * Z90
    centre = (p + z2 / (2 * effective)) / (1 + z2 / effective)
    half = Z90 * math.sqrt(p * (1 - p) / effective + z2 / (4 * effective**2)) / (1 + z2 / effective)
    assert figure.value == pytest.approx(p, rel=1e-12)
    assert figure.ci_low == pytest.approx(centre - half, rel=1e-9)
    assert figure.ci_high == pytest.approx(centre + half, rel=1e-9)
    assert (figure.n, figure.suppressed) == (sum(counts), False)


def by_assessment(*codes: str) -> list[list[int]]:
    """Each assessment's ratings of ``codes`` (nulls left out)."""
    return [
        [r for code in codes if (r := RATINGS[code][i]) is not None] for i in range(len(OVERALL))
    ]


def assert_mean(figure: Figure, values: list[int]) -> None:
    mean, low, high = t_interval(values)
    assert figure.value == pytest.approx(mean, rel=1e-12)
    assert figure.ci_low == pytest.approx(low, abs=1e-5)
    assert figure.ci_high == pytest.approx(high, abs=1e-5)
    assert (figure.n, figure.suppressed) == (len(values), False)


def test_employer_satisfaction_of_twelve_assessments_is_nine_twelfths_with_its_interval() -> None:
    figure = scorecard().indicators["employer_satisfaction"]
    assert_share(figure, 9, 12)
    # By hand: p = 0.75, z²/n = 0.22546, centre = 0.86273/1.22546 = 0.70400,
    # half-width = 1.64485·sqrt(0.015625 + 0.0046971)/1.22546 = 0.19134.
    assert (round(figure.ci_low, 3), round(figure.ci_high, 3)) == (0.513, 0.895)


def test_preparedness_and_would_hire_again_are_shares_with_wilson_intervals() -> None:
    card = scorecard()
    assert_share(card.indicators["preparedness"], 8, 12)
    assert_share(card.indicators["would_hire_again"], 10, 12)


def test_domain_figures_pool_the_ratings_of_their_competencies_with_intervals_by_assessment():
    card = scorecard()
    # 22 and 19 ratings from 12 assessments: t(11), not t(21) or t(18).
    assert_clustered_mean(card.domains["foundation"].mean, by_assessment("F1", "F2"))
    assert_clustered_mean(card.domains["technical"].mean, by_assessment("T1", "T2"))
    assert_clustered_share(card.domains["foundation"].satisfied, by_assessment("F1", "F2"))
    assert card.domains["foundation"].n == 22


def test_competency_mean_pools_every_rating_of_every_competency() -> None:
    assert_clustered_mean(
        scorecard().indicators["competency_mean"], by_assessment("F1", "F2", "T1", "T2")
    )


def test_without_moments_a_pooled_mean_takes_the_conservative_interval() -> None:
    # Assessments counted before moments were kept: as if each assessment's ratings were one.
    old = [{k: v for k, v in state.items() if k != RATING_DOMAINS} for state in states()]
    card = score(ScopeTally.from_states(old), outcomes=OUTCOMES, coverage=COVERAGE, domains=DOMAINS)
    values = rated("F1", "F2")
    mean = statistics.fmean(values)
    half = T90[11] * statistics.stdev(values) / math.sqrt(12)  # 12 assessments rated F1
    figure = card.domains["foundation"].mean
    assert figure.value == pytest.approx(mean, rel=1e-12)
    assert (figure.ci_low, figure.ci_high) == pytest.approx((mean - half, mean + half), abs=1e-5)


def test_a_competency_reports_mean_share_satisfied_and_distribution_with_not_rated() -> None:
    # Ten ratings by six employers: with the default 10 the largest employer would dominate, so
    # a methodology with a lower bar shows the figures this test computes by hand.
    lower = SuppressionThresholds(min_share_n=8, min_mean_n=8)
    methodology = Methodology(version=9, weights=DEFAULT_METHODOLOGY.weights, thresholds=lower)
    f2 = scorecard(methodology=methodology).competencies["F2"]
    assert_mean(f2.mean, rated("F2"))
    assert_share(f2.satisfied, 8, 10)
    assert f2.distribution == {"1": 0, "2": 0, "3": 2, "4": 6, "5": 2, "not_rated": 2}
    assert (f2.n, f2.domain) == (10, "foundation")


def test_a_competency_rated_seven_times_is_suppressed_and_hides_its_only_sibling() -> None:
    card = scorecard()
    t2, t1 = card.competencies["T2"], card.competencies["T1"]
    assert t2.mean == Figure.hidden(n=7, reason="fewer than 10 assessments")
    assert t2.satisfied == Figure.hidden(n=7, reason="fewer than 10 assessments")
    assert t2.distribution is None
    # The technical domain is published, so T1 alone would give T2 away: domain − T1 = T2.
    assert t1.mean == Figure.hidden(n=12, reason=SECONDARY_REASON)
    assert t1.satisfied == Figure.hidden(n=12, reason=SECONDARY_REASON)
    assert t1.distribution is None
    assert not card.domains["technical"].mean.suppressed


def test_a_mean_is_never_published_where_the_share_of_the_same_ratings_is_hidden() -> None:
    def only_x(count: int) -> Scorecard:
        tally = ScopeTally.from_states(  # twelve employers, one assessment each
            {**s, "ratings": {"X": 4 if i % 2 else 3} if i < count else {"X": None}}
            for i, s in enumerate(states(employers=12))
        )
        return score(tally, outcomes=OUTCOMES, coverage=COVERAGE, domains={})

    for count in (8, 9):  # channel 7: the mean and its interval would give the ratings away
        x = only_x(count).competencies["X"]
        assert x.satisfied.reason == "fewer than 10 assessments"
        assert x.mean == Figure.hidden(n=count, reason="fewer than 10 assessments")
        assert only_x(count).indicators["competency_mean"].reason == "fewer than 10 assessments"
    # Eleven: without any one employer, ten remain (the dominance rule).
    assert_mean(only_x(11).competencies["X"].mean, [3, 4] * 5 + [3])
    assert not only_x(11).competencies["X"].satisfied.suppressed


def test_four_distinct_employers_suppress_every_assessment_figure_but_not_the_outcomes() -> None:
    card = scorecard(employers=4)
    for name in ("employer_satisfaction", "preparedness", "would_hire_again", "competency_mean"):
        assert card.indicators[name].reason == "fewer than 5 distinct employers"
        assert card.indicators[name].value is None
    assert card.domains["foundation"].mean.reason == "fewer than 5 distinct employers"
    assert card.competencies["F1"].satisfied.reason == "fewer than 5 distinct employers"
    assert_share(card.indicators["employed_12m"], 30, 36)
    assert_share(card.indicators["outcome_known"], 36, 40)
    assert_share(card.indicators["graduate_level"], 18, 26)
    assert_share(card.indicators["employed_in_field"], 20, 26)
    assert_share(card.indicators["employer_marked_in_field"], 15, 26)
    # The ratings' indicators are withheld: so is the index.
    assert card.index.value is None
    assert card.index.reason == (
        "not every weighted indicator is published: "
        "employer_satisfaction, preparedness, competency_mean"
    )


def assessed(
    employers: list[str], ratings: list[dict[str, int | None]], graduates: list[str] | None = None
) -> ScopeTally:
    """One assessment per entry: employer i rates graduate i (g{i} unless given)."""
    template = states()[0]
    return ScopeTally.from_states(
        {
            **template,
            "assessment_id": f"a{i}",
            "employer_id": employer,
            "graduate_id": f"g{i}" if graduates is None else graduates[i],
            "ratings": rated_here,
            "overall_satisfaction": OVERALL[i % 12],
            "preparedness": PREPARED[i % 12],
            "would_hire_again": HIRE[i % 12],
        }
        for i, (employer, rated_here) in enumerate(zip(employers, ratings, strict=True))
    )


def test_a_competency_rated_by_one_of_twelve_employers_is_suppressed_for_that_employer() -> None:
    # e1 rates X for ten graduates; e2..e12 answer null ("not observed / not required").
    employers = ["e1"] * 10 + [f"e{k}" for k in range(2, 13)]
    ratings = [{"F1": 4 + i % 2, "X": 3 + i % 3 if i < 10 else None} for i in range(21)]
    card = score(assessed(employers, ratings), outcomes=OUTCOMES, coverage=COVERAGE, domains={})
    x = card.competencies["X"]
    assert x.mean == Figure.hidden(n=10, reason="fewer than 5 distinct employers")
    assert x.satisfied == Figure.hidden(n=10, reason="fewer than 5 distinct employers")
    assert x.distribution is None
    # The scope has 12 employers and 21 graduates, so its own figures stay published.
    for name in ("employer_satisfaction", "preparedness", "would_hire_again", "competency_mean"):
        assert not card.indicators[name].suppressed, name
    assert card.indicators["employer_satisfaction"].n == 21
    assert_clustered_mean(
        card.indicators["competency_mean"],
        [[r for r in rated_here.values() if r is not None] for rated_here in ratings],
    )


def test_a_domain_whose_ratings_come_from_four_employers_is_suppressed() -> None:
    # e1..e4 assess three graduates each and rate D1 and D2; e5..e12 assess one, rating neither.
    employers = [f"e{k}" for k in range(1, 5) for _ in range(3)] + [f"e{k}" for k in range(5, 13)]
    ratings = [
        {"F1": 3 + i % 3, "D1": 4 + i % 2 if i < 12 else None, "D2": 5 if i < 12 else None}
        for i in range(20)
    ]
    card = score(
        assessed(employers, ratings),
        outcomes=OUTCOMES,
        coverage=COVERAGE,
        domains={"F1": "foundation", "D1": "digital", "D2": "digital"},
    )
    digital = card.domains["digital"]
    assert digital.mean == Figure.hidden(n=24, reason="fewer than 5 distinct employers")
    assert digital.satisfied == Figure.hidden(n=24, reason="fewer than 5 distinct employers")
    assert card.competencies["D1"].mean.reason == "fewer than 5 distinct employers"
    assert_mean(card.competencies["F1"].mean, [3 + i % 3 for i in range(20)])
    assert not card.indicators["employer_satisfaction"].suppressed


def test_a_competency_rated_about_four_graduates_is_suppressed_for_those_graduates() -> None:
    # Ten employers rate X, about g0..g3 only; the others' assessments of g4..g13 skip it.
    employers = [f"e{k}" for k in range(10)] * 2
    graduates = [f"g{i % 4}" for i in range(10)] + [f"g{i}" for i in range(4, 14)]
    ratings = [{"F1": 4, "X": 4 if i < 10 else None} for i in range(20)]
    card = score(
        assessed(employers, ratings, graduates), outcomes=OUTCOMES, coverage=COVERAGE, domains={}
    )
    assert card.competencies["X"].mean == Figure.hidden(
        n=10, reason="fewer than 5 distinct graduates"
    )
    assert not card.indicators["competency_mean"].suppressed


def test_index_is_the_weighted_sum_of_the_published_indicators() -> None:
    competency_mean = statistics.fmean(rated("F1", "F2", "T1", "T2"))
    expected = 100 * (
        0.3 * 9 / 12
        + 0.2 * 8 / 12
        + 0.2 * (competency_mean - 1) / 4
        + 0.2 * 30 / 36
        + 0.1 * 20 / 26
    )
    card = scorecard()
    assert card.index.value == pytest.approx(expected, rel=1e-12)
    assert card.index.reason is None
    assert card.methodology_version == 1


def test_outcomes_of_a_cohort_of_nine_are_suppressed_and_so_is_the_index() -> None:
    # Found: the index was renormalised over the ratings and rose without the weaker outcomes.
    card = scorecard(outcomes=OutcomeCounts(graduates=9, employed=5, not_employed=4, in_field=3))
    assert card.indicators["employed_12m"] == Figure.hidden(n=9, reason="fewer than 10 graduates")
    assert card.index.value is None and card.index.ci_high is None
    assert card.index.reason == (
        "not every weighted indicator is published: employed_12m, employed_in_field"
    )
    assert card.index.published_weight_share == pytest.approx(0.7)


def test_the_index_interval_is_the_weighted_sum_of_the_indicators_bounds() -> None:
    card = scorecard()
    weights = DEFAULT_METHODOLOGY.weights

    def on_unit_scale(name: str, bound: float) -> float:
        return (bound - 1) / 4 if name == "competency_mean" else bound

    for end in ("ci_low", "ci_high"):
        expected = 100 * sum(
            w * on_unit_scale(name, getattr(card.indicators[name], end))
            for name, w in weights.items()
        )
        assert getattr(card.index, end) == pytest.approx(expected, rel=1e-12)
    assert card.index.ci_low < card.index.value < card.index.ci_high


def test_coverage_of_three_assessed_graduates_of_nine_hundred_is_published_as_such() -> None:
    card = scorecard(coverage=CoverageCounts(assessed=3, graduates=900))
    assert_share(card.indicators["coverage"], 3, 900)


def test_coverage_is_published_even_where_every_other_figure_is_suppressed() -> None:
    card = scorecard(employers=4, coverage=CoverageCounts(assessed=3, graduates=4))
    assert_share(card.indicators["coverage"], 3, 4)


def test_coverage_without_graduates_in_scope_has_no_value() -> None:
    card = scorecard(coverage=CoverageCounts(assessed=0, graduates=0))
    assert card.indicators["coverage"] == Figure.hidden(n=0, reason="no graduates in scope")


def test_the_satisfied_threshold_comes_from_the_methodology() -> None:
    strict = Methodology(version=2, weights=DEFAULT_METHODOLOGY.weights, satisfied_threshold=5)
    card = scorecard(methodology=strict)
    assert_share(card.indicators["employer_satisfaction"], 3, 12)
    assert card.methodology_version == 2


def test_an_empty_scope_has_no_value_anywhere_but_every_figure_carries_n() -> None:
    card = score(
        ScopeTally(),
        outcomes=OutcomeCounts(),
        coverage=CoverageCounts(assessed=0, graduates=0),
        domains=DOMAINS,
    )
    assert all(f.value is None and f.n == 0 for f in card.indicators.values())
    assert card.competencies["T1"].n == 0
    assert card.index.value is None


def test_a_scorecard_serialises_to_plain_json() -> None:
    data = json.loads(json.dumps(scorecard().to_json()))
    assert data["methodology_version"] == 1
    assert data["indicators"]["employer_satisfaction"]["n"] == 12
    assert set(data["indicators"]["employer_satisfaction"]) == {
        "value",
        "ci_low",
        "ci_high",
        "n",
        "suppressed",
        "reason",
    }
    assert data["competencies"]["T2"]["distribution"] is None
    assert data["index"]["suppressed"] is False


# --- Secondary suppression across scopes


def cell(prefix: str, count: int, *, employers: int = 6) -> ScopeTally:
    return ScopeTally.from_states(
        {**s, "assessment_id": f"{prefix}{i}", "graduate_id": f"{prefix}g{i}"}
        for i, s in enumerate(states(employers, count))
    )


def card_of(tally: ScopeTally) -> Scorecard:
    return score(tally, outcomes=OUTCOMES, coverage=COVERAGE, domains=DOMAINS)


def test_a_program_with_seven_assessments_takes_its_smallest_published_sibling_with_it() -> None:
    small, medium, large = cell("s", 7), cell("m", 11, employers=11), cell("l", 12, employers=12)
    parent = card_of(ScopeTally.combine([small, medium, large]))
    children = {"small": card_of(small), "medium": card_of(medium), "large": card_of(large)}
    family = secondary_suppress(parent, children)
    share = "employer_satisfaction"
    assert family.children["small"].indicators[share].reason == "fewer than 10 assessments"
    assert family.children["medium"].indicators[share] == Figure.hidden(
        n=11, reason=SECONDARY_REASON
    )
    assert family.children["large"].indicators[share] == children["large"].indicators[share]
    assert family.parent == parent
    # The index of the medium program no longer rests on the hidden share.
    assert "employer_satisfaction" not in family.children["medium"].index.weights_used


def test_a_parent_equal_to_its_only_child_is_hidden_when_that_child_is_hidden() -> None:
    member, other = cell("m", 12), cell("o", 7)
    cluster = secondary_suppress(
        card_of(ScopeTally.combine([member, other])),
        {"member": card_of(member), "other": card_of(other)},
    )
    hidden_member = cluster.children["member"]
    assert hidden_member.indicators["preparedness"].reason == SECONDARY_REASON
    # In its region the same organization is the only one: the region would be a copy of it.
    region = secondary_suppress(card_of(member), {"member": hidden_member})
    assert region.parent.indicators["preparedness"].reason == SECONDARY_REASON
    assert region.children["member"] == hidden_member


def test_secondary_suppression_refuses_cards_of_different_methodologies() -> None:
    v2 = Methodology(version=2, weights=DEFAULT_METHODOLOGY.weights)
    with pytest.raises(ValueError, match="methodology"):
        secondary_suppress(scorecard(), {"a": scorecard(methodology=v2)})


# --- Property: nothing suppressed is a parent minus its published children

PROPERTY_DOMAINS = {"F1": "foundation", "F2": "foundation", "T1": "technical"}  # X1 unmapped
CODES = ["F1", "F2", "T1", "X1"]

assessment_strategy = st.fixed_dictionaries(
    {
        "employer_id": st.sampled_from([f"e{i}" for i in range(8)]),
        "overall_satisfaction": st.integers(1, 5),
        "preparedness": st.integers(1, 5),
        "would_hire_again": st.booleans(),
        "ratings": st.fixed_dictionaries({code: st.none() | st.integers(1, 5) for code in CODES}),
    }
)
# Sizes around the thresholds (8 for means, 10 for shares) and well above them.
child_strategy = st.tuples(
    st.sampled_from([0, 1, 4, 7, 8, 9, 10, 12, 16, 25]).flatmap(
        lambda size: st.lists(assessment_strategy, min_size=size, max_size=size)
    ),
    st.integers(0, 30).flatmap(lambda g: outcome_strategy(g)),
)


@st.composite
def outcome_strategy(draw: st.DrawFn, graduates: int) -> OutcomeCounts:
    left = graduates
    counts = {}
    for category in ("employed", "self_employed", "further_study", "not_employed"):
        counts[category] = draw(st.integers(0, left))
        left -= counts[category]
    working = counts["employed"] + counts["self_employed"]
    for among_working in ("graduate_level", "in_field", "marked_in_field"):
        counts[among_working] = draw(st.integers(0, working))
    return OutcomeCounts(graduates=graduates, **counts)


def full_state(child: int, i: int, partial: dict[str, Any]) -> dict[str, Any]:
    base = states()[0]
    return {**base, **partial, "assessment_id": f"c{child}a{i}", "graduate_id": f"c{child}g{i}"}


def truth(assessments: list[dict[str, Any]], outcome: OutcomeCounts) -> dict:
    """(numerator, n) of every additive figure, counted straight from the assessments."""

    def share(values: list[int]) -> tuple[int, int]:
        return sum(v >= 4 for v in values), len(values)

    def ratings(codes: list[str]) -> list[int]:
        return [r for a in assessments for c in codes if (r := a["ratings"][c]) is not None]

    facts = {
        ("indicator", "employer_satisfaction"): share(
            [a["overall_satisfaction"] for a in assessments]
        ),
        ("indicator", "preparedness"): share([a["preparedness"] for a in assessments]),
        ("indicator", "would_hire_again"): (
            sum(a["would_hire_again"] for a in assessments),
            len(assessments),
        ),
        ("indicator", "competency_mean"): (sum(ratings(CODES)), len(ratings(CODES))),
        ("indicator", "employed_12m"): (outcome.positive, outcome.known),
        ("indicator", "outcome_known"): (outcome.known, outcome.graduates),
        ("indicator", "graduate_level"): (outcome.graduate_level, outcome.working),
        ("indicator", "employed_in_field"): (outcome.in_field, outcome.working),
        ("indicator", "employer_marked_in_field"): (outcome.marked_in_field, outcome.working),
    }
    groups = {
        d: [c for c, dd in PROPERTY_DOMAINS.items() if dd == d] for d in ("foundation", "technical")
    }
    for kind, codes in [("domain", g) for g in groups.items()] + [
        ("competency", (c, [c])) for c in CODES
    ]:
        name, members = codes
        facts[(kind, name, "mean")] = (sum(ratings(members)), len(ratings(members)))
        facts[(kind, name, "satisfied")] = share(ratings(members))
    return facts


def figure(card: Scorecard, key: tuple[str, ...]) -> Figure:
    if key[0] == "indicator":
        return card.indicators[key[1]]
    group = card.domains if key[0] == "domain" else card.competencies
    if key[1] not in group:  # a competency nobody in the scope rated or skipped
        return Figure.hidden(n=0, reason="absent")
    return getattr(group[key[1]], key[2])


def assert_not_derivable(parent: tuple, children: list[tuple[Figure, tuple[int, int]]]) -> None:
    parent_figure, parent_truth = parent
    if parent_figure.suppressed:
        return
    published = [t for f, t in children if not f.suppressed]
    hidden = [t for f, t in children if f.suppressed and t[1] > 0]
    residual = (
        parent_truth[0] - sum(t[0] for t in published),
        parent_truth[1] - sum(t[1] for t in published),
    )
    assert residual not in hidden
    assert len(hidden) != 1  # none, or at least two to hide behind


def within_groupings() -> list[tuple[tuple[str, ...], list[tuple[str, ...]]]]:
    groupings = [
        (("domain", d, m), [("competency", c, m) for c, dd in PROPERTY_DOMAINS.items() if dd == d])
        for d in ("foundation", "technical")
        for m in ("mean", "satisfied")
    ]
    pooled_children = [("domain", d, "mean") for d in ("foundation", "technical")]
    groupings.append(
        (("indicator", "competency_mean"), [*pooled_children, ("competency", "X1", "mean")])
    )
    return groupings


@settings(max_examples=300, deadline=None)
@given(st.lists(child_strategy, min_size=1, max_size=4))
def test_no_suppressed_figure_is_the_parent_minus_its_published_children(children_data) -> None:
    child_states = [
        [full_state(c, i, partial) for i, partial in enumerate(assessments)]
        for c, (assessments, _) in enumerate(children_data)
    ]
    outcomes = [outcome for _, outcome in children_data]

    def card(assessments: list[dict[str, Any]], outcome: OutcomeCounts) -> Scorecard:
        tally = ScopeTally.from_states(assessments)
        return score(
            tally,
            outcomes=outcome,
            coverage=CoverageCounts(assessed=len(tally.graduates), graduates=len(assessments) + 5),
            domains=PROPERTY_DOMAINS,
        )

    everyone = [s for group in child_states for s in group]
    parent_outcome = OutcomeCounts.total(outcomes)
    family = secondary_suppress(
        card(everyone, parent_outcome),
        {f"c{c}": card(group, outcomes[c]) for c, group in enumerate(child_states)},
    )
    parent_truth = truth(everyone, parent_outcome)
    child_truths = {f"c{c}": truth(group, outcomes[c]) for c, group in enumerate(child_states)}

    for key, facts in parent_truth.items():
        assert_not_derivable(
            (figure(family.parent, key), facts),
            [(figure(family.children[c], key), child_truths[c][key]) for c in family.children],
        )
    for card_, facts in [(family.parent, parent_truth)] + [
        (family.children[c], child_truths[c]) for c in family.children
    ]:
        for parent_key, child_keys in within_groupings():
            assert_not_derivable(
                (figure(card_, parent_key), facts[parent_key]),
                [(figure(card_, k), facts[k]) for k in child_keys],
            )
        for key, (numerator, n) in facts.items():
            published = figure(card_, key)
            if not published.suppressed:
                assert published.value == pytest.approx(numerator / n)
        hidden = {n for n, f in card_.indicators.items() if f.suppressed}
        assert not hidden & set(card_.index.weights_used)


def test_a_satisfied_threshold_outside_two_to_five_is_refused() -> None:
    with pytest.raises(ValueError, match="satisfied threshold"):
        Methodology(version=3, weights=DEFAULT_METHODOLOGY.weights, satisfied_threshold=6)


def test_a_cell_one_employer_dominates_is_hidden_so_it_cannot_subtract_its_own() -> None:
    # Channel 6 of the publication issue: one employer wrote 46 of 50 assessments.
    dominated = ScopeTally.from_states(
        {**s, "assessment_id": f"a{i}", "graduate_id": f"g{i}", "employer_id": "big"}
        if i < 46
        else {**s, "assessment_id": f"a{i}", "graduate_id": f"g{i}", "employer_id": f"e{i}"}
        for i, s in enumerate(states(employers=1, count=12) * 5)
        if i < 50
    )
    card = score(dominated, outcomes=OUTCOMES, coverage=COVERAGE, domains=DOMAINS)
    assert card.indicators["employer_satisfaction"].reason == DOMINANCE_REASON
    assert card.indicators["employer_satisfaction"].value is None
    # Employment outcomes describe graduates, not employers: the rule does not apply to them.
    assert not card.indicators["employed_12m"].suppressed
    balanced = ScopeTally.from_states(
        {**s, "assessment_id": f"a{i}", "graduate_id": f"g{i}", "employer_id": f"e{i % 10}"}
        for i, s in enumerate(states(employers=1, count=12) * 5)
        if i < 50
    )
    shown = score(balanced, outcomes=OUTCOMES, coverage=COVERAGE, domains=DOMAINS)
    assert not shown.indicators["employer_satisfaction"].suppressed
