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
from typing import Self

from quality.domain.cells import ALL_RATINGS, ScopeTally, add_counts, add_sums
from quality.domain.clustered import GroupMoments
from quality.domain.running import MeanTally, ProportionTally

RatingGroup = tuple[str, str]  # ("all", ""), ("domain", code) or ("competency", code)


EVERY_RATING: RatingGroup = ("all", ALL_RATINGS)


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
        add_sums(summary, tally)
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
        add_sums(self, other, sign)
        self.graduates += sign * other.graduates
        add_counts(self.rated_graduates, other.rated_graduates, sign)
