"""What scoring reads of a scope's assessments, small enough to keep for every scope at once.

A cell's `ScopeTally` keeps every graduate's id: a program needs them (coverage, and removing a
revised assessment exactly), but scoring asks only *how many* distinct graduates stand behind a
figure. A graduate belongs to one program, so those counts add across programs; everything else
scoring reads (rating counts, assessments per employer, moments) adds too. A parent scope's
summary is therefore the sum of its children's, and when one program changes its ancestors move
by the difference: the live scoring's work per change is what the change touches, never the
period (service_layer/live_board.py).

Distinct graduates are kept per *rating group*, the sets of competencies a figure pools: every
competency, each domain's, and each competency alone; the domains are those of
the frameworks when the summary was made, so a change of frameworks means new summaries.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Self, TypeVar

from quality.domain.cells import ALL_RATINGS, ScopeTally
from quality.domain.clustered import GroupMoments
from quality.domain.running import MeanTally, ProportionTally

RatingGroup = tuple[str, str]  # ("all", ""), ("domain", code) or ("competency", code)


EVERY_RATING: RatingGroup = ("all", ALL_RATINGS)
K = TypeVar("K")


@dataclass
class ScopeSummary:
    """Integer sums over a scope's active assessments; `graduates` and `rated_graduates` count
    distinct graduates (of the scope, and of each rating group: who rated any of its codes)."""

    overall: MeanTally = field(default_factory=MeanTally)
    preparedness: MeanTally = field(default_factory=MeanTally)
    would_hire_again: ProportionTally = field(default_factory=ProportionTally)
    competencies: dict[str, MeanTally] = field(default_factory=dict)
    not_rated: dict[str, int] = field(default_factory=dict)
    employers: dict[str, int] = field(default_factory=dict)
    competency_employers: dict[str, dict[str, int]] = field(default_factory=dict)
    groups: dict[str, GroupMoments] = field(default_factory=dict)
    graduates: int = 0
    rated_graduates: dict[RatingGroup, int] = field(default_factory=dict)

    @classmethod
    def of(cls, tally: ScopeTally, domains: Mapping[str, str]) -> Self:
        """One program's (or any exact tally's) summary; ``domains``: competency → domain."""
        summary = cls(graduates=len(tally.graduates))
        summary._absorb_sums(tally, +1)
        by_group: dict[RatingGroup, set[str]] = {}
        for code, graduates in tally.competency_graduates.items():
            groups: list[RatingGroup] = [EVERY_RATING, ("competency", code)]
            if (domain := domains.get(code)) is not None:
                groups.append(("domain", domain))
            for group in groups:
                by_group.setdefault(group, set()).update(graduates)
        summary.rated_graduates = {group: len(ids) for group, ids in by_group.items()}
        return summary

    @classmethod
    def total(cls, parts: Iterable["ScopeSummary"]) -> Self:
        total = cls()
        for part in parts:
            total.absorb(part)
        return total

    @property
    def n(self) -> int:
        return self.overall.n

    def rated_by(self, group: RatingGroup) -> int:
        return self.rated_graduates.get(group, 0)

    def absorb(self, other: "ScopeSummary", sign: int = +1) -> None:
        """Add ``other`` (sign +1) or take it away (−1): counts that reach zero are dropped, so
        a summary kept by differences equals (==) one summed afresh."""
        self._absorb_sums(other, sign)
        self.graduates += sign * other.graduates
        _add(self.rated_graduates, other.rated_graduates, sign)

    def _absorb_sums(self, other: "ScopeSummary | ScopeTally", sign: int) -> None:
        _add_mean(self.overall, other.overall, sign)
        _add_mean(self.preparedness, other.preparedness, sign)
        self.would_hire_again.n += sign * other.would_hire_again.n
        self.would_hire_again.successes += sign * other.would_hire_again.successes
        for code, tally in other.competencies.items():
            mine = self.competencies.setdefault(code, MeanTally())
            _add_mean(mine, tally, sign)
            if mine.n == 0:
                del self.competencies[code]
        _add(self.not_rated, other.not_rated, sign)
        _add(self.employers, other.employers, sign)
        for code, counts in other.competency_employers.items():
            inner = self.competency_employers.setdefault(code, {})
            _add(inner, counts, sign)
            if not inner:
                del self.competency_employers[code]
        for group, moments in other.groups.items():
            mine_moments = self.groups.setdefault(group, GroupMoments())
            mine_moments.absorb(_signed(moments, sign))
            if mine_moments.empty:
                del self.groups[group]


def _add(into: dict[K, int], other: Mapping[K, int], sign: int) -> None:
    for key, count in other.items():
        value = into.get(key, 0) + sign * count
        if value:
            into[key] = value
        else:
            del into[key]


def _add_mean(into: MeanTally, other: MeanTally, sign: int) -> None:
    into.n += sign * other.n
    into.total += sign * other.total
    into.total_sq += sign * other.total_sq
    into.counts = [a + sign * b for a, b in zip(into.counts, other.counts, strict=True)]


def _signed(moments: GroupMoments, sign: int) -> GroupMoments:
    if sign > 0:
        return moments
    return GroupMoments(
        n=-moments.n,
        k=-moments.k,
        k2=-moments.k2,
        s=-moments.s,
        s2=-moments.s2,
        sk=-moments.sk,
        y=[-v for v in moments.y],
        y2=[-v for v in moments.y2],
        yk=[-v for v in moments.yk],
    )
