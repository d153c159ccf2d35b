"""Webhooks for quality events: subscriptions, signed deliveries from the real topic, retries
with growing pauses, automatic disable, the test delivery, validation and ownership; on SQLite
and PostgreSQL."""

import asyncio
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from gateway.domain.deliveries import Outcome, RetryPolicy
from gateway.domain.filters import EventFilter
from gateway.entrypoints.consumers import store_quality_event
from gateway.service_layer import attempts, quality_events, subscriptions
from gateway.service_layer.unit_of_work import SqlGatewayUnitOfWork

from shared.platform.auth import Identity
from shared.platform.db.engine import create_engine, session_factory
from shared.platform.db.migrations import upgrade
from shared.platform.messaging.envelope import new_event
from tests.integration.gateway.quality_events_support import (
    MINISTRY,
    QualityTopic,
    Receiver,
    alert,
    auth,
    running_gateway,
    score,
)
from tests.support import eventually

pytestmark = [pytest.mark.broker, pytest.mark.slow]

SIGNING_SECRET = "whsec-0123456789abcdef"
AUTHORITY = auth("regional_authority", sub="authority-sa", region="UZ-SA")


def check_signature(received, secret: str = SIGNING_SECRET) -> None:
    """The receiver's side, written from the docs with nothing but hmac."""
    fields = dict(
        item.split("=", 1) for item in received.headers["EduCluster-Signature"].split(",")
    )
    expected = hmac.new(
        secret.encode(), f"{fields['t']}.".encode() + received.body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(fields["v1"], expected)
    assert abs(time.time() - int(fields["t"])) < 60


async def subscribe(client, receiver_url: str, *, headers=AUTHORITY, **filters) -> dict:
    response = await client.post(
        "/api/v1/subscriptions",
        json={"url": receiver_url, "secret": SIGNING_SECRET, "filters": filters},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def delivery_log(client, subscription_id: str, *, headers=AUTHORITY) -> list[dict]:
    response = await client.get(
        f"/api/v1/subscriptions/{subscription_id}/deliveries", headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()["items"]


@pytest.fixture
async def topic(broker):
    async with QualityTopic(broker.bootstrap_servers) as publisher:
        yield publisher


@pytest.fixture
async def gateway(make_database_url, broker):
    async with running_gateway(
        await make_database_url("gateway"),
        broker.bootstrap_servers,
        webhook_backoff_base_s=0.4,
        webhook_backoff_cap_s=5.0,
        webhook_max_attempts=4,
    ) as gw:
        yield gw


async def test_a_matching_event_reaches_the_receiver_signed_and_the_test_delivery_reports_its_answer(
    gateway, topic
):
    client = gateway.client
    async with Receiver() as receiver:
        subscription = await subscribe(
            client, receiver.url, scope="region", region="UZ-SA", types=["score.published"]
        )
        assert "secret" not in subscription
        assert subscription["status"] == "active"
        assert subscription["filters"] == {
            "scope": "region",
            "region": "UZ-SA",
            "types": ["educluster.quality.score.published.v1"],
        }

        await topic.publish(score("region", "UZ-TO"))
        await topic.publish(alert("region", "UZ-SA"))
        wanted = await topic.publish(score("region", "UZ-SA"))
        await gateway.wait_stored(3)
        (received,) = await receiver.wait_for(1)
        await asyncio.sleep(0.5)  # several delivery rounds: nothing else is sent
        assert len(receiver.received) == 1

        assert received.headers["Content-Type"] == "application/cloudevents+json"
        assert received.headers["EduCluster-Event-Id"] == wanted.id
        check_signature(received)
        body = json.loads(received.body)
        assert (body["id"], body["type"], body["data"]) == (wanted.id, wanted.type, wanted.data)

        (logged,) = await delivery_log(client, subscription["id"])
        assert (logged["status"], logged["attempts"], logged["last_status_code"]) == (
            "delivered",
            1,
            200,
        )
        assert (logged["event_id"], logged["event_type"]) == (wanted.id, wanted.type)
        assert [a["status_code"] for a in logged["attempt_log"]] == [200]

        test = await client.post(
            f"/api/v1/subscriptions/{subscription['id']}/test", headers=AUTHORITY
        )
        assert test.status_code == 200, test.text
        assert (test.json()["delivered"], test.json()["status_code"]) == (True, 200)
        probe = receiver.received[-1]
        check_signature(probe)
        assert json.loads(probe.body)["type"] == "educluster.gateway.webhook.test.v1"
        assert probe.headers["EduCluster-Event-Id"] == test.json()["event_id"]

        receiver.then = 503
        failing = await client.post(
            f"/api/v1/subscriptions/{subscription['id']}/test", headers=AUTHORITY
        )
        assert (failing.json()["delivered"], failing.json()["status_code"]) == (False, 503)
        # Test deliveries are answered, not logged or retried.
        assert len(await delivery_log(client, subscription["id"])) == 1

    gone = await client.post(f"/api/v1/subscriptions/{subscription['id']}/test", headers=AUTHORITY)
    assert gone.json()["delivered"] is False
    assert gone.json()["status_code"] is None and gone.json()["error"]


async def test_a_receiver_failing_twice_gets_the_same_event_again_after_growing_pauses(
    gateway, topic
):
    client = gateway.client
    async with Receiver(500, 502, then=200) as receiver:
        subscription = await subscribe(client, receiver.url)
        event = await topic.publish(alert("cluster", "cluster-1"))
        first, second, third = await receiver.wait_for(3)

        assert {r.headers["EduCluster-Event-Id"] for r in (first, second, third)} == {event.id}
        assert first.body == second.body == third.body
        assert [r.headers["EduCluster-Delivery-Attempt"] for r in (first, second, third)] == [
            "1",
            "2",
            "3",
        ]
        for received in (first, second, third):
            check_signature(received)
        pause_1, pause_2 = second.at - first.at, third.at - second.at
        # 0.4 s then 0.8 s, each less up to a quarter (jitter), plus a delivery round or so.
        assert 0.28 <= pause_1 < 2.0, pause_1
        assert pause_2 > pause_1 and pause_2 >= 0.58, (pause_1, pause_2)

        logged = await eventually(
            lambda: delivery_log(client, subscription["id"]),
            until=lambda items: items and items[0]["status"] == "delivered",
            what="delivery recorded",
        )
        (delivery,) = logged
        assert delivery["attempts"] == 3
        assert [a["status_code"] for a in delivery["attempt_log"]] == [500, 502, 200]
        assert [a["error"] for a in delivery["attempt_log"]] == ["HTTP 500", "HTTP 502", None]
        now = await client.get(f"/api/v1/subscriptions/{subscription['id']}", headers=AUTHORITY)
        assert now.json()["status"] == "active"
        assert (now.json()["consecutive_failures"], now.json()["failing_since"]) == (0, None)


@pytest.fixture
async def impatient_gateway(make_database_url, broker):
    """Gives a delivery two quick attempts and a subscription two failed deliveries."""
    async with running_gateway(
        await make_database_url("gateway"),
        broker.bootstrap_servers,
        webhook_backoff_base_s=0.1,
        webhook_max_attempts=2,
        webhook_disable_after_failures=2,
    ) as gw:
        yield gw


async def test_a_receiver_that_keeps_failing_gets_its_subscription_disabled(
    impatient_gateway, topic
):
    gateway, client = impatient_gateway, impatient_gateway.client
    async with Receiver(then=500) as receiver:
        subscription = await subscribe(client, receiver.url)
        await topic.publish(score("region", "UZ-SA"))
        await topic.publish(score("region", "UZ-TO"))

        disabled = await eventually(
            lambda: client.get(f"/api/v1/subscriptions/{subscription['id']}", headers=AUTHORITY),
            until=lambda r: r.json()["status"] == "disabled",
            what="subscription disabled",
        )
        assert "2 deliveries in a row failed" in disabled.json()["status_reason"]
        assert disabled.json()["consecutive_failures"] == 2
        logged = await delivery_log(client, subscription["id"])
        assert [(d["status"], d["attempts"], d["last_status_code"]) for d in logged] == [
            ("failed", 2, 500),
            ("failed", 2, 500),
        ]
        assert len(receiver.received) == 4

        # Disabled: later events are not queued for it, and nothing more is sent.
        await topic.publish(score("region", "UZ-AN"))
        await gateway.wait_stored(3)
        await asyncio.sleep(0.3)
        assert len(await delivery_log(client, subscription["id"])) == 2
        assert len(receiver.received) == 4


@pytest.fixture
async def guarded_gateway(make_database_url, broker):
    """Default protection: receivers must be on public addresses."""
    async with running_gateway(
        await make_database_url("gateway"),
        broker.bootstrap_servers,
        webhook_allow_private_targets=False,
    ) as gw:
        yield gw


async def test_invalid_subscriptions_are_422_problems_naming_the_field(guarded_gateway):
    client = guarded_gateway.client
    valid = {"url": "https://ministry.example.org/hooks", "secret": SIGNING_SECRET}
    cases = {
        "ftp://ministry.example.org/hooks": ["body", "url"],
        "not a url": ["body", "url"],
        "http://127.0.0.1:9000/hooks": ["body", "url"],
        "http://localhost/hooks": ["body", "url"],
        "http://10.1.2.3/hooks": ["body", "url"],
        "http://[::1]/hooks": ["body", "url"],
    }
    for url, loc in cases.items():
        response = await client.post(
            "/api/v1/subscriptions", json={**valid, "url": url}, headers=MINISTRY
        )
        assert response.status_code == 422, (url, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert loc in [e["loc"] for e in response.json()["errors"]], (url, response.json())

    for body, loc in [
        ({**valid, "secret": "too-short"}, ["body", "secret"]),
        ({"url": valid["url"]}, ["body", "secret"]),
        ({**valid, "filters": {"scope": "planet"}}, ["body", "filters", "scope"]),
        ({**valid, "filters": {"region": "Samarkand"}}, ["body", "filters", "region"]),
        ({**valid, "filters": {"types": ["score.deleted"]}}, ["body", "filters", "types", 0]),
        ({**valid, "filters": {"types": []}}, ["body", "filters", "types"]),
        ({**valid, "colour": "blue"}, ["body", "colour"]),
    ]:
        response = await client.post("/api/v1/subscriptions", json=body, headers=MINISTRY)
        assert response.status_code == 422, (body, response.text)
        problem = response.json()
        assert loc in [e["loc"] for e in problem["errors"]], (body, problem)
        assert "too-short" not in response.text  # a secret is never echoed back

    accepted = await client.post("/api/v1/subscriptions", json=valid, headers=MINISTRY)
    assert accepted.status_code == 201, accepted.text


async def test_subscriptions_belong_to_their_creator_and_the_ministry_oversees_them(gateway):
    client = gateway.client
    other = auth("regional_authority", sub="authority-to", region="UZ-TO")
    mine = await subscribe(client, "http://127.0.0.1:9/hooks", scope="cluster")
    retried = await client.post(
        "/api/v1/subscriptions",
        json={"url": "http://127.0.0.1:9/other", "secret": SIGNING_SECRET},
        headers={**AUTHORITY, "Idempotency-Key": "sub-1"},
    )
    again = await client.post(
        "/api/v1/subscriptions",
        json={"url": "http://127.0.0.1:9/other", "secret": SIGNING_SECRET},
        headers={**AUTHORITY, "Idempotency-Key": "sub-1"},
    )
    assert retried.status_code == again.status_code == 201
    assert again.json()["id"] == retried.json()["id"]
    path = f"/api/v1/subscriptions/{mine['id']}"

    for method, suffix in [("GET", ""), ("DELETE", ""), ("GET", "/deliveries"), ("POST", "/test")]:
        response = await client.request(method, path + suffix, headers=other)
        assert response.status_code == 404, (method, suffix, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    listed = await client.get("/api/v1/subscriptions", headers=other)
    assert listed.json()["items"] == []

    own = await client.get("/api/v1/subscriptions", headers=AUTHORITY)
    assert {s["id"] for s in own.json()["items"]} == {mine["id"], retried.json()["id"]}
    overseen = await client.get(path, headers=MINISTRY)
    assert overseen.status_code == 200 and overseen.json()["owner"] == "authority-sa"
    page = await client.get("/api/v1/subscriptions", params={"limit": 1}, headers=MINISTRY)
    assert len(page.json()["items"]) == 1 and page.json()["next_cursor"]

    for role in ("employer", "institution", "operator"):
        refused = await client.get("/api/v1/subscriptions", headers=auth(role))
        assert refused.status_code == 403, role
    assert (await client.get("/api/v1/subscriptions")).status_code == 401

    deactivated = await client.delete(path, headers=AUTHORITY)
    assert deactivated.status_code == 200
    assert deactivated.json()["status"] == "deactivated"
    assert (await client.get(path, headers=AUTHORITY)).json()["status"] == "deactivated"


async def test_two_regional_authorities_with_one_subject_keep_their_subscriptions_apart(gateway):
    # Found: subscriptions were owned by ``sub``; two regions' authorities whose tokens shared a
    # subject listed, read and deleted each other's.
    client = gateway.client
    tashkent = auth("regional_authority", sub="authority", region="UZ-TO")
    samarkand = auth("regional_authority", sub="authority", region="UZ-SA")
    theirs = await subscribe(client, "http://127.0.0.1:9/hooks", headers=tashkent)
    path = f"/api/v1/subscriptions/{theirs['id']}"

    listed = await client.get("/api/v1/subscriptions", headers=samarkand)
    assert listed.status_code == 200 and listed.json()["items"] == []
    for method, suffix in [("GET", ""), ("DELETE", ""), ("GET", "/deliveries")]:
        response = await client.request(method, path + suffix, headers=samarkand)
        assert response.status_code == 404, (method, suffix, response.text)
    kept = await client.get(path, headers=tashkent)
    assert kept.status_code == 200 and kept.json()["status"] == "active"
    assert kept.json()["owner"] == "authority"


async def test_events_past_retention_go_with_their_finished_deliveries_but_a_waiting_one_stays(
    make_database_url,
):
    url = await make_database_url("gateway")
    await upgrade("gateway", url)
    engine = create_engine(url)
    uow_factory = lambda: SqlGatewayUnitOfWork(session_factory(engine), service="gateway")  # noqa: E731
    try:
        async with uow_factory() as uow:
            subscription = await subscriptions.create_subscription(
                uow,
                Identity(sub="authority-sa", role="regional_authority", region="UZ-SA"),
                subscriptions.CreateSubscription(
                    url="https://ministry.example.org/hooks",
                    secret=SIGNING_SECRET,
                    wanted=EventFilter(),
                ),
                allow_private=False,
                max_per_owner=20,
            )
            for payload in (score("region", "UZ-SA"), score("region", "UZ-TO")):
                await store_quality_event(new_event(payload, service="quality"), uow)
            await uow.commit()
        policy = RetryPolicy(
            max_attempts=3,
            backoff_base_s=60,
            backoff_cap_s=60,
            disable_after_failures=5,
            disable_after_s=3600,
        )
        async with uow_factory() as uow:
            first, second = await attempts.claim_due(uow, limit=10, lease_s=30)
            await attempts.record_attempt(uow, first, Outcome(200, None, 5.0), policy=policy)
            await attempts.record_attempt(uow, second, Outcome(500, None, 5.0), policy=policy)

        async with uow_factory() as uow:
            later = datetime.now(UTC) + timedelta(days=1)
            assert await quality_events.purge_expired(uow, before=later) == 1
            log = await subscriptions.list_deliveries(
                uow,
                Identity(sub="ministry", role="ministry"),
                subscription.id,
                status=None,
                limit=10,
                cursor=None,
            )
        # The delivered one went with its event; the one still retrying stays, with its event.
        assert [(d.status, d.attempts) for d in log.items] == [("pending", 1)]
        assert log.items[0].event_id and log.items[0].last_status_code == 500
    finally:
        await engine.dispose()


@pytest.fixture
async def capped_gateway(make_database_url, broker):
    async with running_gateway(
        await make_database_url("gateway"), broker.bootstrap_servers, max_subscriptions_per_owner=2
    ) as gw:
        yield gw


async def test_an_owner_holds_a_bounded_number_of_subscriptions_and_no_receiver_twice(
    capped_gateway,
):
    # Found: one caller could make any number of subscriptions, to one receiver as often as it
    # liked, and have the gateway send every event to it that many times.
    client = capped_gateway.client
    first = await subscribe(client, "http://127.0.0.1:9/hooks", scope="region", region="UZ-SA")

    for again in ("http://127.0.0.1:9/hooks", "HTTP://127.0.0.1:9/hooks"):
        duplicate = await client.post(
            "/api/v1/subscriptions",
            json={
                "url": again,
                "secret": SIGNING_SECRET,
                "filters": {"scope": "region", "region": "UZ-SA"},
            },
            headers=AUTHORITY,
        )
        assert duplicate.status_code == 409, duplicate.text
        assert duplicate.headers["content-type"] == "application/problem+json"
        assert first["id"] in duplicate.json()["detail"]
        assert ["body", "url"] in [e["loc"] for e in duplicate.json()["errors"]]

    await subscribe(client, "http://127.0.0.1:9/hooks", scope="cluster")  # other filters: new
    over = await client.post(
        "/api/v1/subscriptions",
        json={"url": "http://127.0.0.1:9/third", "secret": SIGNING_SECRET},
        headers=AUTHORITY,
    )
    assert over.status_code == 409, over.text
    assert "at most 2 active subscriptions" in over.json()["detail"]

    # Another owner has its own places; deactivating one frees a place.
    await subscribe(client, "http://127.0.0.1:9/hooks", headers=MINISTRY, scope="cluster")
    await client.delete(f"/api/v1/subscriptions/{first['id']}", headers=AUTHORITY)
    await subscribe(client, "http://127.0.0.1:9/third")
    listed = await client.get("/api/v1/subscriptions", headers=AUTHORITY)
    assert len(listed.json()["items"]) == 3
