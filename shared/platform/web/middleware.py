"""Pure ASGI middleware (cheap on the hot path): request ids, budgets, HTTP metrics and the
schema gate."""

import hashlib
import logging
import re
import time
from collections.abc import Awaitable, Callable
from uuid import uuid4

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.platform import deadline
from shared.platform.db.audit import current_actor
from shared.platform.logging import request_id_var
from shared.platform.web.problem_texts import request_language
from shared.platform.web.problems import problem_response

log = logging.getLogger(__name__)
REQUEST_ID_HEADER = b"x-request-id"
_ACCEPTABLE_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,128}$")
_AUTHORIZATION = b"authorization"
_CACHE_CONTROL = b"cache-control"
_NOSNIFF = (b"x-content-type-options", b"nosniff")


class RequestIdMiddleware:
    """Takes a caller's X-Request-ID (if sane) or makes one; echoes it and logs with it.

    The outermost layer, so every answer passes it: it also says ``nosniff`` (a browser must
    not guess a JSON or CSV body into HTML or script), and marks an answer to an authenticated
    request ``no-store`` unless the answer states its own cache policy (it is the caller's
    data: no cache, shared or on disk, keeps it).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_headers = dict(scope["headers"])
        incoming = request_headers.get(REQUEST_ID_HEADER, b"")
        request_id = incoming.decode() if _ACCEPTABLE_ID.match(incoming) else uuid4().hex
        authenticated = _AUTHORIZATION in request_headers
        token = request_id_var.set(request_id)
        # No one until the request's token is verified (web/identity.py sets the caller).
        actor_token = current_actor.set(None)

        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message.setdefault("headers", [])
                message["headers"] = _with_baseline(
                    message["headers"], request_id=request_id, authenticated=authenticated
                )
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Answer here rather than in Starlette's outer error middleware, so even a crash
            # gets a problem document carrying the request id (and never a stack trace).
            log.exception("unhandled error", extra={"path": scope.get("path")})
            if not started:
                await problem_response(
                    status=500,
                    title="Internal Server Error",
                    detail="The error was logged with this request's id.",
                    language=request_language(scope),
                )(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)
            current_actor.reset(actor_token)


def _with_baseline(
    headers: list[tuple[bytes, bytes]], *, request_id: str, authenticated: bool
) -> list[tuple[bytes, bytes]]:
    # Replaced rather than added to: a service's answer relayed by the gateway already has them.
    replaced = (REQUEST_ID_HEADER, _NOSNIFF[0])
    kept = [h for h in headers if h[0].lower() not in replaced]
    kept += [(REQUEST_ID_HEADER, request_id.encode()), _NOSNIFF]
    if authenticated and not any(name.lower() == _CACHE_CONTROL for name, _ in kept):
        kept.append((_CACHE_CONTROL, b"no-store"))
    return kept


class RequestBudgetMiddleware:
    """Gives each HTTP request ``budget_s`` seconds to commit (shared/platform/deadline.py)."""

    def __init__(self, app: ASGIApp, *, budget_s: float) -> None:
        self.app = app
        self.budget_s = budget_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with deadline.within(self.budget_s):
            await self.app(scope, receive, send)


class SchemaGateMiddleware:
    """Until the database's schema fits this code, answers 503 with Retry-After to everything
    but the paths matching ``exempt`` (health checks, metrics).

    New code started before its migration ran would fail on a missing column (a 500) and might
    half-do a request; a pod that is not ready can still be sent requests (a proxy that does not
    read readiness, the launcher). ``fits`` answers from a flag once the schema fits, so the
    hot path pays one attribute read."""

    def __init__(
        self, app: ASGIApp, *, fits: Callable[[Scope], Awaitable[bool]], exempt: str
    ) -> None:
        self.app = app
        self.fits = fits
        self.exempt = re.compile(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.exempt.search(scope["path"]) or await self.fits(scope):
            await self.app(scope, receive, send)
            return
        await problem_response(
            status=503,
            title="Service Unavailable",
            detail="This service is being upgraded: its database is not yet migrated to the "
            "schema its code needs. Nothing was done; retry shortly (with the same "
            "Idempotency-Key, if the request has one).",
            headers={"Retry-After": "5"},
            instance=scope["path"],
            language=request_language(scope),
        )(scope, receive, send)


class HttpMetricsMiddleware:
    """Counts requests and their latency by route template (not raw path: bounded labels)."""

    def __init__(self, app: ASGIApp, *, registry: CollectorRegistry) -> None:
        self.app = app
        self.requests = Counter(
            "educluster_http_requests",
            "HTTP requests",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "educluster_http_request_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=registry,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            self.requests.labels(scope["method"], route, str(status)).inc()
            self.latency.labels(scope["method"], route).observe(time.perf_counter() - started)


class ConditionalGetMiddleware:
    """ETag and If-None-Match for JSON reads: a client that has the current answer gets a 304
    with no body. The tag is a hash of the body, so it changes exactly when the answer does.

    Answers depend on who asks (roles see different figures), so they are ``private`` and vary
    by ``Authorization``. An answer to an authenticated request is ``no-store``: no cache keeps
    it, yet a client that keeps the tag itself still gets its 304. An anonymous one (public
    scores, the API documents) is ``no-cache``: kept, and revalidated on every reuse. Anything
    that is not a 200 JSON answer to GET or HEAD (streams, errors, writes) passes through
    untouched.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        request_headers = dict(scope["headers"])
        wanted = request_headers.get(b"if-none-match", b"")
        policy = b"private, no-store" if _AUTHORIZATION in request_headers else b"private, no-cache"
        start: Message | None = None
        chunks: list[bytes] = []

        async def hold_json(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                # An answer tagged already (a service's, relayed by the gateway) passes as it is.
                if message["status"] == 200 and _is_json(message) and not _tagged(message):
                    start = message
                    return
            elif start is not None and message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await _send_tagged(send, start, b"".join(chunks), wanted, policy)
                return
            await send(message)

        await self.app(scope, receive, hold_json)


def _tagged(start: Message) -> bool:
    return any(name.lower() == b"etag" for name, _ in start.get("headers", []))


def _is_json(start: Message) -> bool:
    content_type = dict(start.get("headers", [])).get(b"content-type", b"")
    return bool(content_type.split(b";")[0].strip() == b"application/json")


async def _send_tagged(
    send: Send, start: Message, body: bytes, wanted: bytes, policy: bytes
) -> None:
    tag = b'W/"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'
    headers = [
        (name, value)
        for name, value in start.get("headers", [])
        if name.lower() not in (b"etag", b"cache-control", b"vary", b"content-length")
    ]
    headers += [
        (b"etag", tag),
        (b"cache-control", policy),
        (b"vary", b"Authorization"),
    ]
    if tag in [t.strip() for t in wanted.split(b",")] or wanted.strip() == b"*":
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    headers.append((b"content-length", str(len(body)).encode()))
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body})
