"""The quality service's outgoing integration events: one mapping function per event type
(state → catalogue payload, shared.contracts.catalogue.quality)."""

from typing import Any

from quality.domain.index import DEFAULT_METHODOLOGY
from quality.domain.model import Alert, Card, Exclusion, ScopeKey
from quality.domain.publication import Publication
from shared.contracts.catalogue.quality import (
    AlertRaised,
    ExclusionRecorded,
    Figure,
    MethodologyPublished,
    ReleasePublished,
    ReleaseRestated,
    ScorePublished,
    ScoreUpdated,
)
from shared.contracts.catalogue.registry import COUNTING_EMPLOYMENT_STATES


def _figures(card: Card) -> dict[str, Any]:
    """A card's index and indicators, as events carry them."""
    index = card["index"]
    return {
        "methodology_version": card["methodology_version"],
        "index": Figure(
            value=index["value"],
            # Cards scored before the index had an interval state none.
            ci_low=index.get("ci_low"),
            ci_high=index.get("ci_high"),
            n=card["indicators"]["employer_satisfaction"]["n"],
            suppressed=index["suppressed"],
            reason=index["reason"],
        ),
        "indicators": {name: Figure(**f) for name, f in card["indicators"].items()},
    }


def score_updated(key: ScopeKey, *, period: int, pooled: bool, card: Card) -> ScoreUpdated:
    """A scope's live scorecard changed (the ministry's live topic)."""
    return ScoreUpdated(
        scope=key[0], scope_id=key[1], period=period, pooled=pooled, **_figures(card)
    )


def score_published(
    publication: Publication, key: ScopeKey, *, pooled: bool, card: Card
) -> ScorePublished:
    """A scope's scorecard as a publication states it."""
    return ScorePublished(
        publication=publication.number,
        release=publication.release,
        scope=key[0],
        scope_id=key[1],
        period=publication.period,
        pooled=pooled,
        **_figures(card),
    )


def _release(publication: Publication) -> dict[str, Any]:
    summary = publication.summary
    return {
        "publication": publication.number,
        "release": publication.release,
        "period": publication.period,
        "methodology_version": publication.methodology_version,
        "figures": summary["figures"],
        "suppressed_cells": summary["suppressed_cells"],
        "held_back_cells": summary["held_back_cells"],
        # The audit's totals over the audited shares (each share's: the publication's summary).
        "audit": {k: v for k, v in summary["audit"].items() if k != "indicators"},
    }


def release_published(publication: Publication) -> ReleasePublished:
    return ReleasePublished(**_release(publication))


def release_restated(publication: Publication, *, changed: list[str]) -> ReleaseRestated:
    assert publication.restates is not None and publication.reason is not None
    return ReleaseRestated(
        **_release(publication),
        restates=publication.restates,
        reason=publication.reason,
        changed=changed,
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


def exclusion_recorded(exclusion: Exclusion, *, excluded: int) -> ExclusionRecorded:
    return ExclusionRecorded(
        exclusion_id=exclusion.id,
        assessment_id=exclusion.assessment_id,
        employer_id=exclusion.employer_id,
        reason=exclusion.reason,
        excluded_assessments=excluded,
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
            "min_known_share": content.get("min_known_share", DEFAULT_METHODOLOGY.min_known_share),
            "outcome_lag_days": content.get(
                "outcome_lag_days", DEFAULT_METHODOLOGY.outcome_lag_days
            ),
        },
        rounding=content.get("rounding", {}),
        counting_employment_states=content.get(
            "counting_employment_states", list(COUNTING_EMPLOYMENT_STATES)
        ),
    )
