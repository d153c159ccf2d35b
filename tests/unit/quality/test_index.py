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


def test_suppressed_indicators_drop_out_and_the_rest_are_renormalised() -> None:
    indicators = dict(
        ALL, preparedness=IndicatorValue(None), employed_in_field=IndicatorValue(None)
    )
    # 100 · (0.3·0.8 + 0.2·0.75 + 0.2·0.9) / 0.7 = 57 / 0.7.
    result = composite_index(indicators)
    assert result.value == pytest.approx(57 / 0.7)
    assert result.published_weight_share == pytest.approx(0.7)
    assert result.weights_used["employer_satisfaction"] == pytest.approx(0.3 / 0.7)


def test_index_resting_on_exactly_half_the_weight_is_still_published() -> None:
    indicators = {
        "employer_satisfaction": ALL["employer_satisfaction"],
        "preparedness": ALL["preparedness"],
    }
    # 100 · (0.3·0.8 + 0.2·0.7) / 0.5 = 76.
    assert composite_index(indicators).value == pytest.approx(76.0)


def test_index_resting_on_less_than_half_the_weight_is_suppressed_with_a_reason() -> None:
    result = composite_index({"employer_satisfaction": ALL["employer_satisfaction"]})
    assert result.value is None
    assert result.reason == "published indicators carry 30% of the weight, below the minimum of 50%"


def test_index_without_any_published_indicator_is_suppressed() -> None:
    assert composite_index({}).value is None


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
