"""Consumed quality events routed to webhook deliveries, and delivery attempts recorded, retried,
given up and counted against the subscription, on the in-memory unit of work."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from gateway.domain.deliveries import DELIVERED, FAILED, PENDING, Outcome, RetryPolicy
from gateway.domain.filters import EventFilter
from gateway.domain.quality_events import QUALITY_TYPES, QualityEvent
from gateway.domain.subscriptions import ACTIVE, DEACTIVATED, DISABLED, new_subscription
from gateway.service_layer import attempts, quality_events

from shared.contracts.catalogue.quality import MethodologyPublished
from shared.platform.auth import Identity
from shared.platform.messaging.envelope import new_event
from tests.unit.gateway.fakes import FakeGatewayUnitOfWork

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
AUTHORITY = Identity(sub="authority-sa", role="regional_authority", region="UZ-SA")
SCORE, ALERT = QUALITY_TYPES["score.published"], QUALITY_TYPES["alert.raised"]
POLICY = RetryPolicy(
    max_attempts=3,
    backoff_base_s=10,
    backoff_cap_s=3600,
    disable_after_failures=2,
    disable_after_s=24 * 3600,
    jitter=lambda: 0.0,  # the full pause, so the tests can name it
)


def subscribed(uow: FakeGatewayUnitOfWork, name: str, *, status: str = ACTIVE, **wanted) -> str:
    subscription = new_subscription(
        AUTHORITY,
        id=name,
        url=f"https://{name}.example.org/hooks",
        secret="whsec-0123456789abcdef",
        wanted=EventFilter.of(**({"scope": None, "region": None, "types": None} | wanted)),
        at=AT,
    )
    uow.store.subscriptions[name] = replace(subscription, status=status)
    return name


def event(
    event_id: str,
    *,
    type: str = SCORE,
    scope: str | None = "region",
    scope_id: str | None = "UZ-SA",
) -> QualityEvent:
    return QualityEvent(
        event_id=event_id,
        type=type,
        scope=scope,
        scope_id=scope_id,
        payload={"id": event_id, "type": type},
        received_at=AT,
    )


# --- routing consumed events -------------------------------------------------------------------


async def test_a_consumed_event_is_queued_for_each_active_subscription_that_wants_it():
    uow = FakeGatewayUnitOfWork()
    subscribed(uow, "everything")
    subscribed(uow, "sa-scores", scope="region", region="UZ-SA", types=["score.published"])
    subscribed(uow, "to-region", region="UZ-TO")
    subscribed(uow, "alerts", types=["alert.raised"])
    subscribed(uow, "disabled", status=DISABLED)
    subscribed(uow, "deactivated", status=DEACTIVATED)

    sequence = await quality_events.store_quality_event(uow, event("e-1"))

    assert sequence == 1 and uow.store.events[1].event_id == "e-1"
    queued = {d.subscription_id: d for d in uow.store.deliveries.values()}
    assert set(queued) == {"everything", "sa-scores"}
    assert all(
        (d.status, d.attempts, d.quality_event_id) == (PENDING, 0, 1) for d in queued.values()
    )
    assert uow.published == [] and not uow.committed  # the consumer commits, with its inbox row


async def test_a_program_event_names_no_region_so_a_region_filter_does_not_take_it():
    uow = FakeGatewayUnitOfWork()
    subscribed(uow, "sa", region="UZ-SA")
    subscribed(uow, "programs", scope="program")

    await quality_events.store_quality_event(uow, event("e-1", scope="program", scope_id="p-1"))

    assert [d.subscription_id for d in uow.store.deliveries.values()] == ["programs"]


async def test_an_event_id_stored_before_is_neither_stored_nor_routed_again():
    uow = FakeGatewayUnitOfWork()
    subscribed(uow, "everything")
    assert await quality_events.store_quality_event(uow, event("e-1")) == 1

    assert await quality_events.store_quality_event(uow, event("e-1")) is None

    assert len(uow.store.events) == 1 and len(uow.store.deliveries) == 1


def test_a_consumed_cloudevent_becomes_the_stored_event_with_its_scope():
    payload = MethodologyPublished(
        version=2,
        weights={"employer_satisfaction": 0.5, "preparedness": 0.5},
        interval_level=0.9,
        thresholds={"min_share_n": 10},
    )
    cloudevent = new_event(payload, service="quality")

    stored = quality_events.received(cloudevent)

    assert (stored.event_id, stored.type) == (cloudevent.id, QUALITY_TYPES["methodology.published"])
    assert (stored.scope, stored.scope_id, stored.region_code) == (None, None, None)
    assert stored.payload["id"] == cloudevent.id and stored.payload["data"]["version"] == 2


# --- attempts ------------------------------------------------------------------------------------


async def queued(uow: FakeGatewayUnitOfWork, *names: str, events: int = 1) -> None:
    for name in names:
        subscribed(uow, name)
    for number in range(1, events + 1):
        await quality_events.store_quality_event(uow, event(f"e-{number}"))
    for delivery in uow.store.deliveries.values():
        delivery.next_attempt_at = AT


async def claim_one(uow: FakeGatewayUnitOfWork, at: datetime = AT):
    (due,) = await attempts.claim_due(uow, limit=1, lease_s=60, at=at)
    return due


async def test_claiming_takes_due_deliveries_once_until_their_lease_runs_out():
    uow = FakeGatewayUnitOfWork()
    await queued(uow, "receiver", events=2)

    claimed = await attempts.claim_due(uow, limit=10, lease_s=60, at=AT)

    assert [(d.id, d.event_id, d.attempt) for d in claimed] == [(1, "e-1", 1), (2, "e-2", 1)]
    assert claimed[0].url == "https://receiver.example.org/hooks"
    assert uow.committed
    assert await attempts.claim_due(uow, limit=10, lease_s=60, at=AT + timedelta(seconds=59)) == []
    later = await attempts.claim_due(uow, limit=10, lease_s=60, at=AT + timedelta(seconds=60))
    assert [d.id for d in later] == [1, 2]


async def test_a_delivered_attempt_finishes_the_delivery_and_clears_the_failure_count():
    uow = FakeGatewayUnitOfWork()
    await queued(uow, "receiver")
    subscriptions = uow.store.subscriptions
    subscriptions["receiver"] = replace(subscriptions["receiver"], consecutive_failures=1)
    due = await claim_one(uow)

    await attempts.record_attempt(uow, due, Outcome(204, None, 12.34), policy=POLICY, at=AT)

    delivery = uow.store.deliveries[due.id]
    assert (delivery.status, delivery.attempts, delivery.finished_at) == (DELIVERED, 1, AT)
    assert delivery.next_attempt_at is None
    assert delivery.attempt_log == [
        {
            "attempt": 1,
            "at": AT.isoformat(),
            "status_code": 204,
            "error": None,
            "duration_ms": 12.3,
        }
    ]
    subscription = uow.store.subscriptions["receiver"]
    assert (subscription.consecutive_failures, subscription.failing_since) == (0, None)
    assert uow.committed


async def test_a_failed_attempt_is_tried_again_after_a_pause_that_doubles():
    uow = FakeGatewayUnitOfWork()
    await queued(uow, "receiver")

    due = await claim_one(uow)
    await attempts.record_attempt(uow, due, Outcome(500, None, 5.0), policy=POLICY, at=AT)
    delivery = uow.store.deliveries[due.id]
    assert (delivery.status, delivery.last_error) == (PENDING, "HTTP 500")
    assert delivery.next_attempt_at == AT + timedelta(seconds=10)

    later = AT + timedelta(seconds=10)
    due = await claim_one(uow, at=later)
    assert due.attempt == 2
    await attempts.record_attempt(
        uow, due, Outcome(None, "timed out", 5.0), policy=POLICY, at=later
    )
    assert delivery.next_attempt_at == later + timedelta(seconds=20)
    assert [a["error"] for a in delivery.attempt_log] == ["HTTP 500", "timed out"]
    subscription = uow.store.subscriptions["receiver"]
    # Failing since the first failure; no delivery has failed for good yet.
    assert (subscription.failing_since, subscription.consecutive_failures) == (AT, 0)


async def test_the_last_failed_attempt_fails_the_delivery_and_counts_against_the_receiver():
    uow = FakeGatewayUnitOfWork()
    await queued(uow, "receiver")
    at = AT
    for _ in range(POLICY.max_attempts):
        due = await claim_one(uow, at=at)
        await attempts.record_attempt(uow, due, Outcome(503, None, 1.0), policy=POLICY, at=at)
        at += timedelta(hours=1)

    delivery = uow.store.deliveries[due.id]
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (FAILED, 3, None)
    subscription = uow.store.subscriptions["receiver"]
    assert (subscription.status, subscription.consecutive_failures) == (ACTIVE, 1)


async def test_a_receiver_whose_deliveries_keep_failing_is_disabled_and_its_queue_given_up():
    uow = FakeGatewayUnitOfWork()
    await queued(uow, "receiver", events=3)
    # Deliveries 1 and 2 fail every attempt; delivery 3 waits its turn.
    for delivery_id in (1, 2):
        for _ in range(POLICY.max_attempts):
            (due,) = [
                d
                for d in await attempts.claim_due(uow, limit=3, lease_s=60, at=AT)
                if d.id == delivery_id
            ]
            await attempts.record_attempt(uow, due, Outcome(500, None, 1.0), policy=POLICY, at=AT)
            for waiting in uow.store.deliveries.values():
                if waiting.status == PENDING:
                    waiting.next_attempt_at = AT

    subscription = uow.store.subscriptions["receiver"]
    assert subscription.status == DISABLED
    assert subscription.status_reason == "2 deliveries in a row failed (3 attempts each)"
    assert subscription.consecutive_failures == 2
    waiting = uow.store.deliveries[3]
    assert (waiting.status, waiting.last_error) == (
        FAILED,
        "not sent: the subscription was disabled",
    )
    assert await attempts.claim_due(uow, limit=10, lease_s=60, at=AT) == []


async def test_a_receiver_failing_for_longer_than_allowed_is_disabled():
    uow = FakeGatewayUnitOfWork()
    await queued(uow, "receiver")
    due = await claim_one(uow)
    await attempts.record_attempt(uow, due, Outcome(500, None, 1.0), policy=POLICY, at=AT)

    a_day_later = AT + timedelta(seconds=POLICY.disable_after_s)
    due = await claim_one(uow, at=a_day_later)
    await attempts.record_attempt(uow, due, Outcome(500, None, 1.0), policy=POLICY, at=a_day_later)

    subscription = uow.store.subscriptions["receiver"]
    assert subscription.status == DISABLED
    assert subscription.status_reason == f"no delivery succeeded since {AT.isoformat()}"


async def test_an_attempt_on_a_delivery_given_up_meanwhile_changes_nothing():
    uow = FakeGatewayUnitOfWork()
    await queued(uow, "receiver")
    due = await claim_one(uow)
    uow.store.deliveries[due.id].status = FAILED

    await attempts.record_attempt(uow, due, Outcome(200, None, 1.0), policy=POLICY, at=AT)

    assert uow.store.deliveries[due.id].attempts == 0
    assert uow.store.subscriptions["receiver"].failing_since is None


# --- retention -----------------------------------------------------------------------------------


async def test_old_events_go_with_their_finished_deliveries_but_one_still_waiting_stays():
    uow = FakeGatewayUnitOfWork()
    await queued(uow, "receiver", events=2)
    first = await claim_one(uow)
    await attempts.record_attempt(uow, first, Outcome(200, None, 1.0), policy=POLICY, at=AT)

    purged = await quality_events.purge_expired(uow, before=AT + timedelta(days=1))

    assert purged == 1
    assert list(uow.store.events) == [2]
    assert [(d.quality_event_id, d.status) for d in uow.store.deliveries.values()] == [(2, PENDING)]
    assert uow.committed


async def test_nothing_is_purged_while_every_event_is_recent():
    uow = FakeGatewayUnitOfWork()
    await queued(uow, "receiver")
    assert await quality_events.purge_expired(uow, before=AT - timedelta(days=1)) == 0
    assert len(uow.store.events) == 1


@pytest.mark.parametrize("status_code", [200, 201, 299])
def test_any_2xx_answer_counts_as_delivered(status_code):
    assert Outcome(status_code, None, 1.0).ok
    assert not Outcome(None, "refused", 1.0).ok and not Outcome(302, None, 1.0).ok
