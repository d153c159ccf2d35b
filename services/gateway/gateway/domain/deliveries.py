"""Webhook deliveries: one per (subscription, event), retried with growing pauses, finished
once delivered or out of attempts; a receiver that keeps failing gets its subscription disabled.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from gateway.domain.subscriptions import ACTIVE, Subscription

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
_ERROR_MAX = 500  # the length of the last_error column


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    backoff_base_s: float
    backoff_cap_s: float
    disable_after_failures: int
    disable_after_s: float
    # A number in [0, 1): which part of the quarter is taken off a pause.
    jitter: Callable[[], float] = field(default=random.random, compare=False, repr=False)

    def delay_s(self, attempts: int) -> float:
        """The pause after the ``attempts``-th failed attempt: doubling from the base, capped,
        less a random part of up to a quarter, so retries still grow but do not move in step."""
        full = min(self.backoff_cap_s, self.backoff_base_s * 2.0 ** min(attempts - 1, 60))
        return full * (1 - 0.25 * self.jitter())


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: the receiver's status, or why there was none."""

    status_code: int | None
    error: str | None
    duration_ms: float

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def receiver_trouble(self) -> bool:
        """No answer, or one saying the receiver cannot take it now (5xx, 429): counts
        towards opening the target's circuit. Other refusals (a 404, a 401) are the
        subscription's problem, not the target's health."""
        code = self.status_code
        return code is None or code >= 500 or code == 429


@dataclass(frozen=True)
class DueDelivery:
    """A delivery claimed for one attempt, with what sending it takes."""

    id: int
    subscription_id: str
    url: str
    secret: str
    event_id: str
    payload: dict[str, Any]
    attempt: int  # the number of the attempt about to be made


@dataclass(frozen=True)
class DeliveryState:
    """Where a delivery stands before an attempt is recorded."""

    status: str
    attempts: int
    attempt_log: list[dict[str, Any]]


@dataclass(frozen=True)
class AttemptRecord:
    """What recording one attempt changes on its delivery."""

    attempts: int
    at: datetime
    status_code: int | None
    error: str | None  # as stored: at most 500 characters
    attempt_log: list[dict[str, Any]]
    status: str
    next_attempt_at: datetime | None
    finished_at: datetime | None

    @property
    def final(self) -> bool:
        return self.status != PENDING


def next_attempt(
    current: DeliveryState, outcome: Outcome, *, policy: RetryPolicy, at: datetime
) -> AttemptRecord:
    """The delivery after this attempt: logged, then finished (delivered, or failed once out of
    attempts) or scheduled again after the policy's pause."""
    attempts = current.attempts + 1
    error = outcome.error or (None if outcome.ok else f"HTTP {outcome.status_code}")
    entry = {
        "attempt": attempts,
        "at": at.isoformat(),
        "status_code": outcome.status_code,
        "error": error,
        "duration_ms": round(outcome.duration_ms, 1),
    }
    final = outcome.ok or attempts >= policy.max_attempts
    return AttemptRecord(
        attempts=attempts,
        at=at,
        status_code=outcome.status_code,
        error=error[:_ERROR_MAX] if error else None,
        attempt_log=[*current.attempt_log, entry],
        status=(DELIVERED if outcome.ok else FAILED) if final else PENDING,
        next_attempt_at=None if final else at + timedelta(seconds=policy.delay_s(attempts)),
        finished_at=at if final else None,
    )


def disable_reason(subscription: Subscription, *, policy: RetryPolicy, at: datetime) -> str | None:
    """Why an active subscription is to be disabled now, or None while it may go on."""
    if subscription.status != ACTIVE:
        return None
    failures, since = subscription.consecutive_failures, subscription.failing_since
    if failures >= policy.disable_after_failures:
        return f"{failures} deliveries in a row failed ({policy.max_attempts} attempts each)"
    if since is not None and (at - since).total_seconds() >= policy.disable_after_s:
        return f"no delivery succeeded since {since.isoformat()}"
    return None


def given_up(status: str) -> str:
    """The last_error of a pending delivery dropped because its subscription went ``status``."""
    return f"not sent: the subscription was {status}"


@dataclass(frozen=True)
class DeliveryLogEntry:
    """One delivery as the subscription's delivery log shows it."""

    id: int
    subscription_id: str
    quality_event_id: int  # the event's sequence number in the event stream
    event_id: str
    event_type: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    attempt_log: list[dict[str, Any]]
    created_at: datetime
    finished_at: datetime | None
