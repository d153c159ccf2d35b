"""Martilla–James quadrants with grand-mean and fixed crosshairs."""

from quality.domain.importance_performance import (
    CompetencyMeans,
    Crosshairs,
    Quadrant,
    grand_mean_crosshairs,
    importance_performance,
)

FOUR = {
    "technical.methods": CompetencyMeans(importance=4.5, performance=3.0),
    "foundation.communication": CompetencyMeans(importance=4.5, performance=4.5),
    "digital.safety": CompetencyMeans(importance=2.5, performance=3.0),
    "adaptive.independence": CompetencyMeans(importance=2.5, performance=4.5),
}


def test_each_competency_lands_in_its_quadrant_around_the_grand_means() -> None:
    assert grand_mean_crosshairs(FOUR) == Crosshairs(importance=3.5, performance=3.75)
    result = importance_performance(FOUR)
    assert {code: r.quadrant for code, r in result.items()} == {
        "technical.methods": Quadrant.CONCENTRATE_HERE,
        "foundation.communication": Quadrant.KEEP_UP_THE_GOOD_WORK,
        "digital.safety": Quadrant.LOW_PRIORITY,
        "adaptive.independence": Quadrant.POSSIBLE_OVERKILL,
    }


def test_gap_is_importance_minus_performance() -> None:
    result = importance_performance(FOUR)
    assert result["technical.methods"].gap == 1.5
    assert result["adaptive.independence"].gap == -2.0


def test_a_competency_exactly_on_both_crosshairs_counts_as_high_and_high() -> None:
    means = {
        "a": CompetencyMeans(importance=4.1, performance=3.1),
        "b": CompetencyMeans(importance=4.2, performance=3.2),
        "c": CompetencyMeans(importance=4.3, performance=3.3),
    }
    # The grand means are 4.2 and 3.2 (up to rounding), which "b" sits on.
    assert importance_performance(means)["b"].quadrant is Quadrant.KEEP_UP_THE_GOOD_WORK


def test_fixed_crosshairs_at_the_scale_midpoint_replace_the_grand_means() -> None:
    means = {
        "a": CompetencyMeans(importance=4.8, performance=3.4),
        "b": CompetencyMeans(importance=4.6, performance=2.9),
    }
    result = importance_performance(means, crosshairs=Crosshairs(importance=3.0, performance=3.0))
    assert result["a"].quadrant is Quadrant.KEEP_UP_THE_GOOD_WORK
    assert result["b"].quadrant is Quadrant.CONCENTRATE_HERE
    # Against the grand means (4.7, 3.15) "b" is merely a low priority.
    assert importance_performance(means)["b"].quadrant is Quadrant.LOW_PRIORITY


def test_a_competency_on_fixed_crosshairs_counts_as_high_and_high() -> None:
    midpoint = Crosshairs(importance=3.0, performance=3.0)
    result = importance_performance({"a": CompetencyMeans(3.0, 3.0)}, crosshairs=midpoint)
    assert result["a"].quadrant is Quadrant.KEEP_UP_THE_GOOD_WORK


def test_a_scope_without_competencies_has_no_analysis() -> None:
    assert importance_performance({}) == {}
