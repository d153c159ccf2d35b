"""The gateway's rate buckets, body counting, CORS settings and security headers."""

import pytest
from gateway.config import GatewaySettings
from gateway.edge.limits import (
    BodyTooLarge,
    RateLimiter,
    SecurityHeadersMiddleware,
    client_key,
    limited_receive,
    rate_limiter,
    too_many_requests,
)

from shared.platform.auth import Identity


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_gets_its_burst_at_once_then_one_request_per_refill_interval():
    clock = Clock()
    limiter = RateLimiter(rate_per_s=2, burst=3, clock=clock)
    assert [limiter.wait_s("a") for _ in range(3)] == [0, 0, 0]
    assert limiter.wait_s("a") == pytest.approx(0.5)
    clock.now += 0.5
    assert limiter.wait_s("a") == 0
    assert limiter.wait_s("a") == pytest.approx(0.5)
    clock.now += 10  # refilled, but never beyond the burst
    assert [limiter.wait_s("a") for _ in range(4)][-1] == pytest.approx(0.5)


def test_one_clients_empty_bucket_does_not_limit_another():
    limiter = RateLimiter(rate_per_s=1, burst=1, clock=Clock())
    assert limiter.wait_s("sub:a") == 0
    assert limiter.wait_s("sub:a") > 0
    assert limiter.wait_s("sub:b") == 0


def test_the_least_recently_seen_client_is_forgotten_beyond_the_bound():
    limiter = RateLimiter(rate_per_s=1, burst=1, max_clients=2, clock=Clock())
    for key in ("a", "b", "c"):
        limiter.wait_s(key)
    assert limiter.wait_s("a") == 0  # forgotten, so a fresh bucket
    assert limiter.wait_s("c") > 0


def test_a_rate_of_zero_is_no_limit():
    limiter = rate_limiter(rate_per_s=0, burst=1)
    assert all(limiter.wait_s("a") == 0 for _ in range(1000))


def test_retry_after_is_whole_seconds_rounded_up_and_at_least_one():
    request = {"path": "/api/v1/regions"}
    assert too_many_requests(request, 0.2).headers["retry-after"] == "1"
    assert too_many_requests(request, 2.01).headers["retry-after"] == "3"


def test_a_token_holder_is_counted_by_principal_and_anyone_else_by_address():
    request = {"client": ("10.0.0.7", 5555)}
    ministry = Identity(sub="u1", role="ministry", iss="educluster")
    assert client_key(request, ministry) == "principal:" + ministry.principal
    assert client_key(request, None) == "ip:10.0.0.7"
    # Found: buckets were keyed by sub alone, so two authorities sharing a subject (or one
    # from another issuer) drew on one bucket.
    south = Identity(sub="u1", role="regional_authority", region="UZ-SA", iss="educluster")
    north = Identity(sub="u1", role="regional_authority", region="UZ-NW", iss="educluster")
    assert client_key(request, south) != client_key(request, north)


async def test_a_body_is_counted_as_it_arrives_and_refused_once_past_the_limit():
    messages = iter(
        [{"type": "http.request", "body": b"x" * 6, "more_body": True}]
        + [{"type": "http.request", "body": b"x" * 5, "more_body": True}]
    )

    async def receive():
        return next(messages)

    receive_within = limited_receive(receive, 10)
    assert (await receive_within())["body"] == b"x" * 6
    with pytest.raises(BodyTooLarge) as refused:
        await receive_within()
    assert refused.value.status_code == 413


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://a.example, https://b.example", ["https://a.example", "https://b.example"]),
        ('["https://a.example"]', ["https://a.example"]),
        ("*", ["*"]),
        ("", []),
    ],
)
def test_cors_origins_are_read_from_a_comma_separated_or_json_environment_value(
    monkeypatch, raw, expected
):
    monkeypatch.setenv("EDUCLUSTER_GATEWAY_CORS_ORIGINS", raw)
    assert GatewaySettings().cors_origins == expected


async def headers_of(path: str, own: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": own})
        await send({"type": "http.response.body", "body": b""})

    sent = []

    async def send(message):
        sent.append(message)

    await SecurityHeadersMiddleware(app)({"type": "http", "path": path}, None, send)
    return sent[0]["headers"]


async def test_pages_outside_the_api_get_the_security_headers_and_keep_their_own():
    sent = await headers_of("/", [(b"x-content-type-options", b"nosniff")])
    page = dict(sent)
    assert page[b"content-security-policy"].startswith(b"default-src 'self'")
    assert page[b"x-frame-options"] == b"DENY"
    assert page[b"referrer-policy"] == b"no-referrer"
    assert [name for name, _ in sent].count(b"x-content-type-options") == 1
    own_policy = await headers_of("/", [(b"content-security-policy", b"default-src 'none'")])
    assert [v for n, v in own_policy if n == b"content-security-policy"] == [b"default-src 'none'"]


async def test_api_responses_pass_without_security_headers_and_docs_may_load_their_cdn():
    assert await headers_of("/api/v1/events", []) == []
    docs = dict(await headers_of("/docs", []))
    assert b"https://cdn.jsdelivr.net" in docs[b"content-security-policy"]


def test_the_gateway_limits_every_clients_rate_unless_told_otherwise(monkeypatch):
    # Found: the default was 0 (no limit), so any deployment that forgot the setting let one
    # client send as much as it liked.
    for name in ("EDUCLUSTER_GATEWAY_RATE_LIMIT_PER_S", "EDUCLUSTER_GATEWAY_RATE_LIMIT_BURST"):
        monkeypatch.delenv(name, raising=False)
    settings = GatewaySettings()
    assert (settings.rate_limit_per_s, settings.rate_limit_burst) == (20.0, 40)
    limiter = rate_limiter(rate_per_s=settings.rate_limit_per_s, burst=settings.rate_limit_burst)
    assert [limiter.wait_s("a") for _ in range(40)] == [0] * 40
    assert limiter.wait_s("a") > 0
