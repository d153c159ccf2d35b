"""Rate and body limits, CORS, security headers and request ids on what the gateway answers."""

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from shared.platform.auth import mint_token
from shared.platform.auth_settings import AuthSettings
from tests.integration.gateway.conftest import SECRET, Served, assert_problem, running_gateway
from tests.integration.gateway.stubs import StubServer, echo

AUTH = AuthSettings(secret=SECRET)
RATE_PER_S, BURST = 1, 5
MAX_BODY = 1024 * 1024
ORIGIN = "https://dashboard.example"


def bearer(sub: str, role: str = "ministry", **claims: str) -> dict[str, str]:
    """A token of its own subject per test, so each test draws on its own rate bucket."""
    return {"Authorization": "Bearer " + mint_token(AUTH, role=role, sub=sub, **claims)}


class Counting:
    """The echo stub, counting the requests that reach it (it closes each connection)."""

    def __init__(self) -> None:
        self.requests = 0

    async def __call__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.requests += 1
        await echo(reader, writer)


@pytest.fixture(scope="module")
def counting_echo() -> Iterator[tuple[StubServer, Counting]]:
    handler = Counting()
    with StubServer(handler) as server:
        yield server, handler


@pytest.fixture(scope="module")
def gateway(data_dir, counting_echo) -> Iterator[Served]:
    server, _ = counting_echo
    with running_gateway(
        data_dir,
        registry_url=server.url,
        assessment_url=server.url,
        quality_url=server.url,
        rate_limit_per_s=str(RATE_PER_S),
        rate_limit_burst=str(BURST),
        max_body_bytes=str(MAX_BODY),
        cors_origins=ORIGIN,
    ) as served:
        yield served


def from_address(address: str) -> httpx.AsyncHTTPTransport:
    """Connections from another loopback address: another client, as the gateway sees it."""
    return httpx.AsyncHTTPTransport(local_address=address)


async def test_a_client_past_its_burst_gets_429_with_retry_after_while_another_is_not_limited(
    gateway,
):
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        burst = [
            await client.get("/api/v1/regions", headers=bearer("rate-a")) for _ in range(BURST)
        ]
        limited = await client.get("/api/v1/regions", headers=bearer("rate-a"))
        other = await client.get("/api/v1/regions", headers=bearer("rate-b"))
    assert [r.status_code for r in burst] == [200] * BURST
    assert_problem(limited, 429, mentioning="too many requests")
    assert int(limited.headers["retry-after"]) >= 1
    assert other.status_code == 200


async def test_anonymous_callers_are_limited_by_address_and_refusals_count_too(gateway):
    async with httpx.AsyncClient(base_url=gateway.url, transport=from_address("127.0.0.7")) as a:
        refused = [await a.get("/api/v1/quality/alerts") for _ in range(BURST)]
        limited = await a.get("/api/v1/quality/alerts")
    async with httpx.AsyncClient(base_url=gateway.url, transport=from_address("127.0.0.8")) as b:
        elsewhere = await b.get("/api/v1/quality/alerts")
    assert [r.status_code for r in refused] == [401] * BURST
    assert limited.status_code == 429
    assert elsewhere.status_code == 401


async def test_the_bucket_refills_at_the_configured_rate(gateway):
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        for _ in range(BURST):
            await client.get("/api/v1/regions", headers=bearer("rate-refill"))
        limited = await client.get("/api/v1/regions", headers=bearer("rate-refill"))
        await asyncio.sleep(int(limited.headers["retry-after"]))
        again = await client.get("/api/v1/regions", headers=bearer("rate-refill"))
    assert (limited.status_code, again.status_code) == (429, 200)


async def test_a_declared_length_over_the_limit_is_413_and_the_service_never_sees_the_request(
    gateway, counting_echo
):
    _, service = counting_echo
    before = service.requests
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as client:
        refused = await client.post(
            "/api/v1/graduates/import",
            content=b"x" * (MAX_BODY + 1),
            headers=bearer("body-a") | {"Content-Type": "text/csv"},
        )
        # The connection is still good for the next request.
        within = await client.post(
            "/api/v1/graduates/import",
            content=b"y" * MAX_BODY,
            headers=bearer("body-a") | {"Content-Type": "text/csv"},
        )
    problem = assert_problem(refused, 413, mentioning="larger than the gateway accepts")
    assert problem["max_body_bytes"] == MAX_BODY
    assert within.status_code == 200 and within.json()["body_bytes"] == MAX_BODY
    assert service.requests == before + 1  # only the second one


