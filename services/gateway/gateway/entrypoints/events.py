"""GET /api/v1/events: quality events as server-sent events, filtered and resumable.

Each event is sent as ``id:`` (its sequence number in the gateway), ``event:`` (the short type)
and ``data:`` (the CloudEvent, one line of JSON). A client that reconnects with the last id it
saw (``Last-Event-ID``, as browsers do by themselves, or ``?last_event_id=``) first gets every
stored event after it that matches its filters, then new ones as they arrive.
"""

import time
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.exc import DBAPIError

from gateway.config import GatewaySettings
from gateway.service_layer.feed import EventFeed
from gateway.service_layer.filters import EventFilter, short_type
from gateway.service_layer.quality_events import cloudevent_json, events_after
from gateway.service_layer.webhooks import require_subscriber
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.names import API_PREFIX
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.problems import ProblemError

router = APIRouter(prefix=f"{API_PREFIX}/events", tags=["events"])

Scope = Literal["program", "organization", "cluster", "region", "national"]
EventTypeName = Literal[
    "score.updated",
    "alert.raised",
    "methodology.published",
    "educluster.quality.score.updated.v1",
    "educluster.quality.alert.raised.v1",
    "educluster.quality.methodology.published.v1",
]
REGION_PATTERN = r"^[A-Z]{2}-[A-Z0-9]{1,3}$"
_BATCH = 100  # rows read at a time: what one stream holds in memory
_RETRY_MS = 3000  # the reconnection delay suggested to clients


@router.get(
    "",
    summary="Stream quality events (server-sent events), resumable with Last-Event-ID",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "an event stream"}},
)
async def stream_events(
    request: Request,
    identity: CurrentIdentity,
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
    wanted = EventFilter.of(scope=scope, region=region, types=list(type) if type else None)
    runtime = request.app.state.runtime
    settings: GatewaySettings = runtime.spec.settings
    feed = _feed(request, settings)
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
    stream = _stream(
        feed,
        runtime.uow_factory,
        wanted=wanted,
        position=position,
        heartbeat_s=settings.sse_heartbeat_s,
    )
    return StreamingResponse(
        stream,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _feed(request: Request, settings: GatewaySettings) -> EventFeed:
    """The process's feed, made on first use (one per app, so tests can run several)."""
    feed = getattr(request.app.state, "quality_event_feed", None)
    if feed is None:
        feed = EventFeed(request.app.state.runtime.engine, poll_s=settings.sse_poll_s)
        request.app.state.quality_event_feed = feed
    return feed


async def _stream(
    feed: EventFeed,
    uow_factory: Callable[[], UnitOfWork],
    *,
    wanted: EventFilter,
    position: int,
    heartbeat_s: float,
) -> AsyncIterator[bytes]:
    """Replay what matches after ``position``, then follow the feed. Ends when the client
    goes: the response is cancelled on disconnect, and ``following`` counts the stream out."""
    async with feed.following():
        yield f"retry: {_RETRY_MS}\n\n".encode()
        beat_at = time.monotonic() + heartbeat_s
        while True:
            known = feed.latest
            if known > position:
                async with uow_factory() as uow:
                    rows = await events_after(
                        uow.session, after=position, wanted=wanted, limit=_BATCH
                    )
                for row in rows:
                    yield _frame(row.id, row.type, row.payload)
                if len(rows) == _BATCH:
                    position = rows[-1].id
                    continue
                # Every row up to ``known`` was committed before this read: all examined.
                position = max(known, rows[-1].id if rows else position)
                if rows:
                    beat_at = time.monotonic() + heartbeat_s
            wait_s = beat_at - time.monotonic()
            if wait_s <= 0:
                yield b": keep-alive\n\n"
                beat_at = time.monotonic() + heartbeat_s
                continue
            await feed.wait_beyond(position, timeout_s=wait_s)


def _frame(sequence: int, event_type: str, payload: dict) -> bytes:
    return (
        f"id: {sequence}\nevent: {short_type(event_type)}\ndata: {cloudevent_json(payload)}\n\n"
    ).encode()
