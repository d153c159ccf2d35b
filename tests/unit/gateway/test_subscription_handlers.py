"""The subscription use cases on the in-memory unit of work: who may subscribe, which receivers
are accepted, whose subscriptions a caller sees, deactivation and the delivery log."""

from datetime import UTC, datetime

import pytest
from gateway.domain.deliveries import FAILED, PENDING
from gateway.domain.filters import EventFilter
from gateway.domain.quality_events import QualityEvent
from gateway.domain.subscriptions import ACTIVE, DEACTIVATED
from gateway.service_layer import subscriptions
from gateway.service_layer.subscriptions import CreateSubscription

from shared.platform.auth import Identity
from shared.platform.db.keyset import encode_cursor
from shared.platform.errors import Conflict, Forbidden, InvalidQuery, NotFound, RuleViolation
from tests.unit.gateway.fakes import FakeGatewayUnitOfWork

AUTHORITY = Identity(sub="authority-sa", role="regional_authority", region="UZ-SA")
OTHER_AUTHORITY = Identity(sub="authority-to", role="regional_authority", region="UZ-TO")
MINISTRY = Identity(sub="ministry-1", role="ministry")
AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
RECEIVER = "https://ministry.example.org/hooks"
SECRET = "whsec-0123456789abcdef"


def command(url: str = RECEIVER, **wanted) -> CreateSubscription:
    return CreateSubscription(url=url, secret=SECRET, wanted=EventFilter.of(**wanted))


def any_events() -> dict:
    return {"scope": None, "region": None, "types": None}


async def subscribe(uow, identity=AUTHORITY, url: str = RECEIVER, max_per_owner=20, **wanted):
    return await subscriptions.create_subscription(
        uow,
        identity,
        command(url, **(any_events() | wanted)),
        allow_private=False,
        max_per_owner=max_per_owner,
    )


def stored_event(uow: FakeGatewayUnitOfWork, sequence: int) -> None:
    uow.store.events[sequence] = QualityEvent(
        event_id=f"event-{sequence}",
        type="educluster.quality.score.published.v1",
        scope="region",
        scope_id="UZ-SA",
        payload={"id": f"event-{sequence}"},
        received_at=AT,
    )


async def test_an_authority_subscribes_a_public_receiver_and_the_subscription_is_active():
    uow = FakeGatewayUnitOfWork()
    created = await subscribe(uow, scope="region", region="UZ-SA", types=["score.published"])

    assert (created.owner, created.owner_role, created.status) == (
        "authority-sa",
        "regional_authority",
        ACTIVE,
    )
    assert (created.url, created.secret) == (RECEIVER, SECRET)
    assert created.types == ("educluster.quality.score.published.v1",)
    assert (created.consecutive_failures, created.failing_since) == (0, None)
    assert uow.store.subscriptions == {created.id: created}
    # The idempotent create route commits, together with the remembered key.
    assert not uow.committed and uow.published == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9000/hooks",
        "http://localhost/hooks",
        "http://10.1.2.3/hooks",
        "http://[::1]/hooks",
        "http://169.254.169.254/latest",
    ],
)
async def test_a_receiver_on_a_private_address_is_refused_on_its_url(url):
    uow = FakeGatewayUnitOfWork()
    with pytest.raises(RuleViolation) as refused:
        await subscribe(uow, url=url)
    assert refused.value.loc == ["body", "url"]
    assert uow.store.subscriptions == {}


async def test_a_private_receiver_is_accepted_where_the_gateway_allows_private_targets():
    uow = FakeGatewayUnitOfWork()
    created = await subscriptions.create_subscription(
        uow,
        AUTHORITY,
        command("http://127.0.0.1:9000/hooks", **any_events()),
        allow_private=True,
        max_per_owner=20,
    )
    assert created.status == ACTIVE