async def pieces(total: int, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    while total > 0:
        yield b"z" * min(size, total)
        total -= size


async def test_a_body_of_unknown_length_is_counted_as_it_streams_and_cut_off_with_413(gateway):
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as client:
        refused = await client.post(
            "/api/v1/graduates/import",
            content=pieces(3 * MAX_BODY),  # chunked: the gateway cannot know the length
            headers=bearer("body-b") | {"Content-Type": "text/csv"},
        )
        within = await client.post(
            "/api/v1/graduates/import",
            content=pieces(MAX_BODY),
            headers=bearer("body-b") | {"Content-Type": "text/csv"},
        )
    assert_problem(refused, 413, mentioning="larger than the gateway accepts")
    assert within.status_code == 200 and within.json()["body_bytes"] == MAX_BODY


async def test_the_gateways_own_routes_have_the_same_body_limit(gateway):
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as client:
        declared = await client.post(
            "/api/v1/subscriptions", content=b"{" * (MAX_BODY + 1), headers=bearer("body-c")
        )
        streamed = await client.post(
            "/api/v1/subscriptions", content=pieces(2 * MAX_BODY), headers=bearer("body-c")
        )
    assert_problem(declared, 413, mentioning="larger than the gateway accepts")
    assert_problem(streamed, 413, mentioning="larger than the gateway accepts")


async def test_a_preflight_from_a_configured_origin_is_answered_without_a_token(gateway):
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        allowed = await client.options(
            "/api/v1/assessments",
            headers={
                "Origin": ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
            },
        )
        stranger = await client.options(
            "/api/v1/assessments",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in allowed.headers["access-control-allow-methods"]
    requested = {"authorization", "content-type", "idempotency-key"}
    allowed_headers = allowed.headers["access-control-allow-headers"].lower()
    assert requested <= {header.strip() for header in allowed_headers.split(",")}
    assert "x-request-id" in allowed.headers
    assert stranger.status_code == 400
    assert "access-control-allow-origin" not in stranger.headers


async def test_answers_and_refusals_carry_cors_headers_for_a_configured_origin_only(gateway):
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        read = await client.get("/api/v1/regions", headers=bearer("cors-a") | {"Origin": ORIGIN})
        refused = await client.get("/api/v1/regions", headers={"Origin": ORIGIN})
        stranger = await client.get(
            "/api/v1/regions", headers=bearer("cors-a") | {"Origin": "https://evil.example"}
        )
    assert (read.status_code, refused.status_code, stranger.status_code) == (200, 401, 200)
    for response in (read, refused):
        assert response.headers["access-control-allow-origin"] == ORIGIN
        exposed = response.headers["access-control-expose-headers"].lower()
        assert "x-request-id" in exposed and "retry-after" in exposed
    assert "access-control-allow-origin" not in stranger.headers


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


async def test_the_gateways_own_pages_carry_security_headers_and_api_answers_do_not(gateway):
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        page = await client.get("/")
        health = await client.get("/healthz")
        missing = await client.get("/no-such-page")
        docs = await client.get("/docs")
        api = await client.get("/api/v1/regions", headers=bearer("headers-a"))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert docs.headers["content-type"].startswith("text/html")
    for response in (page, health, missing, docs):
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        assert {name: response.headers.get(name) for name in SECURITY_HEADERS} == SECURITY_HEADERS
    for response in (health, missing):
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "https:" not in policy
    assert api.status_code == 200
    assert "content-security-policy" not in api.headers


async def test_every_refusal_of_the_gateway_carries_a_request_id(gateway):
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as client:
        employer = bearer("ids-employer", role="employer", org="org-1")
        answers = {
            401: await client.get("/api/v1/regions"),
            403: await client.put("/api/v1/regions/UZ-TO", json={}, headers=employer),
            413: await client.post(
                "/api/v1/graduates/import",
                content=b"x" * (MAX_BODY + 1),
                headers=bearer("ids-body"),
            ),
        }
        for _ in range(BURST):
            await client.get("/api/v1/regions", headers=bearer("ids-rate"))
        answers[429] = await client.get(
            "/api/v1/regions", headers=bearer("ids-rate") | {"X-Request-ID": "trace-429"}
        )
    assert {status: r.status_code for status, r in answers.items()} == {
        401: 401,
        403: 403,
        413: 413,
        429: 429,
    }
    assigned = [answers[status].headers["x-request-id"] for status in (401, 403, 413)]
    assert all(len(request_id) >= 16 for request_id in assigned)
    assert answers[429].headers["x-request-id"] == "trace-429"  # the caller's own
