"""The gateway's hot path: /api/v1/* admitted, then forwarded to the service that owns it.

A pure ASGI layer placed inside the request-id and metrics middleware but in front of FastAPI's
router, so a proxied request pays for no routing, validation or serialisation in the gateway.
Every /api/v1 request is admitted first (edge.identity, edge.limits): the bearer token
verified, the client's rate checked, the role held against the route, the body's size bounded.
Headers are filtered once, small bodies go upstream in one write, larger ones (CSV imports)
stream from the client's receive channel into a pooled keep-alive connection, and the answer
streams back. Anything not under /api/v1, and the gateway's own /api/v1 resources, go on to the
FastAPI app.
"""

import logging
from collections.abc import AsyncIterator
from urllib.parse import quote

import aiohttp
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send
from yarl import URL

from gateway.edge.headers import request_headers, response_headers
from gateway.edge.identity import Access
from gateway.edge.limits import (
    BodyTooLarge,
    RateLimiter,
    body_too_large,
    client_key,
    content_length,
    limited_receive,
    too_many_requests,
)
from gateway.edge.routes import API_PREFIX, Route, RouteTable
from gateway.edge.upstreams import Upstreams
from shared.platform.logging import request_id_var
from shared.platform.tracing import propagated_headers
from shared.platform.web.problem_texts import request_language
from shared.platform.web.problems import problem_response

log = logging.getLogger(__name__)

# Bodies up to this size are read whole: one write upstream and no streaming machinery for the
# usual JSON request or answer. Anything larger, or of unknown length, streams.
_WHOLE_BODY_MAX = 64 * 1024


class ClientGone(Exception):
    """The client disconnected before its request body was complete."""


class ProxyMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        routes: RouteTable,
        upstreams: Upstreams,
        read_timeout_s: float,
        access: Access,
        limiter: RateLimiter,
        max_body_bytes: int,
    ) -> None:
        self.app = app
        self.routes = routes
        self.upstreams = upstreams
        self.read_timeout_s = read_timeout_s
        self.access = access
        self.limiter = limiter
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        route = self.routes.resolve(scope["path"])
        if route is None:
            await _not_found(scope)(scope, receive, send)
            return
        if not route.local:
            scope["route"] = route  # labels the HTTP metrics (refusals too) with the resource
        refusal = await self.admit(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
        elif route.local:
            await self.local(scope, receive, send)
        else:
            await self.forward(route, scope, receive, send)

    async def admit(self, scope: Scope) -> Response | None:
        """None when the request may go on, else the 401, 403, 404, 405 or 429 problem."""
        caller = await self.access.authenticate(scope)
        # Counted before the role is checked, so refused calls (a flood of bad tokens) count.
        wait_s = self.limiter.wait_s(
            client_key(scope, caller.identity, trusted=self.limiter.trusted)
        )
        if wait_s:
            return too_many_requests(scope, wait_s)
        return self.access.authorize(scope, caller)

    async def local(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The gateway's own /api/v1 resources, under the same body limit as proxied ones."""
        length = content_length(scope)
        if length is not None and length > self.max_body_bytes:
            await body_too_large(scope, self.max_body_bytes)(scope, receive, send)
            return
        if length is None:
            # Raised from FastAPI's body read as an HTTPException: a 413 problem.
            receive = limited_receive(receive, self.max_body_bytes)
        await self.app(scope, receive, send)

    async def forward(self, route: Route, scope: Scope, receive: Receive, send: Send) -> None:
        forwarded = request_headers(scope, request_id=request_id_var.get())
        limit = self.max_body_bytes
        if forwarded.content_length is not None and forwarded.content_length > limit:
            # Refused before a byte of it is read: the service never sees the request.
            await body_too_large(scope, limit)(scope, receive, send)
            return
        if forwarded.has_body and forwarded.content_length is None:
            # Chunked: counted as it streams; past the limit the upload to the service is
            # aborted (it sees a request cut short, as if the client had gone) and the client
            # gets a 413.
            receive = limited_receive(receive, limit)
        try:
            body = await _request_body(forwarded.content_length, forwarded.has_body, receive)
            response = await self.upstreams.session.request(
                scope["method"],
                _upstream_url(route, scope),
                # With tracing on, the service's span is a child of the gateway's.
                headers=propagated_headers(forwarded.headers),
                data=body,
                allow_redirects=False,
            )
        except ClientGone:
            return
        except BodyTooLarge:
            await body_too_large(scope, limit)(scope, receive, send)
            return
        except (aiohttp.ClientError, TimeoutError) as error:
            if isinstance(error.__cause__, ClientGone):
                return  # the client left mid-upload: nobody to answer
            if isinstance(error.__cause__, BodyTooLarge):
                await body_too_large(scope, limit)(scope, receive, send)
                return
            await self._failure(route, error, scope)(scope, receive, send)
            return
        try:
            await _relay(response, send, head=scope["method"] == "HEAD")
        finally:
            # Back to the pool when fully read; closed if the relay stopped half-way.
            response.release()

    def _failure(self, route: Route, error: BaseException, scope: Scope) -> Response:
        status, detail = _classify(route.service, error, self.read_timeout_s)
        log.warning(
            "service call failed",
            extra={
                "service": route.service,
                "status": status,
                "error": f"{type(error).__name__}: {error}",
            },
        )
        return problem_response(
            status=status,
            title={502: "Bad Gateway", 503: "Service Unavailable"}.get(status, "Gateway Timeout"),
            detail=detail,
            instance=scope["path"],
            extra={"service": route.service},
            language=request_language(scope),
        )


def _classify(service: str, error: BaseException, read_timeout_s: float) -> tuple[int, str]:
    # Connection timeouts are a kind of ServerTimeoutError: test for them first.
    if isinstance(error, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError):
        return 503, f"the {service} service is unavailable"
    if isinstance(error, TimeoutError):
        return 504, (
            f"the {service} service did not answer within {read_timeout_s:g} s. The request "
            "may or may not have been carried out: retry it with the same Idempotency-Key to "
            "get its outcome without doing it twice (without a key, read the current state "
            "before retrying)"
        )
    return 502, f"the {service} service failed to answer"


def _not_found(scope: Scope) -> Response:
    return problem_response(
        status=404,
        title="Not Found",
        detail=f"no service answers {scope['path']}",
        instance=scope["path"],
        language=request_language(scope),
    )


def _upstream_url(route: Route, scope: Scope) -> URL:
    # The client's path as it was sent (raw_path), so its percent-encoding survives unchanged.
    raw_path = scope.get("raw_path") or quote(scope["path"]).encode()
    target = route.origin + raw_path.decode("latin-1")
    if scope["query_string"]:
        target += "?" + scope["query_string"].decode("latin-1")
    return URL(target, encoded=True)


async def _request_body(
    length: int | None, has_body: bool, receive: Receive
) -> bytes | AsyncIterator[bytes] | None:
    if not has_body:
        return None
    if length is not None and length <= _WHOLE_BODY_MAX:
        return b"".join([chunk async for chunk in _body_chunks(receive)])
    return _body_chunks(receive)


async def _body_chunks(receive: Receive) -> AsyncIterator[bytes]:
    # Read as aiohttp writes: the server stops reading the socket while its buffer is full,
    # so at most a few chunks of a large upload are in memory at any time.
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        if chunk:
            yield chunk
        if not message.get("more_body", False):
            return


async def _relay(response: aiohttp.ClientResponse, send: Send, *, head: bool) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": response.status,
            "headers": response_headers(response.raw_headers),
        }
    )
    length = response.content_length
    if head or length == 0:
        await send({"type": "http.response.body", "body": b""})
    elif length is not None and length <= _WHOLE_BODY_MAX:
        await send({"type": "http.response.body", "body": await response.read()})
    else:
        async for chunk in response.content.iter_any():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
