"""Which quality events a stream or a webhook subscription wants: scope kind, region, types.

One filter, two uses with the same meaning: a SQL condition for the event stream's reads and a
plain check for routing a consumed event to subscriptions. Every given criterion must hold;
an event that lacks the attribute (a methodology event has no scope and no region) does not
match a filter that asks for it.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table

from shared.contracts.catalogue.quality import AlertRaised, MethodologyPublished, ScoreUpdated

# Short names (as in the docs and the SSE ``event:`` field) → full CloudEvents types.
QUALITY_TYPES: dict[str, str] = {
    "score.updated": ScoreUpdated.event_type,
    "alert.raised": AlertRaised.event_type,
    "methodology.published": MethodologyPublished.event_type,
}
_SHORT = {full: short for short, full in QUALITY_TYPES.items()}


def full_type(name: str) -> str:
    """The CloudEvents type for a short (``score.updated``) or full name; ValueError if none."""
    if name in _SHORT:
        return name
    if name in QUALITY_TYPES:
        return QUALITY_TYPES[name]
    raise ValueError(f"unknown quality event type {name!r}")


def short_type(event_type: str) -> str:
    return _SHORT.get(event_type, event_type)


def region_of(scope: str | None, scope_id: str | None) -> str | None:
    """The region an event is about, where the event itself says it.

    Quality events carry only their scope and its id. For the region scope the id is the
    region code; a program, organization or cluster event does not name its region (and the
    gateway keeps no registry projection to look it up), and the national scope has none.
    """
    return scope_id if scope == "region" else None


@dataclass(frozen=True)
class EventFilter:
    scope: str | None = None
    region: str | None = None
    types: frozenset[str] | None = None  # full CloudEvents types; None: every type

    @classmethod
    def of(cls, *, scope: str | None, region: str | None, types: list[str] | None) -> "EventFilter":
        return cls(
            scope=scope,
            region=region,
            types=frozenset(full_type(t) for t in types) if types else None,
        )

    def matches(self, *, event_type: str, scope: str | None, region_code: str | None) -> bool:
        return (
            (self.types is None or event_type in self.types)
            and (self.scope is None or scope == self.scope)
            and (self.region is None or region_code == self.region)
        )

    def clauses(self, table: Table) -> list[Any]:
        """The same test as ``matches``, as SQL conditions on the quality_events table."""
        conditions = []
        if self.types is not None:
            conditions.append(table.c.type.in_(sorted(self.types)))
        if self.scope is not None:
            conditions.append(table.c.scope == self.scope)
        if self.region is not None:
            conditions.append(table.c.region_code == self.region)
        return conditions
