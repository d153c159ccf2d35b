"""What the gateway's quality-event tests share: a gateway served in-process by uvicorn (event
streams need real HTTP: httpx's ASGI transport buffers whole responses), quality events put
on the real topic the way the quality service does, an SSE reader and a webhook receiver."""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import httpx
import uvicorn
from aiohttp import web
from fastapi import FastAPI
from gateway.adapters.tables import quality_events
from gateway.bootstrap import create_app
from gateway.config import GatewaySettings
from sqlalchemy import func, select

from shared.contracts.catalogue.quality import (
    AlertRaised,
    Figure,
    MethodologyPublished,
    QualityEvent,
    ScorePublished,
)
from shared.devtools.local_broker import free_port
from shared.platform.auth import mint_token
from shared.platform.auth_settings import AuthSettings
from shared.platform.db.engine import create_engine
from shared.platform.db.migrations import upgrade
from shared.platform.messaging.envelope import CloudEvent, encode, kafka_headers, new_event
from shared.platform.messaging.kafka import ensure_topics, new_producer
from shared.platform.names import QUALITY_TOPIC
from tests.integration.ledger import kafka_settings
from tests.support import TEST_TOKEN_TTL_S, eventually

SECRET = "test-secret-for-gateway-quality-event-tests"


def auth(role: str, *, sub: str | None = None, region: str | None = None) -> dict[str, str]:
    """A bearer token of ``role`` (regional authorities in UZ-SA unless told; institutions and
    employers with an organization)."""
    if role == "regional_authority":
        region = region or "UZ-SA"
    org = "org-tests" if role in ("institution", "employer") else None
    token = mint_token(
        AuthSettings(secret=SECRET),
        role=role,
        sub=sub or f"{role}-tests",
        region=region,
        org=org,
        ttl_s=TEST_TOKEN_TTL_S,
    )
    return {"Authorization": f"Bearer {token}"}


MINISTRY = auth("ministry")


# --- the gateway -------------------------------------------------------------------------------


@dataclass
class Gateway:
    url: str
    app: FastAPI
    database_url: str
    client: httpx.AsyncClient

    @property
    def open_streams(self) -> int:
        feed = getattr(self.app.state, "quality_event_feed", None)
        return feed.streams if feed is not None else 0

    async def stored_events(self) -> int:
        engine = create_engine(self.database_url)
        try:
            async with engine.connect() as conn:
                return await conn.scalar(select(func.count()).select_from(quality_events)) or 0
        finally:
            await engine.dispose()

    async def wait_stored(self, count: int) -> None:
        await eventually(
            self.stored_events, until=lambda n: n >= count, what=f"{count} events stored"
        )


@asynccontextmanager
async def running_gateway(
    database_url: str, bootstrap_servers: str, **settings: Any
) -> AsyncIterator[Gateway]:
    """Topics made, database migrated, the gateway app under uvicorn on a free port."""
    kafka = kafka_settings(bootstrap_servers)
    await ensure_topics(kafka)
    await upgrade("gateway", database_url)
    app = create_app(
        GatewaySettings(
            database_url=database_url,
            auth=AuthSettings(secret=SECRET),
            kafka=kafka,
            **{
                "sse_poll_s": 0.1,
                "webhook_poll_s": 0.05,
                "webhook_timeout_s": 3.0,
                "webhook_allow_private_targets": True,  # the receivers here are on 127.0.0.1
                **settings,
            },
        )
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            lifespan="on",
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=3,
        )
    )
    serving = asyncio.create_task(server.serve())
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert not serving.done(), "the gateway did not start"
            assert time.monotonic() < deadline, "the gateway did not start in 30 s"
            await asyncio.sleep(0.02)
        url = f"http://127.0.0.1:{port}"
        timeout = httpx.Timeout(15.0, read=30.0)
        async with httpx.AsyncClient(base_url=url, timeout=timeout) as client:
            yield Gateway(url=url, app=app, database_url=database_url, client=client)
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, 30)


# --- quality events on the topic -----------------------------------------------------------------


def score(scope: str, scope_id: str, *, index: float = 71.5) -> ScorePublished:
    figure = Figure(
        value=index, ci_low=index - 5, ci_high=index + 5, n=40, suppressed=False, reason=None
    )
    return ScorePublished(
        publication=1,
        release="provisional",
        scope=scope,  # type: ignore[arg-type]
        scope_id=scope_id,
        period=2025,
        pooled=False,
        methodology_version=1,
        index=figure,
        indicators={"employer_satisfaction": figure},
    )


