"""Which quality events a stream or a webhook subscription wants: scope kind, region, types.

One filter, two uses with the same meaning: a condition for the event stream's reads (as SQL,
in adapters/repositories.py) and a plain check for routing a consumed event to subscriptions.
Every given criterion must hold; an event that lacks the attribute (a methodology event has no
scope and no region) does not match a filter that asks for it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from gateway.domain.quality_events import full_type


@dataclass(frozen=True)
class EventFilter:
    scope: str | None = None
    region: str | None = None
    types: frozenset[str] | None = None  # full CloudEvents types; None: every type

    @classmethod
    def of(
        cls, *, scope: str | None, region: str | None, types: Iterable[str] | None
    ) -> "EventFilter":
        """A filter from short or full type names (none or empty: every type)."""
        wanted = frozenset(full_type(t) for t in types or ())
        return cls(scope=scope, region=region, types=wanted or None)

    def matches(self, *, event_type: str, scope: str | None, region_code: str | None) -> bool:
        return (
            (self.types is None or event_type in self.types)
            and (self.scope is None or scope == self.scope)
            and (self.region is None or region_code == self.region)
        )
