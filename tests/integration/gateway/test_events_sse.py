"""GET /api/v1/events: quality events from the real topic as server-sent events, on SQLite and
PostgreSQL, filtered, resumable with Last-Event-ID, with heartbeats and clean hang-ups."""

import asyncio
import json
from uuid import uuid4

import pytest

from shared.platform.auth import mint_token
from shared.platform.auth_settings import AuthSettings
from tests.integration.gateway.quality_events_support import (
    MINISTRY,
    SECRET,
    QualityTopic,
    SseStream,
    alert,
    auth,
    methodology,
    running_gateway,
    score,
)
from tests.support import eventually

pytestmark = [pytest.mark.broker, pytest.mark.slow]


@pytest.fixture
async def gateway(make_database_url, broker):
    async with running_gateway(await make_database_url("gateway"), broker.bootstrap_servers) as gw:
        yield gw


@pytest.fixture
async def topic(broker):
    async with QualityTopic(broker.bootstrap_servers) as publisher:
        yield publisher


async def test_each_stream_gets_exactly_the_events_its_filters_ask_for_in_order(gateway, topic):
    client = gateway.client
    everything = SseStream(client)
    region_scores = SseStream(
        client, params={"scope": "region", "region": "UZ-SA", "type": "score.published"}
    )
    alerts = SseStream(client, params={"type": "alert.raised"})
    methodologies = SseStream(
        client,
        params={"type": "educluster.quality.methodology.published.v1"},
        headers=auth("regional_authority", region="UZ-TO"),
    )
    programs = SseStream(client, params={"scope": "program"})
    streams = (everything, region_scores, alerts, methodologies, programs)
    for stream in streams:
        await stream.__aenter__()
    try:
        for stream in streams:
            assert stream.response.status_code == 200
            assert stream.response.headers["content-type"].startswith("text/event-stream")
        program = str(uuid4())
        published = [
            await topic.publish(score("region", "UZ-SA")),
            await topic.publish(score("region", "UZ-TO")),
            await topic.publish(score("program", program)),
            await topic.publish(alert("region", "UZ-SA")),
            await topic.publish(methodology()),
            await topic.publish(alert("program", program)),
        ]
        a, b, c, d, e, f = (event.id for event in published)

        await everything.wait_for(6)
        await region_scores.wait_for(1)
        await alerts.wait_for(2)
        await methodologies.wait_for(1)
        await programs.wait_for(2)
        await asyncio.sleep(0.5)  # several polls: nothing else may still arrive

        # Events with different keys may be consumed in any order; the stream keeps the
        # gateway's order, which every stream shares.
        order = everything.cloudevent_ids
        assert sorted(order) == sorted([a, b, c, d, e, f])
        assert region_scores.cloudevent_ids == [a]
        assert alerts.cloudevent_ids == [x for x in order if x in (d, f)]
        assert methodologies.cloudevent_ids == [e]
        assert programs.cloudevent_ids == [x for x in order if x in (c, f)]

        sequence = [int(event["id"]) for event in everything.events]
        assert sequence == sorted(set(sequence))
        by_id = {event.id: event for event in published}
        for frame in everything.events:
            data = json.loads(frame["data"])
            sent = by_id[data["id"]]
            assert frame["event"] == sent.type.removeprefix("educluster.quality.").removesuffix(
                ".v1"
            )
            assert (data["type"], data["source"], data["data"]) == (
                sent.type,
                "/educluster/quality",
                sent.data,
            )
        assert everything.retry == "3000"
    finally:
        for stream in streams:
            await stream.close()


async def test_a_client_that_reconnects_with_last_event_id_gets_exactly_what_it_missed(
    gateway, topic
):
    first = await SseStream(gateway.client).__aenter__()
    seen = [await topic.publish(score("region", f"UZ-{code}")) for code in ("SA", "TO", "AN")]
    await first.wait_for(3)
    last_id = first.events[-1]["id"]
    await first.close()
    # The server notices the hang-up and stops following the feed.
    await eventually(
        lambda: _value(gateway.open_streams), until=lambda n: n == 0, what="stream closed"
    )

    missed = [await topic.publish(alert("region", code)) for code in ("UZ-SA", "UZ-BU")]
    await gateway.wait_stored(5)

    async with (
        SseStream(gateway.client, headers={**MINISTRY, "Last-Event-ID": last_id}) as resumed,
        SseStream(gateway.client, params={"last_event_id": last_id}) as by_query,
        SseStream(gateway.client) as fresh,
    ):
        await resumed.wait_for(2)
        await by_query.wait_for(2)
        later = await topic.publish(score("national", "UZ"))
        await resumed.wait_for(3)
        await by_query.wait_for(3)
        await fresh.wait_for(1)
        await asyncio.sleep(0.5)

        missed_ids = {event.id for event in missed}
        assert set(resumed.cloudevent_ids[:2]) == missed_ids
        assert resumed.cloudevent_ids[2:] == [later.id]
        assert by_query.cloudevent_ids == resumed.cloudevent_ids
        # Without an id a stream starts from now: nothing from before it opened.
        assert fresh.cloudevent_ids == [later.id]
        sequence = [int(event["id"]) for event in resumed.events]
        assert sequence == sorted(set(sequence)) and sequence[0] > int(last_id)
        assert not set(resumed.cloudevent_ids) & {event.id for event in seen}

    # Last-Event-ID 0 replays everything kept.
    async with SseStream(gateway.client, headers={**MINISTRY, "Last-Event-ID": "0"}) as replay:
        await replay.wait_for(6)
        assert len(set(replay.cloudevent_ids)) == 6


