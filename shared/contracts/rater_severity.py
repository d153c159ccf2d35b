"""Rater severity: whether an employer says it is more (or less) satisfied than the other
employers assessing graduates of the same programs (formula in docs/methodology.md,
"Integrity checks").

Comparing with the other employers of the same program takes the program's own quality out:
an employer that happens to hire from a strong program is not thereby lenient. Needing two
programs or more keeps one program's particular graduates from passing for the employer's
habit.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean, stdev
from typing import Protocol

from scipy.stats import t as student_t


class Rated(Protocol):
    """What severity reads of an assessment."""

    @property
    def employer_id(self) -> str: ...

    @property
    def program_id(self) -> str: ...

    @property
    def overall_satisfaction(self) -> int: ...


@dataclass(frozen=True)
class SeverityRules:
    level: float = 0.9  # of the t interval
    min_n: int = 3  # deviations (so the interval has at least 2 degrees of freedom)
    min_programs: int = 2  # the deviations come from at least this many programs
    min_others: int = 2  # other employers' assessments behind a program's reference mean
    threshold: float = 0.5  # |leniency| flagged from this on, if the interval excludes 0


@dataclass(frozen=True)
class Severity:
    """An employer's leniency (mean deviation, > 0: more satisfied than the others) with its
    interval; None where too few deviations or programs stand behind one."""

    n: int
    programs: int
    leniency: float | None
    ci_low: float | None
    ci_high: float | None
    level: float
    threshold: float
    flagged: bool


def deviations(rows: Sequence[Rated], *, min_others: int) -> dict[str, list[tuple[str, float]]]:
    """Each employer's (program, deviation) pairs: an assessment's overall satisfaction minus
    the mean overall satisfaction of its program's assessments by the other employers, where at
    least ``min_others`` of those exist."""
    program_sum: Counter[str] = Counter()
    program_n: Counter[str] = Counter()
    pair_sum: Counter[tuple[str, str]] = Counter()
    pair_n: Counter[tuple[str, str]] = Counter()
    for r in rows:
        pair = (r.program_id, r.employer_id)
        program_sum[r.program_id] += r.overall_satisfaction
        program_n[r.program_id] += 1
        pair_sum[pair] += r.overall_satisfaction
        pair_n[pair] += 1
    found: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for r in rows:
        pair = (r.program_id, r.employer_id)
        others = program_n[r.program_id] - pair_n[pair]
        if others >= min_others:
            reference = (program_sum[r.program_id] - pair_sum[pair]) / others
            found[r.employer_id].append((r.program_id, r.overall_satisfaction - reference))
    return found


def t_interval(values: Sequence[float], *, level: float) -> tuple[float, float, float]:
    """(mean, low, high): the two-sided Student t interval of the mean (at least 2 values)."""
    n = len(values)
    mean = fmean(values)
    half = float(student_t.ppf(0.5 + level / 2, n - 1)) * stdev(values) / math.sqrt(n)
    return mean, mean - half, mean + half


def _severity(pairs: Sequence[tuple[str, float]], rules: SeverityRules) -> Severity:
    n, programs = len(pairs), len({program for program, _ in pairs})
    if n < rules.min_n or programs < rules.min_programs:
        return Severity(
            n=n,
            programs=programs,
            leniency=None,
            ci_low=None,
            ci_high=None,
            level=rules.level,
            threshold=rules.threshold,
            flagged=False,
        )
    leniency, low, high = t_interval([d for _, d in pairs], level=rules.level)
    return Severity(
        n=n,
        programs=programs,
        leniency=leniency,
        ci_low=low,
        ci_high=high,
        level=rules.level,
        threshold=rules.threshold,
        flagged=(low > 0 or high < 0) and abs(leniency) >= rules.threshold,
    )


def rater_severity(rows: Sequence[Rated], *, rules: SeverityRules) -> dict[str, Severity]:
    """Every employer of ``rows`` (one period's active assessments) with its severity."""
    found = deviations(rows, min_others=rules.min_others)
    employers = {r.employer_id for r in rows}
    return {e: _severity(found.get(e, []), rules) for e in sorted(employers)}
