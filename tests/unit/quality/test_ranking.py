"""Rankings by empirical-Bayes estimate: hand-computed order and synthetic truth."""

import random

import pytest
from quality.domain.ranking import (
    NOT_ENOUGH_DATA,
    Ranked,
    comparable_group,
    rank,
    rank_cards,
    ranks_by_scope,
)
from quality.domain.scorecard import ONE_CATEGORY_REASON


def test_units_are_ranked_by_their_shrunk_estimate_best_first() -> None:
    # Pooled rate 0.5; τ² = 13/180 gives k = 32/13 (see test_shrinkage), below the ranking's
    # floor of 10, so a = b = 5: c = (8 + 5)/(10 + 10) = 0.65, b = 0.5, a = 7/20.
    result = rank({"a": (2, 10), "b": (5, 10), "c": (8, 10)}, published={"a", "b", "c"})
    assert [(r.unit_id, r.rank) for r in result] == [("c", 1), ("b", 2), ("a", 3)]
    assert result[0].estimate == pytest.approx(0.65)
    assert result[1].estimate == pytest.approx(0.5)
    assert result[2] == Ranked(
        unit_id="a",
        rank=3,
        estimate=pytest.approx(7 / 20),
        raw_share=0.2,
        n=10,
        reason=None,
        rank_low=result[2].rank_low,
        rank_high=result[2].rank_high,
    )
    assert (result[0].rank_low, result[2].rank_high) == (1, 3)  # three close units: wide


def test_a_unit_whose_figure_is_suppressed_is_listed_as_not_enough_data() -> None:
    result = rank(
        {"a": (2, 10), "b": (5, 10), "c": (8, 10), "tiny": (3, 3)}, published={"a", "b", "c"}
    )
    assert result[-1] == Ranked(
        unit_id="tiny", rank=None, estimate=None, raw_share=None, n=3, reason=NOT_ENOUGH_DATA
    )


def test_suppressed_units_do_not_move_the_estimates_of_the_published_ones() -> None:
    # Otherwise the pooled rate would give away the suppressed unit's successes.
    units = {"a": (2, 10), "b": (5, 10), "c": (8, 10)}
    alone = rank(units, published=set(units))
    with_hidden = rank({**units, "hidden": (0, 9)}, published=set(units))
    assert with_hidden[:3] == alone


def test_equal_estimates_are_ordered_by_wilson_lower_bound_and_identical_units_tie() -> None:
    # The pool is 100/200 = 0.5 exactly, so every unit at 0.5 is estimated at exactly 0.5
    # whatever its n; 50/100 has the higher lower bound; a and e1 are identical: they tie.
    units = {"a": (5, 10), "b": (50, 100), "e1": (5, 10), "low": (10, 40), "high": (30, 40)}
    ranked = rank(units, published=set(units))
    assert [(r.unit_id, r.rank) for r in ranked] == [
        ("high", 1),
        ("b", 2),
        ("a", 3),
        ("e1", 3),  # identical to a: they share the rank
        ("low", 5),
    ]


def test_a_published_unit_without_counts_is_refused() -> None:
    with pytest.raises(ValueError, match="without counts"):
        rank({"a": (1, 10)}, published={"a", "b"})


def test_nothing_to_rank_gives_only_not_enough_data() -> None:
    assert [r.reason for r in rank({"a": (1, 2)}, published=set())] == [NOT_ENOUGH_DATA]


# --- Synthetic truth: 30 programs with known latent quality, rated at realistic sample sizes.


def synthetic_programs(seed: int) -> tuple[dict[str, tuple[int, int]], dict[str, float]]:
    rng = random.Random(seed)
    latent = {f"p{i:02d}": 0.5 + 0.45 * i / 29 for i in range(30)}
    units = {}
    for unit, p in latent.items():
        n = rng.randint(20, 300)
        units[unit] = (sum(rng.random() < p for _ in range(n)), n)
    return units, latent


def average_ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: list[float], ys: list[float]) -> float:
    """Pearson correlation of the average ranks (exact with ties)."""
    rx, ry = average_ranks(xs), average_ranks(ys)
    mean = (len(xs) + 1) / 2
    cov = sum((a - mean) * (b - mean) for a, b in zip(rx, ry, strict=True))
    var_x = sum((a - mean) ** 2 for a in rx)
    var_y = sum((b - mean) ** 2 for b in ry)
    return cov / (var_x * var_y) ** 0.5


@pytest.mark.parametrize("seed", [2024, *range(10)])
def test_the_published_ranking_recovers_the_true_order_of_thirty_programs(seed: int) -> None:
    units, latent = synthetic_programs(seed)
    result = rank(units, published=set(units))
    published_rank = {r.unit_id: r.rank for r in result}
    ids = sorted(units)
    # Rank 1 is best, so compare the negated rank with the latent quality.
    rho = spearman([-published_rank[u] for u in ids], [latent[u] for u in ids])
    assert rho >= 0.9