@pytest.mark.parametrize("role", ["employer", "institution", "operator"])
async def test_only_the_ministry_and_regional_authorities_may_subscribe(role):
    uow = FakeGatewayUnitOfWork()
    with pytest.raises(Forbidden):
        await subscribe(uow, identity=Identity(sub=f"{role}-1", role=role, org="org-1"))
    with pytest.raises(Forbidden):
        await subscriptions.list_subscriptions(
            uow, Identity(sub=f"{role}-1", role=role), limit=10, cursor=None
        )


async def test_an_authority_lists_its_own_subscriptions_and_the_ministry_lists_everyones():
    uow = FakeGatewayUnitOfWork()
    mine = {(await subscribe(uow)).id, (await subscribe(uow, url=f"{RECEIVER}/2")).id}
    theirs = (await subscribe(uow, identity=OTHER_AUTHORITY)).id

    own = await subscriptions.list_subscriptions(uow, AUTHORITY, limit=10, cursor=None)
    overseen = await subscriptions.list_subscriptions(uow, MINISTRY, limit=10, cursor=None)

    assert {s.id for s in own.items} == mine
    assert {s.id for s in overseen.items} == mine | {theirs}


async def test_the_list_of_subscriptions_is_paged_with_the_cursor_it_returns():
    uow = FakeGatewayUnitOfWork()
    created = sorted([(await subscribe(uow, url=f"{RECEIVER}/{n}")).id for n in range(3)])

    first = await subscriptions.list_subscriptions(uow, AUTHORITY, limit=2, cursor=None)
    second = await subscriptions.list_subscriptions(
        uow, AUTHORITY, limit=2, cursor=first.next_cursor
    )

    assert [s.id for s in first.items] == created[:2] and first.next_cursor
    assert [s.id for s in second.items] == created[2:] and second.next_cursor is None


async def test_another_authoritys_subscription_is_not_found_and_the_ministry_sees_it():
    uow = FakeGatewayUnitOfWork()
    theirs = await subscribe(uow, identity=OTHER_AUTHORITY)

    with pytest.raises(NotFound):
        await subscriptions.get_subscription(uow, AUTHORITY, theirs.id)
    with pytest.raises(NotFound):
        await subscriptions.deactivate_subscription(uow, AUTHORITY, theirs.id)
    with pytest.raises(NotFound):
        await subscriptions.list_deliveries(
            uow, AUTHORITY, theirs.id, status=None, limit=10, cursor=None
        )
    assert uow.store.subscriptions[theirs.id].status == ACTIVE
    assert (await subscriptions.get_subscription(uow, MINISTRY, theirs.id)) == theirs


async def test_a_subscription_that_does_not_exist_is_not_found():
    with pytest.raises(NotFound):
        await subscriptions.get_subscription(FakeGatewayUnitOfWork(), MINISTRY, "no-such-id")


async def test_deactivating_a_subscription_gives_up_its_pending_deliveries_and_commits():
    uow = FakeGatewayUnitOfWork()
    subscription = await subscribe(uow)
    stored_event(uow, 1)
    await uow.deliveries.queue([subscription.id], quality_event_id=1, at=AT)

    deactivated = await subscriptions.deactivate_subscription(uow, AUTHORITY, subscription.id)

    assert deactivated.status == DEACTIVATED
    assert deactivated.status_reason == "deactivated by authority-sa"
    (delivery,) = uow.store.deliveries.values()
    assert (delivery.status, delivery.next_attempt_at) == (FAILED, None)
    assert delivery.last_error == "not sent: the subscription was deactivated"
    assert uow.committed and uow.published == []


async def test_deactivating_twice_keeps_the_first_reason():
    uow = FakeGatewayUnitOfWork()
    subscription = await subscribe(uow)
    await subscriptions.deactivate_subscription(uow, AUTHORITY, subscription.id)

    again = await subscriptions.deactivate_subscription(uow, MINISTRY, subscription.id)

    assert (again.status, again.status_reason) == (DEACTIVATED, "deactivated by authority-sa")


