"""GET /api/v1/events: quality events as server-sent events, filtered and resumable.

Each event is sent as ``id:`` (its sequence number in the gateway), ``event:`` (the short type)
and ``data:`` (the CloudEvent, one line of JSON). A client that reconnects with the last id it
saw (``Last-Event-ID``, as browsers do by themselves, or ``?last_event_id=``) first gets every
stored event after it that matches its filters, then new ones as they arrive.

A stream ends when the token it was opened with expires (a last ``event: expired``, without an
id); a caller and a client address may hold only so many streams open at once (429 beyond).
"""

import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

import jwt
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.exc import DBAPIError
from starlette.types import Receive, Send
from starlette.types import Scope as AsgiScope

from gateway.domain.access import require_subscriber
from gateway.domain.filters import EventFilter
from gateway.domain.quality_events import StoredEvent, cloudevent_json, short_type
from gateway.edge.limits import client_address, trusted_networks
from gateway.entrypoints.deps import Feed, Quota, SettingsDep, Units
from gateway.entrypoints.schemas import REGION_PATTERN, EventTypeName, Scope
from gateway.service_layer.feed import EventFeed, TooManyStreams
from gateway.service_layer.unit_of_work import AbstractGatewayUnitOfWork
from shared.platform.names import API_PREFIX
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.problems import ProblemError

router = APIRouter(prefix=f"{API_PREFIX}/events", tags=["events"])

_BATCH = 100  # rows read at a time: what one stream holds in memory
_RETRY_MS = 3000  # the reconnection delay suggested to clients
_EXPIRED = (
    "event: expired\ndata: "
    + json.dumps({"detail": "the token expired: reconnect with a new one"})
    + "\n\n"
).encode()


@router.get(
    "",
    summary="Stream quality events (server-sent events), resumable with Last-Event-ID",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "an event stream"}},
)
async def stream_events(
    request: Request,
    identity: CurrentIdentity,
    settings: SettingsDep,
    units: Units,
    feed: Feed,
    quota: Quota,
    scope: Annotated[
        Scope | None, Query(description="only events about this kind of scope")
    ] = None,
    region: Annotated[
        str | None, Query(pattern=REGION_PATTERN, description="only events naming this region")
    ] = None,
    type: Annotated[
        list[EventTypeName] | None,
        Query(description="only these event types (short or full name; repeat for several)"),
    ] = None,
    last_event_id: Annotated[
        int | None, Query(ge=0, description="resume after this id (as the header does)")
    ] = None,
    last_event_id_header: Annotated[int | None, Header(alias="Last-Event-ID", ge=0)] = None,
) -> StreamingResponse:
    require_subscriber(identity)
    wanted = EventFilter.of(scope=scope, region=region, types=type)
    try:
        latest = await feed.read_latest()
    except DBAPIError as error:  # the event store is down (or not migrated yet)
        raise ProblemError(
            503,
            "Service Unavailable",
            "The gateway's event store is not available; retry shortly.",
            headers={"Retry-After": "5"},
        ) from error
    resume = last_event_id if last_event_id is not None else last_event_id_header
    # No id: from now on. An id beyond the newest stored one can only come from another
    # database (reset or restored): start from now rather than wait for ids to catch up.
    position = latest if resume is None or resume > latest else resume
    expires_at = _token_expiry(request)
    address = client_address(request.scope, trusted_networks(settings.trusted_proxies))
    # Taken last: from here on only the response gives the place back.
    try:
        release = quota.take(principal=identity.principal, address=address)
    except TooManyStreams as error:
        raise ProblemError(
            429,
            "Too Many Requests",
            f"{error}; close one before opening another",
            headers={"Retry-After": str(_RETRY_MS // 1000)},
        ) from error
    stream = _stream(
        feed,
        units,
        wanted=wanted,
        position=position,
        heartbeat_s=settings.sse_heartbeat_s,
        expires_at=expires_at,
    )
    return _CountedStream(
        stream,
        release=release,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


class _CountedStream(StreamingResponse):
    """Gives the stream's place in the quota back however the response ends, even one that
    never got to start."""

    def __init__(self, content: AsyncIterator[bytes], *, release: Callable[[], None], **kw: Any):
        super().__init__(content, **kw)
        self._release = release

    async def __call__(self, scope: AsgiScope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._release()


def _token_expiry(request: Request) -> float:
    """When the caller's token expires (epoch seconds). CurrentIdentity has verified it, so
    it decodes and carries an exp."""
    token = request.headers["authorization"].partition(" ")[2].strip()
    return float(jwt.decode(token, options={"verify_signature": False})["exp"])


async def _stream(
    feed: EventFeed,
    units: Callable[[], AbstractGatewayUnitOfWork],
    *,
    wanted: EventFilter,
    position: int,
    heartbeat_s: float,
    expires_at: float,
) -> AsyncIterator[bytes]:
    """Replay what matches after ``position``, then follow the feed. Ends when the client
    goes (the response is cancelled on disconnect, and ``following`` counts the stream out),
    or with a last ``expired`` event once the token is past ``expires_at``."""
    async with feed.following():
        yield f"retry: {_RETRY_MS}\n\n".encode()
        beat_at = time.monotonic() + heartbeat_s
        while True:
            left_s = expires_at - time.time()
            if left_s <= 0:
                yield _EXPIRED
                return
            known = feed.latest
            if known > position:
                async with units() as uow:
                    events = await uow.quality_events.after(position, wanted=wanted, limit=_BATCH)
                for event in events:
                    yield _frame(event)
                if len(events) == _BATCH:
                    position = events[-1].id
                    continue
                # Every row up to ``known`` was committed before this read: all examined.
                position = max(known, events[-1].id if events else position)
                if events:
                    beat_at = time.monotonic() + heartbeat_s
            wait_s = beat_at - time.monotonic()
            if wait_s <= 0:
                yield b": keep-alive\n\n"
                beat_at = time.monotonic() + heartbeat_s
                continue
            await feed.wait_beyond(position, timeout_s=min(wait_s, left_s))


def _frame(event: StoredEvent) -> bytes:
    return (
        f"id: {event.id}\nevent: {short_type(event.type)}\n"
        f"data: {cloudevent_json(event.payload)}\n\n"
    ).encode()
