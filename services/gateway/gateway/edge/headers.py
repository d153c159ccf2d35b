"""Which headers cross the gateway, in each direction."""

from collections.abc import Iterable
from dataclasses import dataclass

from starlette.types import Scope

# RFC 9110 §7.6.1: these describe one connection, so they stop at the gateway.
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
# Set afresh by the gateway: the service's Host, the request id the gateway assigned (so the
# gateway and the service log the same one) and the forwarding facts.
_REPLACED = frozenset(
    {b"host", b"x-request-id", b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host"}
)
# uvicorn already answers a client's "Expect: 100-continue"; passed on, it would make the
# service's connection wait a round trip before the body may flow.
_NOT_FORWARDED = HOP_BY_HOP | _REPLACED | {b"expect"}
# uvicorn adds its own Date and Server to every response; a client must not get two of each.
_NOT_RETURNED = HOP_BY_HOP | {b"date", b"server"}


@dataclass(slots=True)
class Forwarded:
    """The request headers for the service, and what they say about the body."""

    headers: list[tuple[str, str]]
    content_length: int | None
    has_body: bool


def request_headers(scope: Scope, *, request_id: str | None) -> Forwarded:
    """End-to-end headers of the client's request, plus X-Request-ID and X-Forwarded-*."""
    headers: list[tuple[str, str]] = []
    seen: dict[bytes, bytes] = {}
    content_length: int | None = None
    for name, value in scope["headers"]:  # ASGI servers give names in lower case
        if name in _NOT_FORWARDED:
            seen[name] = value
            continue
        if name == b"content-length":
            content_length = int(value)  # the server has validated it already
        headers.append((name.decode("latin-1"), value.decode("latin-1")))
    if b"connection" in seen:
        headers = _without_connection_options(headers, seen[b"connection"])
    headers += _forwarding(scope, seen, request_id)
    chunked = b"transfer-encoding" in seen
    return Forwarded(headers, content_length, chunked or bool(content_length))


def _forwarding(
    scope: Scope, seen: dict[bytes, bytes], request_id: str | None
) -> list[tuple[str, str]]:
    # The gateway is the services' trust boundary: it states the client as its server resolved
    # it (uvicorn honours a client's X-Forwarded-* only from --forwarded-allow-ips) instead of
    # passing on a chain anybody could have written.
    added = [("X-Forwarded-Proto", scope.get("scheme", "http"))]
    client = scope.get("client")
    if client:
        added.append(("X-Forwarded-For", client[0]))
    if b"host" in seen:
        added.append(("X-Forwarded-Host", seen[b"host"].decode("latin-1")))
    if request_id:
        added.append(("X-Request-ID", request_id))
    return added


def _without_connection_options(
    headers: list[tuple[str, str]], connection: bytes
) -> list[tuple[str, str]]:
    # Headers a client names in Connection are hop-by-hop too (RFC 9110 §7.6.1).
    named = {option.strip() for option in connection.decode("latin-1").lower().split(",")}
    return [(name, value) for name, value in headers if name.lower() not in named]


def response_headers(raw: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The service's response headers minus hop-by-hop ones and those uvicorn sets itself."""
    return [(name, value) for name, value in raw if name.lower() not in _NOT_RETURNED]
