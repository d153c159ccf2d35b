"""The composite index under methodology version 1."""

import pytest
from quality.domain.index import (
    DEFAULT_METHODOLOGY,
    IndicatorValue,
    Methodology,
    Scale,
    composite_index,
    normalise,
)
from quality.domain.methodology import DEFAULT_CONTENT, as_read, from_json, next_version

ALL = {
    "employer_satisfaction": IndicatorValue(0.8),
    "preparedness": IndicatorValue(0.7),
    "competency_mean": IndicatorValue(4.0, Scale.RATING),
    "employed_12m": IndicatorValue(0.9),
    "employed_in_field": IndicatorValue(0.6),
}


def test_default_methodology_is_version_one_with_weights_summing_to_one() -> None:
    assert DEFAULT_METHODOLOGY.version == 1
    assert sum(DEFAULT_METHODOLOGY.weights.values()) == pytest.approx(1.0)
    assert DEFAULT_METHODOLOGY.weights["employer_satisfaction"] == 0.30
    assert DEFAULT_METHODOLOGY.interval_level == 0.90


def test_a_rating_mean_is_rescaled_from_one_to_five_onto_zero_to_one() -> None:
    assert normalise(1.0, Scale.RATING) == 0.0
    assert normalise(4.0, Scale.RATING) == 0.75
    assert normalise(5.0, Scale.RATING) == 1.0


def test_index_with_every_indicator_published_is_the_weighted_sum() -> None:
    # 100 · (0.3·0.8 + 0.2·0.7 + 0.2·0.75 + 0.2·0.9 + 0.1·0.6) = 77.
    result = composite_index(ALL)
    assert result.value == pytest.approx(77.0)
    assert result.reason is None
    assert result.published_weight_share == pytest.approx(1.0)
    assert result.methodology_version == 1


def test_a_unit_never_scores_higher_because_an_indicator_is_withheld() -> None:
    # Found: the same unit scored 76 with its outcomes published and 90 with them suppressed
    # (the rest renormalised), so registering fewer graduates raised its index.
    strong_ratings = dict(
        ALL,
        employer_satisfaction=IndicatorValue(0.9),
        preparedness=IndicatorValue(0.9),
        competency_mean=IndicatorValue(4.6, Scale.RATING),
        employed_12m=IndicatorValue(0.5),
        employed_in_field=IndicatorValue(0.3),
    )
    assert composite_index(strong_ratings).value == pytest.approx(76.0)
    withheld = dict(
        strong_ratings, employed_12m=IndicatorValue(None), employed_in_field=IndicatorValue(None)
    )
    result = composite_index(withheld)
    assert result.value is None and result.ci_low is None and result.ci_high is None
    assert (
        result.reason
        == "not every weighted indicator is published: employed_12m, employed_in_field"
    )
    assert result.published_weight_share == pytest.approx(0.7)
    assert dict(result.weights_used) == {}


def test_an_indicator_missing_from_the_card_withholds_the_index_too() -> None:
    partial = {"employer_satisfaction": ALL["employer_satisfaction"]}
    assert composite_index(partial).reason == (
        "not every weighted indicator is published: preparedness, competency_mean, "
        "employed_12m, employed_in_field"
    )


def test_the_index_interval_is_the_weighted_sum_of_its_components_bounds() -> None:
    # Hand-computed: lows 0.7, 0.6, (3.6 − 1)/4 = 0.65, 0.85, 0.5 give
    # 100 · (0.3·0.7 + 0.2·0.6 + 0.2·0.65 + 0.2·0.85 + 0.1·0.5) = 68; highs 0.9, 0.8,
    # (4.4 − 1)/4 = 0.85, 0.95, 0.7 give 100 · (0.27 + 0.16 + 0.17 + 0.19 + 0.07) = 86.
    bounded = {
        "employer_satisfaction": IndicatorValue(0.8, ci_low=0.7, ci_high=0.9),
        "preparedness": IndicatorValue(0.7, ci_low=0.6, ci_high=0.8),
        "competency_mean": IndicatorValue(4.0, Scale.RATING, ci_low=3.6, ci_high=4.4),
        "employed_12m": IndicatorValue(0.9, ci_low=0.85, ci_high=0.95),
        "employed_in_field": IndicatorValue(0.6, ci_low=0.5, ci_high=0.7),
    }
    result = composite_index(bounded)
    assert result.value == pytest.approx(77.0)
    assert result.ci_low == pytest.approx(68.0)
    assert result.ci_high == pytest.approx(86.0)


def test_the_index_interval_is_at_least_as_wide_as_independent_components_would_give() -> None:
    # Conservative: the components share their assessments, so their errors correlate; the sum
    # of the weighted half-widths bounds the delta-method half-width for any correlation.
    half_widths = {"employer_satisfaction": 0.1, "preparedness": 0.1, "employed_12m": 0.05}
    weights = DEFAULT_METHODOLOGY.weights
    bounded = {}
    for name, v in ALL.items():
        assert v.value is not None
        h = half_widths.get(name, 0.0)
        bounded[name] = IndicatorValue(v.value, v.scale, ci_low=v.value - h, ci_high=v.value + h)
    result = composite_index(bounded)
    assert result.ci_high is not None and result.value is not None
    independent = 100 * sum((weights[n] * h) ** 2 for n, h in half_widths.items()) ** 0.5
    assert result.ci_high - result.value >= independent
    assert result.ci_high - result.value == pytest.approx(100 * (0.03 + 0.02 + 0.01))


def test_a_component_published_without_an_interval_gives_an_index_without_one() -> None:
    result = composite_index(ALL)
    assert result.value == pytest.approx(77.0)
    assert result.ci_low is None and result.ci_high is None


def test_indicators_without_a_weight_neither_count_nor_withhold() -> None:
    v2 = Methodology(version=2, weights={"employer_satisfaction": 1.0, "employed_12m": 0.0})
    result = composite_index({"employer_satisfaction": IndicatorValue(0.8)}, v2)
    assert result.value == pytest.approx(80.0)


def test_a_new_methodology_version_changes_the_weights_and_names_itself() -> None:
    v2 = Methodology(version=2, weights={"employer_satisfaction": 1.0, "employed_12m": 1.0})
    result = composite_index(ALL, v2)
    assert result.value == pytest.approx(85.0)
    assert result.methodology_version == 2


def test_methodology_weights_cannot_be_edited_in_place() -> None:
    with pytest.raises(TypeError):
        DEFAULT_METHODOLOGY.weights["preparedness"] = 0.9  # type: ignore[index]
    assert hash(DEFAULT_METHODOLOGY) == hash(DEFAULT_METHODOLOGY)


def test_out_of_range_values_are_refused() -> None:
    with pytest.raises(ValueError):
        composite_index(dict(ALL, competency_mean=IndicatorValue(4.0)))
    with pytest.raises(ValueError):
        Methodology(version=3, weights={"a": -1.0, "b": 2.0})


def test_a_version_stored_when_the_index_could_rest_on_half_its_weight_reads_under_todays_rule():
    stored = dict(DEFAULT_CONTENT, min_published_weight_share=0.5)
    assert from_json(stored) == DEFAULT_METHODOLOGY
    assert as_read(stored)["min_published_weight_share"] == 1.0
    assert next_version(stored, {}, latest=1)["min_published_weight_share"] == 1.0
