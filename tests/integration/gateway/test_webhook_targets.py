"""Webhook receivers on real sockets: IPv4 wrapped in IPv6 is refused at connect time too, and
an attempt without an answer says "delivery failed" whatever the cause, so the test delivery
tells a subscriber nothing about the names and ports inside the gateway's network."""

import logging

import pytest
from gateway.adapters.webhooks import WebhookSender

from shared.devtools.local_broker import free_port
from tests.integration.gateway.quality_events_support import (
    MINISTRY,
    Receiver,
    running_gateway,
)

EVENT = {"id": "evt-1", "type": "educluster.gateway.webhook.test.v1", "data": {}}
SECRET = "whsec-0123456789abcdef"


async def send(url: str, *, allow_private: bool):
    async with WebhookSender(timeout_s=3.0, allow_private=allow_private) as sender:
        return await sender.send(url=url, secret=SECRET, payload=EVENT)


@pytest.mark.parametrize(
    "host", ["[::ffff:127.0.0.1]", "[::127.0.0.1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::1]"]
)
async def test_a_receiver_behind_an_ipv6_wrapping_of_loopback_is_never_posted_to(host):
    async with Receiver() as receiver:
        outcome = await send(f"http://{host}:{receiver.port}/hooks/quality", allow_private=False)
        assert (outcome.status_code, outcome.error) == (None, "delivery failed")
        assert receiver.received == []


async def test_why_an_attempt_failed_is_logged_and_never_told_to_the_subscriber(caplog):
    caplog.set_level(logging.WARNING, logger="gateway.adapters.webhooks")
    closed = free_port()
    async with Receiver() as receiver:
        outcomes = [
            await send("http://nowhere.invalid/hooks", allow_private=False),  # no such name
            await send(f"http://localhost:{receiver.port}/hooks/quality", allow_private=False),
            await send(f"http://[::ffff:10.0.0.1]:{closed}/hooks", allow_private=False),
            await send(f"http://127.0.0.1:{closed}/hooks", allow_private=True),  # refused
        ]
        assert receiver.received == []
    assert [(o.status_code, o.error) for o in outcomes] == [(None, "delivery failed")] * 4
    causes = [r.error for r in caplog.records if r.getMessage() == "webhook delivery failed"]
    assert len(causes) == 4
    assert "nowhere.invalid" in causes[0]
    assert "not a public address" in causes[1] and "10.0.0.1" in causes[2]
    assert str(closed) in causes[3]


@pytest.fixture
async def gateway(make_database_url, broker):
    async with running_gateway(
        await make_database_url("gateway"),
        broker.bootstrap_servers,
        webhook_allow_private_targets=False,
    ) as gw:
        yield gw


@pytest.mark.broker
async def test_the_test_delivery_and_the_subscription_form_hold_the_same_line(gateway):
    client = gateway.client
    for wrapped in ("[64:ff9b::a9fe:a9fe]", "[2002:a9fe:a9fe::1]", "[::169.254.169.254]"):
        refused = await client.post(
            "/api/v1/subscriptions",
            json={"url": f"http://{wrapped}/latest", "secret": SECRET, "filters": {}},
            headers=MINISTRY,
        )
        assert refused.status_code == 422, refused.text
        assert [e["loc"] for e in refused.json()["errors"]] == [["body", "url"]]

    created = await client.post(
        "/api/v1/subscriptions",
        json={"url": "http://nowhere.invalid/hooks", "secret": SECRET, "filters": {}},
        headers=MINISTRY,
    )
    assert created.status_code == 201, created.text
    tested = await client.post(
        f"/api/v1/subscriptions/{created.json()['id']}/test", headers=MINISTRY
    )
    assert tested.status_code == 200, tested.text
    assert (tested.json()["delivered"], tested.json()["error"]) == (False, "delivery failed")
