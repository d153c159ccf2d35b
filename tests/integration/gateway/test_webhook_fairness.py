"""Webhook deliveries shared fairly between receivers: a slow receiver holds only its own few
attempts while the others' deliveries go on, and a failing one has its circuit opened (its
deliveries wait, pending) until a trial after the cool-down succeeds; on SQLite and PostgreSQL."""

import asyncio

import pytest
from aiohttp import web

from tests.integration.gateway.quality_events_support import (
    QualityTopic,
    Receiver,
    auth,
    running_gateway,
    score,
)
from tests.support import eventually, stays

pytestmark = [pytest.mark.broker, pytest.mark.slow]

AUTHORITY = auth("regional_authority", sub="authority-sa", region="UZ-SA")
SIGNING_SECRET = "whsec-0123456789abcdef"


class SlowReceiver(Receiver):
    """Holds every answer until the test lets them go (a receiver taking its time, without
    the test depending on how long); counts the answers it has finished."""

    def __init__(self) -> None:
        super().__init__()
        self.answered = 0
        self.release = asyncio.Event()

    async def _hook(self, request: web.Request) -> web.Response:
        response = await super()._hook(request)
        await self.release.wait()
        self.answered += 1
        return response


@pytest.fixture
async def topic(broker):
    async with QualityTopic(broker.bootstrap_servers) as publisher:
        yield publisher


async def subscribe(client, url: str) -> dict:
    response = await client.post(
        "/api/v1/subscriptions", json={"url": url, "secret": SIGNING_SECRET}, headers=AUTHORITY
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _count(items) -> int:
    return len(items)


async def test_a_slow_receiver_holds_only_its_own_share_while_a_fast_one_gets_everything(
    make_database_url, broker, topic
):
    # Found: deliveries were sent oldest first from one pool; a slow receiver soon held every
    # slot, and everyone else's events waited behind it.
    async with (
        running_gateway(
            await make_database_url("gateway"),
            broker.bootstrap_servers,
            webhook_concurrency=4,
            webhook_concurrency_per_target=2,
            webhook_timeout_s=60.0,
        ) as gateway,
        SlowReceiver() as slow,
        Receiver() as fast,
    ):
        await subscribe(gateway.client, slow.url)
        await subscribe(gateway.client, fast.url)
        for n in range(8):
            await topic.publish(score("region", f"UZ-{n:02d}"))

        await fast.wait_for(8, timeout_s=20)
        # Every fast delivery arrived while the slow receiver had not finished one answer, and
        # the slow one was given only its two at once.
        assert slow.answered == 0
        assert len(slow.received) == 2
        slow.release.set()
        await slow.wait_for(8)
        assert slow.answered == 8


async def test_a_failing_receiver_has_its_circuit_opened_and_its_deliveries_wait_for_it(
    make_database_url, broker, topic
):
    async with (
        running_gateway(
            await make_database_url("gateway"),
            broker.bootstrap_servers,
            webhook_concurrency_per_target=1,  # one at a time: the failures come in a known row
            webhook_circuit_failures=3,
            webhook_circuit_cooldown_s=6.0,
            webhook_backoff_base_s=0.1,
            webhook_backoff_cap_s=0.2,
            webhook_max_attempts=20,
            webhook_disable_after_failures=100,
        ) as gateway,
        Receiver(then=503) as failing,
        Receiver() as healthy,
    ):
        client = gateway.client
        broken = await subscribe(client, failing.url)
        await subscribe(client, healthy.url)
        for n in range(3):
            await topic.publish(score("region", f"UZ-{n:02d}"))

        await failing.wait_for(3)
        await healthy.wait_for(3)
        # Open: nothing more is sent to it for the cool-down, and its deliveries stay pending.
        await stays(
            lambda: _count(failing.received),
            holds=lambda n: n == 3,
            for_s=2.0,
            what="no attempt while the circuit is open",
        )
        log = await client.get(
            f"/api/v1/subscriptions/{broken['id']}/deliveries", headers=AUTHORITY
        )
        assert [d["status"] for d in log.json()["items"]] == ["pending"] * 3
        assert sum(d["attempts"] for d in log.json()["items"]) == 3
        await topic.publish(score("region", "UZ-99"))
        await healthy.wait_for(4)  # other receivers go on meanwhile

        failing.then = 200  # the receiver recovers: a trial after the cool-down closes it
        await eventually(
            lambda: client.get(
                f"/api/v1/subscriptions/{broken['id']}/deliveries", headers=AUTHORITY
            ),
            until=lambda r: [d["status"] for d in r.json()["items"]] == ["delivered"] * 4,
            what="every delivery made after the circuit closed",
        )
        subscription = await client.get(f"/api/v1/subscriptions/{broken['id']}", headers=AUTHORITY)
        assert subscription.json()["status"] == "active"
