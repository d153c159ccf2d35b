"""What the quality service keeps besides tallies: plain values the use cases pass around."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, NamedTuple

Scope = Literal["program", "organization", "cluster", "region", "national"]
ScopeKey = tuple[Scope, str]  # (scope, scope_id)
Card = dict[str, Any]  # a scorecard as stored and published (Scorecard.to_json())
AlertKind = Literal["index_below_threshold", "significant_drop", "competency_gap"]
Mark = tuple[str, int, int]  # a dirty cell: program_id, period, generation

# The id of the national scope.
COUNTRY = "UZ"

# Each parent scope → the child scopes that partition it (organization → programs, region →
# organizations, nation → regions, cluster → member organizations): which programs a figure sums.
Families = dict[ScopeKey, set[ScopeKey]]


def programs_in(families: Families, key: ScopeKey) -> set[str]:
    """The programs whose cells a scope's figures sum."""
    if key[0] == "program":
        return {key[1]}
    return set().union(*(programs_in(families, child) for child in families.get(key, ())))


def families_to_json(families: Families) -> list[list[Any]]:
    return [
        [parent[0], parent[1], sorted([child[0], child[1]] for child in children)]
        for parent, children in sorted(families.items())
    ]


def families_from_json(rows: list[list[Any]]) -> Families:
    return {(scope, id_): {(c[0], c[1]) for c in children} for scope, id_, children in rows}


@dataclass(frozen=True)
class Exclusion:
    """An assessment, or all of an employer's, the ministry took out of the figures."""

    id: str
    assessment_id: str | None
    employer_id: str | None
    reason: str
    excluded_by: str
    excluded_at: datetime


@dataclass(frozen=True)
class CountedAssessment:
    """The last state of an assessment that was applied to its cell, and whether it counts."""

    assessment_id: str
    revision: int
    active: bool
    state: dict[str, Any]


@dataclass(frozen=True)
class Requirement:
    """The current version of one requirement series (owner + target) and what it states."""

    id: str
    series: str
    version: int
    employer_id: str | None
    cluster_id: str | None
    field_code: str | None
    program_id: str | None
    importance: dict[str, int]


class ProgramKind(NamedTuple):
    """What a program is, for comparing it: its institution, level and ISCED-F field."""

    institution_id: str
    level: str
    field_code: str


@dataclass(frozen=True)
class StoredScore:
    """One stored scorecard of a scope for a period (or the 3-year pool ending there)."""

    scope: Scope
    scope_id: str
    period: int
    pooled: bool
    methodology_version: int
    card: Card
    computed_at: datetime
    rank: int | None = None  # among the scope's units of the period, stored at publication
    rank_low: int | None = None  # the rank's interval (ranking.py), stored with it
    rank_high: int | None = None
    publication: int | None = None  # the publication that states it (None: a live figure)
    publication_kind: str | None = None  # official | interim

    @property
    def key(self) -> ScopeKey:
        return (self.scope, self.scope_id)


@dataclass(frozen=True)
class Alert:
    """An alert raised once about a scope's yearly scorecard."""

    id: str
    scope: Scope
    scope_id: str
    period: int
    kind: AlertKind
    detail: dict[str, Any]
    raised_at: datetime
