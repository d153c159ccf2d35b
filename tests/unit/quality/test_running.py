"""Running tallies: exact add/remove, and equal to a from-scratch count of what survives."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from quality.domain.running import MeanTally, ProportionTally


def test_mean_tally_of_a_few_ratings_holds_sums_and_distribution() -> None:
    tally = MeanTally.from_values([5, 4, 4, 2])
    assert (tally.n, tally.total, tally.total_sq) == (4, 15, 25 + 16 + 16 + 4)
    assert tally.mean == 15 / 4
    assert tally.distribution() == {1: 0, 2: 1, 3: 0, 4: 2, 5: 1}


def test_revising_a_rating_is_a_remove_and_an_add() -> None:
    tally = MeanTally.from_values([5, 4, 4, 2])
    tally.remove(2)
    tally.add(3)
    assert tally == MeanTally.from_values([5, 4, 4, 3])


def test_satisfied_share_counts_ratings_of_four_and_five() -> None:
    satisfied = MeanTally.from_values([5, 4, 3, 2, 1, 4]).satisfied()
    assert (satisfied.successes, satisfied.n) == (3, 6)
    assert satisfied.share == 0.5


def test_empty_tallies_have_no_mean_or_share() -> None:
    assert MeanTally().mean is None
    assert ProportionTally().share is None


def test_removing_a_rating_that_was_never_counted_is_refused() -> None:
    tally = MeanTally.from_values([4])
    with pytest.raises(ValueError):
        tally.remove(5)
    assert tally == MeanTally.from_values([4])


def test_removing_a_success_that_was_never_counted_is_refused() -> None:
    tally = ProportionTally.from_values([False, False])
    with pytest.raises(ValueError):
        tally.remove(True)
    tally.remove(False)
    assert (tally.successes, tally.n) == (0, 1)


def test_ratings_outside_one_to_five_or_not_integers_are_refused() -> None:
    tally = MeanTally()
    with pytest.raises(ValueError):
        tally.add(6)
    with pytest.raises(TypeError):
        tally.add(4.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        tally.add(True)
    assert tally == MeanTally()


def test_tally_intervals_delegate_to_wilson_and_t() -> None:
    share = ProportionTally.from_values([True] * 8 + [False] * 2)
    assert share.interval(0.95) == pytest.approx((0.4902, 0.9433), abs=5e-5)
    low, high = MeanTally.from_values([3, 4, 5, 4, 4, 3, 5, 4]).interval()
    assert (low + high) / 2 == pytest.approx(4.0)


@given(st.data())
def test_running_mean_tally_equals_from_values_after_any_adds_and_removes(
    data: st.DataObject,
) -> None:
    tally, alive = MeanTally(), []
    for _ in range(data.draw(st.integers(0, 60))):
        if alive and data.draw(st.booleans()):
            rating = alive.pop(data.draw(st.integers(0, len(alive) - 1)))
            tally.remove(rating)
        else:
            rating = data.draw(st.integers(1, 5))
            alive.append(rating)
            tally.add(rating)
    assert tally == MeanTally.from_values(alive)
    assert tally.satisfied() == ProportionTally.from_values(r >= 4 for r in alive)


@given(st.data())
def test_running_proportion_tally_equals_from_values_after_any_adds_and_removes(
    data: st.DataObject,
) -> None:
    tally, alive = ProportionTally(), []
    for _ in range(data.draw(st.integers(0, 60))):
        if alive and data.draw(st.booleans()):
            tally.remove(alive.pop(data.draw(st.integers(0, len(alive) - 1))))
        else:
            value = data.draw(st.booleans())
            alive.append(value)
            tally.add(value)
    assert tally == ProportionTally.from_values(alive)
