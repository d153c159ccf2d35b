"""Benchmarks by indirect standardisation (the UK Office for Students' practice): what a unit's
employer satisfaction would be if each of its assessments had the national rate of its
comparable group (level and broad field, ranking.py), against what it is.

    expected = Σ_g n_g·p_g / n        difference = x/n − expected

``n_g`` is the unit's assessments in group g, ``p_g`` the national rate of g. The difference's
interval is the Wilson interval of x/n less ``expected`` (the national rates rest on far more
assessments than the unit's and are taken as known). A unit is flagged only when that interval
clears the benchmark by the declared material margin: ``materially_above`` when its lower end
is at least the margin, ``materially_below`` when its upper end is at most minus the margin.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from quality.domain.intervals import wilson_interval

# A difference smaller than this (2.5 percentage points) is not material, however sure.
MATERIAL_MARGIN = 0.025

Flag = Literal["materially_above", "materially_below"]


@dataclass(frozen=True)
class Benchmark:
    unit_id: str
    n: int
    value: float | None  # x/n; None when the unit's figure is withheld
    expected: float | None  # None when not benchmarked (``reason`` says why)
    difference: float | None
    ci_low: float | None  # of the difference
    ci_high: float | None
    flag: Flag | None
    reason: str | None


def group_rates(programs: Iterable[tuple[str, int, int]]) -> dict[str, float]:
    """Each group's rate Σx/Σn over its programs' (group, successes, n)."""
    totals: dict[str, tuple[int, int]] = {}
    for group, x, n in programs:
        x0, n0 = totals.get(group, (0, 0))
        totals[group] = (x0 + x, n0 + n)
    return {group: x / n for group, (x, n) in totals.items() if n > 0}


def benchmark(
    unit_id: str,
    *,
    successes: int | None,
    n: int,
    mix: Mapping[str, int],
    rates: Mapping[str, float],
    level: float = 0.90,
    margin: float = MATERIAL_MARGIN,
) -> Benchmark:
    """The unit's benchmark from its ``successes`` of ``n`` (None: withheld) and ``mix`` (its
    assessments per group, summing to n)."""

    def unbenchmarked(reason: str) -> Benchmark:
        value = None if successes is None else successes / n
        return Benchmark(unit_id, n, value, None, None, None, None, None, reason)

    if successes is None or n == 0:
        return unbenchmarked("not enough data")
    if sum(mix.values()) != n:
        return unbenchmarked("assessments of programs whose group is unknown")
    missing = sorted(group for group, count in mix.items() if count and group not in rates)
    if missing:
        return unbenchmarked(f"no national rate for group {', '.join(missing)}")
    expected = sum(count * rates[group] for group, count in mix.items()) / n
    value = successes / n
    low, high = wilson_interval(successes, n, level)
    ci_low, ci_high = low - expected, high - expected
    flag: Flag | None = None
    if ci_low >= margin:
        flag = "materially_above"
    elif ci_high <= -margin:
        flag = "materially_below"
    return Benchmark(unit_id, n, value, expected, value - expected, ci_low, ci_high, flag, None)
