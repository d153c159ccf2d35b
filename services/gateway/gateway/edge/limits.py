"""What the gateway limits and adds around the API: request rates, body sizes, CORS, headers.

- Rates: a token bucket per client (the token's principal, or the address for anonymous calls and
  refused tokens; behind a trusted proxy, the address it forwarded); over it, 429 with Retry-After.
- Bodies: a declared Content-Length over the limit is refused (413) before anything is read or
  forwarded; a body of unknown length (chunked) is counted as it streams and cut off with 413.
- CORS: Starlette's middleware, installed only when origins are configured, outside the proxy,
  so preflights and the gateway's own refusals carry the CORS headers too.
- Security headers on the gateway's own pages (everything outside /api/), where HTML is served.
"""

import ipaddress
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.platform.auth import Identity
from shared.platform.web.problem_texts import request_language
from shared.platform.web.problems import problem_response

# Clients remembered at once; the least recently seen is forgotten first (its bucket had the
# most time to refill, so forgetting it costs the least accuracy).
_MAX_CLIENTS = 100_000

Networks = tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]


class RateLimiter:
    """Token buckets: ``burst`` requests at once per client, refilled at ``rate_per_s``."""

    def __init__(
        self,
        *,
        rate_per_s: float,
        burst: int,
        max_clients: int = _MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
        trusted: Networks = (),
    ) -> None:
        self.rate_per_s = rate_per_s
        # Proxies whose X-Forwarded-For names the client (client_key).
        self.trusted = trusted
        self.burst = float(burst)
        self.max_clients = max_clients
        self._clock = clock
        self._buckets: OrderedDict[str, list[float]] = OrderedDict()  # key → [tokens, at]

    def wait_s(self, key: str) -> float:
        """0 when the client may make this request now (it is counted); else seconds to wait."""
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            self._buckets[key] = [self.burst - 1.0, now]
            if len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            return 0.0
        self._buckets.move_to_end(key)
        tokens = min(self.burst, bucket[0] + (now - bucket[1]) * self.rate_per_s)
        bucket[1] = now
        if tokens >= 1.0:
            bucket[0] = tokens - 1.0
            return 0.0
        bucket[0] = tokens
        return (1.0 - tokens) / self.rate_per_s


class Unlimited(RateLimiter):
    """No rate limit (``rate_limit_per_s`` = 0)."""

    def __init__(self) -> None:
        super().__init__(rate_per_s=0.0, burst=1)

    def wait_s(self, key: str) -> float:
        return 0.0


def rate_limiter(
    *, rate_per_s: float, burst: int, trusted_proxies: Iterable[str] = ()
) -> RateLimiter:
    if rate_per_s <= 0:
        return Unlimited()
    return RateLimiter(
        rate_per_s=rate_per_s, burst=burst, trusted=trusted_networks(trusted_proxies)
    )


def trusted_networks(proxies: Iterable[str]) -> Networks:
    """The proxies (addresses or CIDRs) whose X-Forwarded-For the gateway believes."""
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def client_key(scope: Scope, identity: Identity | None, *, trusted: Networks = ()) -> str:
    """Whose bucket a request draws on: the token's principal (issuer, subject, role,
    organization and region), else the client's address (``client_address``)."""
    if identity is not None:
        return "principal:" + identity.principal
    return "ip:" + client_address(scope, trusted)


def client_address(scope: Scope, trusted: Networks) -> str:
    """The peer's address; when the peer is a trusted proxy, the right-most X-Forwarded-For
    address that is not one: everything left of it may be written by the client itself."""
    client = scope.get("client")
    address = client[0] if client else "unknown"
    if not _is_trusted(address, trusted):
        return address
    forwarded = [
        hop.strip()
        for name, value in scope.get("headers", ())
        if name == b"x-forwarded-for"
        for hop in value.decode("latin-1").split(",")
    ]
    for hop in reversed(forwarded):
        if not hop:
            continue
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return address  # not an address: the chain cannot be followed further
        address = hop
        if not _is_trusted(hop, trusted):
            break
    return address


def _is_trusted(address: str, trusted: Networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def too_many_requests(scope: Scope, wait_s: float) -> Response:
    retry_after = max(1, math.ceil(wait_s))
    return problem_response(
        status=429,
        title="Too Many Requests",
        detail=f"too many requests from this client; retry in {retry_after} s",
        headers={"Retry-After": str(retry_after)},
        instance=scope["path"],
        language=request_language(scope),
    )


class BodyTooLarge(HTTPException):
    """A request body grew past the limit while it was read.

    An HTTPException, so the gateway's own FastAPI routes answer it with a 413 problem as well
    (FastAPI passes HTTPExceptions raised while reading a body on instead of turning them into
    400s).
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, detail=_too_large_detail(limit))


def body_too_large(scope: Scope, limit: int) -> Response:
    return problem_response(
        status=413,
        title="Content Too Large",
        detail=_too_large_detail(limit),
        instance=scope["path"],
        extra={"max_body_bytes": limit},
        language=request_language(scope),
    )


def _too_large_detail(limit: int) -> str:
    return f"the request body is larger than the gateway accepts ({limit:,} bytes)"


def content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value)  # the server has validated it already
    return None


def limited_receive(receive: Receive, limit: int) -> Receive:
    """``receive``, raising BodyTooLarge once the body read so far exceeds ``limit`` bytes."""
    seen = 0

    async def receive_within_limit() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return receive_within_limit


# Headers a browser should let a page on another origin send and read.
CORS_ALLOWED_HEADERS = (
    "Authorization",
    "Content-Type",
    "Idempotency-Key",
    "Last-Event-ID",
    "X-Request-ID",
)
CORS_EXPOSED_HEADERS = ("X-Request-ID", "Retry-After", "Location", "ETag")


def cors(origins: list[str]) -> list[Middleware]:
    """The CORS layer for these origins (``*`` for any), or none when the list is empty.

    Bearer tokens, not cookies, so no credentials mode: a page must send Authorization itself.
    """
    if not origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"),
            allow_headers=CORS_ALLOWED_HEADERS,
            expose_headers=CORS_EXPOSED_HEADERS,
            max_age=600,
        )
    ]


# 'self' only: the dashboard ships its scripts and styles as files (no inline code, no CDN).
PAGE_POLICY = "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
# FastAPI's /docs and /redoc load Swagger UI and ReDoc from a CDN and start them inline.
DOCS_POLICY = (
    "default-src 'self'; base-uri 'self'; frame-ancestors 'none'; "
    "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src 'self' https://fonts.gstatic.com; img-src 'self' data: https:; "
    "worker-src 'self' blob:"
)
_DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})


def _security_headers(policy: str) -> tuple[tuple[bytes, bytes], ...]:
    return (
        (b"content-security-policy", policy.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
    )


_PAGE_HEADERS = _security_headers(PAGE_POLICY)
_DOCS_HEADERS = _security_headers(DOCS_POLICY)


class SecurityHeadersMiddleware:
    """CSP, nosniff, no referrer and no framing on every response outside /api/.

    Inside the proxy, so proxied API traffic never passes through it. A header the response
    already has (a page with its own policy) is left as it is.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        added = _DOCS_HEADERS if scope["path"] in _DOCS_PATHS else _PAGE_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers += [header for header in added if header[0] not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
