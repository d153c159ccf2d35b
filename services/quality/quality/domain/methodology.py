"""Methodology versions as stored and served: the index methodology plus the alert threshold.

A version is a JSON document (``content``); the next one is the current one with the
ministry's changes applied, refused when its weights, levels or thresholds do not fit together.
"""

from dataclasses import asdict
from typing import Any

from quality.domain.index import (
    DEFAULT_METHODOLOGY,
    REQUIRED_PUBLISHED_WEIGHT_SHARE,
    Methodology,
    MethodologyFieldError,
)
from quality.domain.rounding import Rounding
from quality.domain.suppression import SuppressionThresholds
from shared.contracts.catalogue.registry import COUNTING_EMPLOYMENT_STATES
from shared.platform.errors import RuleViolation

Content = dict[str, Any]

# An index below this raises an alert (part of the methodology, so the ministry can move it).
DEFAULT_ALERT_INDEX_BELOW = 50.0

# No version publishes smaller cells, nor a narrower disclosure-audit width, than these: a
# ministry may make suppression stricter, never weaker than this (docs/methodology.md).
THRESHOLD_FLOORS: dict[str, float] = {
    "min_share_n": 5,
    "min_mean_n": 5,
    "min_employers": 5,
    "min_graduates": 5,
    "protection_width": 0.05,
}


def to_json(methodology: Methodology, *, alert_index_below: float) -> Content:
    """The stored and served form of a methodology version."""
    return {
        "version": methodology.version,
        "weights": dict(methodology.weights),
        "interval_level": methodology.interval_level,
        "thresholds": asdict(methodology.thresholds),
        "min_published_weight_share": REQUIRED_PUBLISHED_WEIGHT_SHARE,
        "satisfied_threshold": methodology.satisfied_threshold,
        "rounding": asdict(methodology.rounding),
        "counting_employment_states": list(methodology.counting_employment_states),
        "min_known_share": methodology.min_known_share,
        "outcome_lag_days": methodology.outcome_lag_days,
        "alert_index_below": alert_index_below,
    }


def from_json(content: Content) -> Methodology:
    """The methodology a stored version describes; ValueError when it is inconsistent."""
    return Methodology(
        version=content["version"],
        weights=content["weights"],
        interval_level=content["interval_level"],
        thresholds=SuppressionThresholds(**content["thresholds"]),
        satisfied_threshold=content["satisfied_threshold"],
        # Versions stored before rounding was declared round as the default does.
        rounding=Rounding(**content.get("rounding", {})),
        # Versions stored before employment states existed count the default ones.
        counting_employment_states=tuple(
            content.get("counting_employment_states", COUNTING_EMPLOYMENT_STATES)
        ),
        # Versions stored before census outcomes gate and delay as the default does.
        min_known_share=content.get("min_known_share", DEFAULT_METHODOLOGY.min_known_share),
        outcome_lag_days=content.get("outcome_lag_days", DEFAULT_METHODOLOGY.outcome_lag_days),
    )


def as_read(content: Content) -> Content:
    """A stored version as it applies now: versions stored when the index could rest on part of
    its weight state the rule every version follows today (every weighted indicator)."""
    return {**content, "min_published_weight_share": REQUIRED_PUBLISHED_WEIGHT_SHARE}


DEFAULT_CONTENT = to_json(DEFAULT_METHODOLOGY, alert_index_below=DEFAULT_ALERT_INDEX_BELOW)


def next_version(current: Content, changes: Content, *, latest: int) -> Content:
    """Version ``latest + 1``: ``current`` with ``changes`` applied; RuleViolation when the
    result is inconsistent (naming the field when one value is wrong in itself, else
    ``methodology``)."""
    content = {**as_read(current), **changes, "version": latest + 1}
    _check_floors(content["thresholds"])
    try:
        from_json(content)  # refuses inconsistent weights, levels and thresholds
    except MethodologyFieldError as error:
        raise RuleViolation(error.field, str(error)) from error
    except ValueError as error:
        raise RuleViolation("methodology", str(error)) from error
    return content


def _check_floors(thresholds: Content) -> None:
    for name, floor in THRESHOLD_FLOORS.items():
        if name in thresholds and thresholds[name] < floor:
            raise RuleViolation(("thresholds", name), f"{name} may not be below {floor:g}")