def alert(scope: str, scope_id: str) -> AlertRaised:
    return AlertRaised(
        alert_id=str(uuid4()),
        scope=scope,  # type: ignore[arg-type]
        scope_id=scope_id,
        period=2025,
        kind="index_below_threshold",
        detail={"index": 41.0, "threshold": 50},
    )


def methodology(version: int = 2) -> MethodologyPublished:
    return MethodologyPublished(
        version=version,
        weights={"employer_satisfaction": 0.5, "preparedness": 0.5},
        interval_level=0.9,
        thresholds={"min_share_n": 10},
    )


class QualityTopic:
    """Publishes as the quality service's relay does: structured CloudEvents, keyed by scope id."""

    def __init__(self, bootstrap_servers: str) -> None:
        self._producer = new_producer(kafka_settings(bootstrap_servers))

    async def __aenter__(self) -> "QualityTopic":
        await self._producer.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self._producer.stop()

    async def publish(self, payload: QualityEvent) -> CloudEvent:
        scope_id = getattr(payload, "scope_id", None)
        key = scope_id or "methodology"
        subject = f"quality/{payload.scope}/{scope_id}" if scope_id else None  # type: ignore[attr-defined]
        event = new_event(payload, service="quality", subject=subject)
        await self._producer.send_and_wait(
            QUALITY_TOPIC, value=encode(event), key=key.encode(), headers=kafka_headers()
        )
        return event


# --- reading an event stream ---------------------------------------------------------------------


@dataclass
class SseStream:
    """An open GET /api/v1/events, read in the background into ``events``."""

    client: httpx.AsyncClient
    params: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=lambda: dict(MINISTRY))
    events: list[dict[str, str]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    retry: str | None = None
    response: httpx.Response | None = None
    _opened: asyncio.Event = field(default_factory=asyncio.Event)
    _reader: asyncio.Task | None = None

    async def __aenter__(self) -> "SseStream":
        self._reader = asyncio.create_task(self._read())
        await asyncio.wait_for(self._opened.wait(), 15)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Hang up, as a client that goes away does."""
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
            self._reader = None

    async def _read(self) -> None:
        try:
            async with self.client.stream(
                "GET", "/api/v1/events", params=self.params, headers=self.headers
            ) as response:
                self.response = response
                self._opened.set()
                if response.status_code != 200:
                    await response.aread()
                    return
                block: dict[str, str] = {}
                async for line in response.aiter_lines():
                    if line.startswith(":"):
                        self.comments.append(line)
                    elif line:
                        name, _, value = line.partition(":")
                        value = value[1:] if value.startswith(" ") else value
                        block[name] = block[name] + "\n" + value if name in block else value
                    elif block:
                        if "data" in block:
                            self.events.append(block)
                        else:
                            self.retry = block.get("retry", self.retry)
                        block = {}
        finally:
            self._opened.set()

    @property
    def finished(self) -> bool:
        """The server ended the stream (the reader got to its end)."""
        return self._reader is not None and self._reader.done()

    @property
    def cloudevent_ids(self) -> list[str]:
        return [json.loads(e["data"])["id"] for e in self.events]

    async def wait_for(self, count: int) -> list[dict[str, str]]:
        await eventually(
            lambda: _now(self.events),
            until=lambda events: len(events) >= count,
            what=f"{count} events on the stream {self.params}",
        )
        return self.events


async def _now(value: Any) -> Any:
    return list(value)


# --- a webhook receiver ----------------------------------------------------------------------------


@dataclass
class Received:
    at: float
    headers: dict[str, str]
    body: bytes


class Receiver:
    """A tiny HTTP server that records every POST and answers with the next status in line."""

    def __init__(self, *answers: int, then: int = 200) -> None:
        self.answers = list(answers)
        self.then = then
        self.received: list[Received] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/quality"

    async def _hook(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.received.append(Received(time.monotonic(), dict(request.headers), body))
        status = self.answers.pop(0) if self.answers else self.then
        return web.Response(status=status, text="ok" if status < 300 else "not now")

    async def __aenter__(self) -> "Receiver":
        app = web.Application()
        app.router.add_post("/hooks/quality", self._hook)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        self.port = free_port()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def wait_for(self, count: int, *, timeout_s: float = 45.0) -> list[Received]:
        await eventually(
            lambda: _now(self.received),
            until=lambda received: len(received) >= count,
            timeout_s=timeout_s,
            what=f"{count} webhook requests",
        )
        return self.received