async def test_the_delivery_log_is_newest_first_paged_by_delivery_id_and_filtered_by_status():
    uow = FakeGatewayUnitOfWork()
    subscription = await subscribe(uow)
    for sequence in (1, 2, 3):
        stored_event(uow, sequence)
        await uow.deliveries.queue([subscription.id], quality_event_id=sequence, at=AT)
    uow.store.deliveries[2].status = FAILED

    first = await subscriptions.list_deliveries(
        uow, AUTHORITY, subscription.id, status=None, limit=2, cursor=None
    )
    rest = await subscriptions.list_deliveries(
        uow, AUTHORITY, subscription.id, status=None, limit=2, cursor=first.next_cursor
    )
    pending = await subscriptions.list_deliveries(
        uow, AUTHORITY, subscription.id, status=PENDING, limit=10, cursor=None
    )

    assert [d.id for d in first.items] == [3, 2] and first.next_cursor == encode_cursor("2")
    assert [d.id for d in rest.items] == [1] and rest.next_cursor is None
    assert [d.id for d in pending.items] == [3, 1]
    assert (first.items[0].event_id, first.items[0].quality_event_id) == ("event-3", 3)


@pytest.mark.parametrize("cursor", [encode_cursor("not-a-number"), "%%%"])
async def test_a_delivery_log_cursor_that_is_no_delivery_id_is_an_invalid_query(cursor):
    uow = FakeGatewayUnitOfWork()
    subscription = await subscribe(uow)
    with pytest.raises(InvalidQuery) as refused:
        await subscriptions.list_deliveries(
            uow, AUTHORITY, subscription.id, status=None, limit=10, cursor=cursor
        )
    assert refused.value.loc == ["query", "cursor"]


async def test_an_owner_may_hold_at_most_the_configured_number_of_active_subscriptions():
    # Found: nothing bounded how many receivers one caller could make the gateway send to.
    uow = FakeGatewayUnitOfWork()
    made = [await subscribe(uow, url=f"{RECEIVER}/{n}", max_per_owner=3) for n in range(3)]

    with pytest.raises(Conflict) as refused:
        await subscribe(uow, url=f"{RECEIVER}/3", max_per_owner=3)
    assert "at most 3 active subscriptions" in str(refused.value)
    assert len(uow.store.subscriptions) == 3
    # Another owner has a quota of its own; a deactivated subscription frees a place.
    await subscribe(uow, identity=OTHER_AUTHORITY, max_per_owner=3)
    await subscriptions.deactivate_subscription(uow, AUTHORITY, made[0].id)
    assert (await subscribe(uow, url=f"{RECEIVER}/3", max_per_owner=3)).status == ACTIVE


@pytest.mark.parametrize(
    "again",
    [
        RECEIVER,
        "HTTPS://Ministry.Example.ORG/hooks",
        "https://ministry.example.org:443/hooks",
    ],
)
async def test_the_same_owner_subscribing_the_same_receiver_and_filters_again_is_a_conflict(again):
    # Found: one caller could subscribe one receiver any number of times and have every event
    # sent to it as often.
    uow = FakeGatewayUnitOfWork()
    first = await subscribe(uow, scope="region", region="UZ-SA")

    with pytest.raises(Conflict) as refused:
        await subscribe(uow, url=again, scope="region", region="UZ-SA")
    assert refused.value.loc == ["body", "url"]
    assert first.id in str(refused.value)
    assert list(uow.store.subscriptions) == [first.id]


async def test_the_same_receiver_with_other_filters_by_another_owner_or_after_deactivation_is_new():
    uow = FakeGatewayUnitOfWork()
    first = await subscribe(uow, scope="region", region="UZ-SA")
    other_filters = await subscribe(uow, scope="cluster")
    other_owner = await subscribe(uow, identity=OTHER_AUTHORITY, scope="region", region="UZ-SA")
    await subscriptions.deactivate_subscription(uow, AUTHORITY, first.id)
    again = await subscribe(uow, scope="region", region="UZ-SA")
    assert len({first.id, other_filters.id, other_owner.id, again.id}) == 4
