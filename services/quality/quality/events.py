"""The quality service's outgoing integration events: one mapping function per event type
(state → catalogue payload, shared.contracts.catalogue.quality)."""

from typing import Any

from quality.domain.model import Alert, Card, ScopeKey
from shared.contracts.catalogue.quality import (
    AlertRaised,
    Figure,
    MethodologyPublished,
    ScoreUpdated,
)


def score_updated(key: ScopeKey, *, period: int, pooled: bool, card: Card) -> ScoreUpdated:
    """A scope's stored scorecard changed (the index goes out without an interval)."""
    index = card["index"]
    return ScoreUpdated(
        scope=key[0],
        scope_id=key[1],
        period=period,
        pooled=pooled,
        methodology_version=card["methodology_version"],
        index=Figure(
            value=index["value"],
            ci_low=None,
            ci_high=None,
            n=card["indicators"]["employer_satisfaction"]["n"],
            suppressed=index["suppressed"],
            reason=index["reason"],
        ),
        indicators={name: Figure(**f) for name, f in card["indicators"].items()},
    )


def alert_raised(alert: Alert) -> AlertRaised:
    return AlertRaised(
        alert_id=alert.id,
        scope=alert.scope,
        scope_id=alert.scope_id,
        period=alert.period,
        kind=alert.kind,
        detail=alert.detail,
    )


def methodology_published(content: dict[str, Any]) -> MethodologyPublished:
    """A stored methodology version; the thresholds carry the rest of its content."""
    return MethodologyPublished(
        version=content["version"],
        weights=content["weights"],
        interval_level=content["interval_level"],
        thresholds={
            **content["thresholds"],
            "min_published_weight_share": content["min_published_weight_share"],
            "satisfied_threshold": content["satisfied_threshold"],
            "alert_index_below": content["alert_index_below"],
        },
    )