async def _value(value):
    return value


@pytest.fixture
async def quiet_gateway(make_database_url, broker):
    """Heartbeats every 0.3 s, so an idle stream shows them quickly."""
    async with running_gateway(
        await make_database_url("gateway"), broker.bootstrap_servers, sse_heartbeat_s=0.3
    ) as gw:
        yield gw


async def test_idle_streams_get_heartbeats_and_callers_outside_the_roles_are_refused(
    quiet_gateway,
):
    client = quiet_gateway.client
    async with SseStream(client, headers=auth("regional_authority")) as idle:
        await eventually(
            lambda: _value(len(idle.comments)), until=lambda n: n >= 2, what="heartbeats"
        )
        assert idle.events == []

    anonymous = await client.get("/api/v1/events")
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"
    for role in ("employer", "institution", "operator"):
        refused = await client.get("/api/v1/events", headers=auth(role))
        assert refused.status_code == 403, (role, refused.text)

    bad_type = await client.get(
        "/api/v1/events", params={"type": "score.deleted"}, headers=MINISTRY
    )
    assert bad_type.status_code == 422
    assert ["query", "type", 0] in [e["loc"] for e in bad_type.json()["errors"]]
    bad_scope = await client.get("/api/v1/events", params={"scope": "planet"}, headers=MINISTRY)
    assert bad_scope.status_code == 422 and "scope" in bad_scope.json()["detail"]
    bad_id = await client.get("/api/v1/events", headers={**MINISTRY, "Last-Event-ID": "yesterday"})
    assert bad_id.status_code == 422
    assert ["header", "Last-Event-ID"] in [e["loc"] for e in bad_id.json()["errors"]]


async def test_a_stream_ends_when_its_token_expires_with_a_last_event_saying_so(gateway):
    # Found: a stream opened with a token lived on after the token expired, for as long as the
    # connection held: a revoked or leaked token kept receiving events.
    token = mint_token(AuthSettings(secret=SECRET), role="ministry", ttl_s=3)
    stream = SseStream(gateway.client, headers={"Authorization": f"Bearer {token}"})
    async with stream:
        assert stream.response.status_code == 200
        await eventually(
            lambda: _value(stream.finished), until=bool, timeout_s=15, what="stream ended"
        )
        assert stream.events[-1]["event"] == "expired"
        assert "expired" in json.loads(stream.events[-1]["data"])["detail"]
        assert "id" not in stream.events[-1]  # Last-Event-ID stays the last real event's
    await eventually(
        lambda: _value(gateway.open_streams), until=lambda n: n == 0, what="stream counted out"
    )


@pytest.fixture
async def narrow_gateway(make_database_url, broker):
    async with running_gateway(
        await make_database_url("gateway"),
        broker.bootstrap_servers,
        sse_max_streams_per_principal=2,
        sse_max_streams_per_address=3,
    ) as gw:
        yield gw


async def test_open_streams_are_capped_per_principal_and_per_client_address(narrow_gateway):
    # Found: one caller could hold any number of streams open, each a task and a connection.
    client = narrow_gateway.client
    authority, other = auth("regional_authority"), auth("regional_authority", region="UZ-TO")
    async with SseStream(client) as first, SseStream(client) as second:
        assert first.response.status_code == second.response.status_code == 200
        async with SseStream(client) as third:
            refused = third.response
            assert refused.status_code == 429
            assert refused.headers["content-type"] == "application/problem+json"
            assert "2 open event streams per caller" in refused.json()["detail"]
            assert refused.headers["retry-after"]

        async with SseStream(client, headers=authority) as own:
            assert own.response.status_code == 200  # another caller: its own two
            async with SseStream(client, headers=other) as fourth:
                refused = fourth.response
                assert refused.status_code == 429
                assert "3 open event streams per client address" in refused.json()["detail"]

    # Closed streams free their places.
    await eventually(
        lambda: _value(narrow_gateway.open_streams), until=lambda n: n == 0, what="all closed"
    )
    async with SseStream(client) as again, SseStream(client, headers=other) as theirs:
        assert again.response.status_code == theirs.response.status_code == 200
