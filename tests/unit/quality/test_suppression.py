"""Small-cell rules and secondary suppression."""

from hypothesis import given
from hypothesis import strategies as st
from quality.domain.suppression import (
    FigureKind,
    SuppressionThresholds,
    secondary_suppression,
    suppression_reason,
)


def reason(kind: FigureKind, n: int, employers: int | None = 20, graduates: int | None = 20):
    return suppression_reason(kind=kind, n=n, employers=employers, graduates=graduates)


def test_a_share_from_nine_assessments_is_suppressed_and_from_ten_published() -> None:
    assert reason(FigureKind.SHARE, 9) == "fewer than 10 assessments"
    assert reason(FigureKind.SHARE, 10) is None


def test_a_mean_is_held_to_the_share_threshold_where_that_one_is_higher() -> None:
    # One threshold for a cell's share and its mean: n, the mean and its interval give Σx and
    # Σx², from which a distribution of eight or nine ratings can often be read back exactly.
    assert reason(FigureKind.MEAN, 9) == "fewer than 10 assessments"
    assert reason(FigureKind.MEAN, 10) is None
    lenient = SuppressionThresholds(min_share_n=6, min_mean_n=8)
    assert (
        suppression_reason(
            kind=FigureKind.MEAN, n=7, employers=None, graduates=None, thresholds=lenient
        )
        == "fewer than 8 assessments"
    )


def test_a_figure_describing_four_employers_is_never_published() -> None:
    assert reason(FigureKind.SHARE, 200, employers=4) == "fewer than 5 distinct employers"


def test_a_figure_describing_four_graduates_is_never_published() -> None:
    assert reason(FigureKind.MEAN, 200, graduates=4) == "fewer than 5 distinct graduates"


def test_a_figure_that_names_no_employers_is_not_held_to_the_employer_rule() -> None:
    assert reason(FigureKind.SHARE, 12, employers=None, graduates=12) is None


def test_thresholds_come_from_the_methodology() -> None:
    strict = SuppressionThresholds(min_share_n=23, min_mean_n=8, min_employers=5, min_graduates=5)
    assert (
        suppression_reason(
            kind=FigureKind.SHARE, n=22, employers=10, graduates=22, thresholds=strict
        )
        == "fewer than 23 assessments"
    )


def test_one_suppressed_child_of_a_published_parent_takes_the_smallest_sibling_with_it() -> None:
    result = secondary_suppression(
        parent_published=True, children={"a": 3, "b": 15, "c": 12, "d": 40}, primary={"a"}
    )
    assert result.suppressed == {"a", "c"}
    assert result.secondary == {"c"}
    assert not result.parent_suppressed


def test_ties_for_the_smallest_sibling_are_broken_by_id() -> None:
    result = secondary_suppression(
        parent_published=True, children={"a": 3, "c": 12, "b": 12}, primary={"a"}
    )
    assert result.secondary == {"b"}


def test_two_suppressed_children_need_no_complement() -> None:
    result = secondary_suppression(
        parent_published=True, children={"a": 3, "b": 4, "c": 40}, primary={"a", "b"}
    )
    assert result.suppressed == {"a", "b"}
    assert result.secondary == frozenset()


def test_a_suppressed_parent_protects_its_children_without_complements() -> None:
    result = secondary_suppression(
        parent_published=False, children={"a": 3, "b": 40}, primary={"a"}
    )
    assert result.suppressed == {"a"}
    assert result.parent_suppressed


def test_a_parent_without_children_needs_nothing() -> None:
    result = secondary_suppression(parent_published=True, children={}, primary=set())
    assert result.suppressed == frozenset()
    assert not result.parent_suppressed


def test_all_children_suppressed_leaves_the_parent_published() -> None:
    result = secondary_suppression(
        parent_published=True, children={"a": 3, "b": 4}, primary={"a", "b"}
    )
    assert result.suppressed == {"a", "b"}
    assert not result.parent_suppressed


def test_an_only_child_suppressed_under_a_published_parent_suppresses_the_parent() -> None:
    result = secondary_suppression(parent_published=True, children={"a": 3}, primary={"a"})
    assert result.parent_suppressed
    assert result.suppressed == {"a"}


def test_a_child_with_no_assessments_is_no_cover_for_a_suppressed_sibling() -> None:
    result = secondary_suppression(
        parent_published=True, children={"a": 3, "empty": 0, "b": 30}, primary={"a"}
    )
    assert result.secondary == {"b"}


@given(
    counts=st.lists(st.integers(0, 40), max_size=8),
    parent_published=st.booleans(),
    data=st.data(),
)
def test_no_suppressed_child_equals_the_parent_minus_its_published_children(
    counts: list[int], parent_published: bool, data: st.DataObject
) -> None:
    children = {f"child-{i}": count for i, count in enumerate(counts)}
    primary = data.draw(st.sets(st.sampled_from(sorted(children)))) if children else set()
    result = secondary_suppression(
        parent_published=parent_published, children=children, primary=primary
    )
    assert result.suppressed >= primary
    assert len(result.secondary) <= 2
    if result.parent_suppressed:
        return
    parent = sum(children.values())
    residual = parent - sum(v for c, v in children.items() if c not in result.suppressed)
    # An empty child (n = 0) has nothing to recover: its n is published with every figure.
    assert all(children[c] != residual for c in result.suppressed if children[c] > 0)


def test_a_child_with_nothing_in_it_needs_no_complement():
    # A competency nobody rated is "suppressed" with n = 0: the parent minus the published
    # children reveals only that it is empty, which its published n says anyway.
    result = secondary_suppression(
        parent_published=True,
        children={"rated": 12, "also_rated": 15, "unrated": 0},
        primary={"unrated"},
    )
    assert result.secondary == frozenset() and result.parent_suppressed is False
