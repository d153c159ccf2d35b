"""Quality events as the gateway keeps them: their types, the region they name, their wire form."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.contracts.catalogue.quality import (
    AlertRaised,
    MethodologyPublished,
    ReleasePublished,
    ReleaseRestated,
    ScorePublished,
)

# Short names (as in the docs and the SSE ``event:`` field) → full CloudEvents types: what the
# public quality topic carries (publications; the live score.updated stream is the ministry's).
QUALITY_TYPES: dict[str, str] = {
    "score.published": ScorePublished.event_type,
    "release.published": ReleasePublished.event_type,
    "release.restated": ReleaseRestated.event_type,
    "alert.raised": AlertRaised.event_type,
    "methodology.published": MethodologyPublished.event_type,
}
_SHORT = {full: short for short, full in QUALITY_TYPES.items()}


def full_type(name: str) -> str:
    """The CloudEvents type for a short (``score.published``) or full name; ValueError if none."""
    if name in _SHORT:
        return name
    if name in QUALITY_TYPES:
        return QUALITY_TYPES[name]
    raise ValueError(f"unknown quality event type {name!r}")


def short_type(event_type: str) -> str:
    """The short name of a quality event type (``score.published``); other types unchanged."""
    return _SHORT.get(event_type, event_type)


def region_of(scope: str | None, scope_id: str | None) -> str | None:
    """The region an event is about, where the event itself says it.

    Quality events carry only their scope and its id. For the region scope the id is the
    region code; a program, organization or cluster event does not name its region (and the
    gateway keeps no registry projection to look it up), and the national scope has none.
    """
    return scope_id if scope == "region" else None


def cloudevent_json(payload: dict[str, Any]) -> str:
    """The stored CloudEvent as compact JSON on one line (an SSE ``data:`` line, a webhook body)."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class QualityEvent:
    """A consumed quality event, as stored for the event stream and the webhooks."""

    event_id: str  # the CloudEvent id
    type: str  # the full CloudEvents type
    scope: str | None  # None for methodology.published
    scope_id: str | None
    payload: dict[str, Any]  # the whole CloudEvent, as received
    received_at: datetime

    @property
    def region_code(self) -> str | None:
        return region_of(self.scope, self.scope_id)


@dataclass(frozen=True)
class StoredEvent:
    """A stored event as the stream reads it: its sequence number (the SSE id) and content."""

    id: int
    type: str
    payload: dict[str, Any]