@pytest.mark.parametrize("seed", [2024, *range(10)])
def test_three_glowing_assessments_never_rank_above_a_consistently_good_program(
    seed: int,
) -> None:
    units, _ = synthetic_programs(seed)
    units |= {"glowing": (3, 3), "steady": (170, 200)}
    # As published: three assessments are suppressed, so never ranked at all.
    as_published = {r.unit_id: r for r in rank(units, published=set(units) - {"glowing"})}
    assert as_published["glowing"].rank is None
    assert as_published["steady"].rank is not None
    # Even if it were allowed to rank, shrinkage keeps it below 170/200.
    forced = {r.unit_id: r for r in rank(units, published=set(units))}
    assert forced["glowing"].rank > forced["steady"].rank


@pytest.mark.parametrize("seed", [2024, *range(10)])
def test_twelve_glowing_assessments_rank_below_a_consistently_excellent_program(
    seed: int,
) -> None:
    # 12/12 from five employers passes suppression. Its estimate is pulled down by the prior
    # (k ≈ 10–12.5 pseudo-observations here, the moment estimate 8–12.5 floored at 10) to about
    # 0.86–0.88, below 185/200.
    units, _ = synthetic_programs(seed)
    units |= {"glowing": (12, 12), "excellent": (185, 200)}
    ranked = {r.unit_id: r for r in rank(units, published=set(units))}
    assert ranked["glowing"].rank > ranked["excellent"].rank
    assert ranked["glowing"].estimate < 0.91


def test_a_small_perfect_sample_does_not_outrank_a_large_strong_unit() -> None:
    # Found: with siblings that differ, 12/12 ranked above 185/200 (prior strength ~4.5).
    units = {"small": (12, 12), "large": (185, 200), "c": (120, 200), "d": (90, 150)}
    ranked = {r.unit_id: r for r in rank(units, published=set(units))}
    assert ranked["large"].rank == 1 and ranked["small"].rank == 2
    # … and the rank interval says how sure that order is.
    assert ranked["small"].rank_low == 1 and ranked["large"].rank_high >= 2


def test_rank_intervals_cover_the_true_ranks() -> None:
    # 90 % posterior rank intervals on synthetic programs hold their true rank nearly always.
    held = total = 0
    for seed in range(8):
        units, latent = synthetic_programs(seed)
        truth = {u: 30 - i for i, u in enumerate(sorted(latent, key=latent.__getitem__))}
        for r in rank(units, published=set(units)):
            assert r.rank_low is not None and r.rank_high is not None
            held += r.rank_low <= truth[r.unit_id] <= r.rank_high
            total += 1
    assert held / total >= 0.85, held / total


def satisfaction_card(x: int, n: int) -> dict:
    figure = {"value": x / n, "n": n, "suppressed": False}
    return {"indicators": {"employer_satisfaction": figure}}


def test_programs_are_ranked_within_their_level_and_broad_field() -> None:
    # Found: fields and levels were ranked together, so a master's in nursing (a field employers
    # rate highly) pushed every bachelor's in ICT down the table whatever its quality.
    assert comparable_group("6", "0613") == "6/06"
    cards = {
        ("program", "nursing-ma"): satisfaction_card(95, 100),
        ("program", "ict-ba-1"): satisfaction_card(70, 100),
        ("program", "ict-ba-2"): satisfaction_card(60, 100),
        ("organization", "u1"): satisfaction_card(80, 100),
    }
    together = ranks_by_scope(cards)
    assert together[("program", "ict-ba-1")].rank == 2
    groups = {
        ("program", "nursing-ma"): comparable_group("7", "0913"),
        ("program", "ict-ba-1"): comparable_group("6", "0613"),
        ("program", "ict-ba-2"): comparable_group("6", "0612"),
    }
    within = ranks_by_scope(cards, groups)
    assert within[("program", "nursing-ma")].rank == 1
    assert within[("program", "ict-ba-1")].rank == 1  # the better of its group (6/06)
    assert within[("program", "ict-ba-2")].rank == 2
    assert within[("organization", "u1")].rank == 1  # no group: ranked with its kind


def test_a_published_share_stated_only_as_its_interval_is_still_ranked() -> None:
    # Found: a publication states 12 of 12 only as its interval (every answer in one category),
    # and the rankings endpoint then listed the best unit as "not enough data".
    bound = {
        "value": None,
        "ci_low": 0.81,
        "ci_high": 1.0,
        "n": 12,
        "suppressed": True,
        "reason": ONE_CATEGORY_REASON,
    }
    cards = {
        "perfect": {"indicators": {"employer_satisfaction": bound}},
        "fair": satisfaction_card(6, 12),
        "hidden": {
            "indicators": {
                "employer_satisfaction": {"value": None, "n": 8, "suppressed": True}
                | {"reason": "fewer than 10 assessments"}
            }
        },
    }
    ranked = {r.unit_id: r for r in rank_cards(cards)}
    assert ranked["perfect"].rank == 1 and ranked["perfect"].raw_share == 1.0
    assert ranked["fair"].rank == 2
    assert ranked["hidden"].rank is None and ranked["hidden"].reason == NOT_ENOUGH_DATA
