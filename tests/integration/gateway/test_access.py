"""The gateway verifies the bearer token and enforces the role × route matrix before forwarding.

Every service URL points at the echo stub, so any request the gateway lets through is answered
200 with what reached the service; a refused one is the gateway's own 401 or 403 problem.
"""

import asyncio
import base64
import json
import time
from collections.abc import Iterator

import httpx
import jwt
import pytest
from gateway.edge.access import CODE_HOLDER, PUBLIC, ROLES, RULES, Rule, rule_for
from gateway.edge.routes import GATEWAY, RESOURCES

from shared.platform.auth import mint_token
from shared.platform.auth_settings import AuthSettings
from tests.integration.gateway.conftest import SECRET, Served, assert_problem, running_gateway
from tests.support import TEST_TOKEN_TTL_S

AUTH = AuthSettings(secret=SECRET)
CLAIMS = {
    "ministry": {},
    "regional_authority": {"region": "UZ-TO"},
    "institution": {"org": "org-institution"},
    "employer": {"org": "org-employer"},
    "operator": {},
}
TOKENS = {
    role: mint_token(AUTH, role=role, sub=f"matrix-{role}", ttl_s=TEST_TOKEN_TTL_S, **claims)
    for role, claims in CLAIMS.items()
}
LOCAL = tuple(f"/api/v1/{resource}" for resource in RESOURCES[GATEWAY])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def concrete(rule: Rule) -> str:
    return rule.path.replace("*", "id-7")


# The matrix sends hundreds of requests per role, and anonymous ones share the test's address:
# past the gateway's default rate limit (test_limits.py tests the limit itself).
UNTHROTTLED = {"rate_limit_per_s": "100000", "rate_limit_burst": "100000"}


@pytest.fixture(scope="module")
def open_gateway(data_dir, echo_service) -> Iterator[Served]:
    """Public scores on; every service is the echo."""
    with running_gateway(
        data_dir,
        registry_url=echo_service.url,
        assessment_url=echo_service.url,
        quality_url=echo_service.url,
        public_scores="true",
        **UNTHROTTLED,
    ) as served:
        yield served


@pytest.fixture(scope="module")
def closed_gateway(data_dir, echo_service) -> Iterator[Served]:
    """Public scores off (the default); every service is the echo."""
    with running_gateway(
        data_dir,
        registry_url=echo_service.url,
        assessment_url=echo_service.url,
        quality_url=echo_service.url,
        **UNTHROTTLED,
    ) as served:
        yield served


async def outcome(client: httpx.AsyncClient, rule: Rule, role: str, *, public: bool) -> str | None:
    """None when the gateway did what the matrix says for this role and route; else why not."""
    path = concrete(rule)
    sent = bearer(TOKENS[role]) if role != PUBLIC else {}
    body = {"json": {"probe": True}} if rule.method in ("POST", "PUT", "PATCH") else {}
    async with client.stream(rule.method, path, headers=sent, **body) as response:
        # Not an event stream's body (/api/v1/events): it never ends.
        streaming = response.headers.get("content-type", "").startswith("text/event-stream")
        text = "" if streaming else (await response.aread()).decode()
    case = f"{role} {rule.method} {path}: {response.status_code} {text[:200]}"
    if "x-request-id" not in response.headers:
        return f"{case} (no X-Request-ID)"
    # No token: a public route where public scores are on, a code holder's route always.
    anonymous_allowed = CODE_HOLDER in rule.roles or (PUBLIC in rule.roles and public)
    allowed = anonymous_allowed if role == PUBLIC else role in rule.roles
    if not allowed:
        status = 401 if role == PUBLIC else 403
        if response.status_code != status or json.loads(text).get("title") is None:
            return case
        if role != PUBLIC and f"the role {role} may not call {rule.method} {rule.path}" not in text:
            return case
        return None
    if path.startswith(LOCAL):
        # The gateway's own routes: past the gateway's check, whatever the route answers.
        refused = response.status_code == 401 or "may not call" in text
        return case if refused else None
    if response.status_code != 200:
        return case
    seen = json.loads(text)
    received = {name.lower(): value for name, value in seen["headers"]}
    if seen["target"] != path or received.get("authorization") != sent.get("Authorization"):
        return f"{case} (the service saw {seen['target']}, {received.get('authorization')})"
    return None


async def run_matrix(gateway: Served, cases: list[tuple[Rule, str]], *, public: bool) -> list[str]:
    limit = asyncio.Semaphore(16)

    async def one(client: httpx.AsyncClient, rule: Rule, role: str) -> str | None:
        async with limit:
            return await outcome(client, rule, role, public=public)

    async with httpx.AsyncClient(base_url=gateway.url, timeout=10) as client:
        results = await asyncio.gather(*(one(client, rule, role) for rule, role in cases))
    return [result for result in results if result is not None]


def test_each_rules_concrete_path_is_matched_by_that_rule_itself():
    assert [rule for rule in RULES if rule_for(rule.method, concrete(rule)) is not rule] == []


async def test_every_role_reaches_the_routes_the_matrix_grants_it_and_gets_403_on_the_others(
    open_gateway,
):
    cases = [(rule, role) for rule in RULES for role in (*ROLES, PUBLIC)]
    assert await run_matrix(open_gateway, cases, public=True) == []


async def test_with_public_scores_off_the_public_routes_need_a_token_and_work_with_one(
    closed_gateway,
):
    public = [rule for rule in RULES if PUBLIC in rule.roles]
    assert len(public) >= 5
    cases = [(rule, role) for rule in public for role in (PUBLIC, "ministry", "employer")]
    assert await run_matrix(closed_gateway, cases, public=False) == []


async def test_a_code_holders_route_needs_no_token_even_with_public_scores_off(closed_gateway):
    holders = [rule for rule in RULES if CODE_HOLDER in rule.roles]
    assert [r.path for r in holders] == [
        "/api/v1/employments/confirmations",
        "/api/v1/reminders/unsubscribe",
    ]
    cases = [(rule, role) for rule in holders for role in (PUBLIC, "employer", "operator")]
    assert await run_matrix(closed_gateway, cases, public=False) == []


async def test_an_anonymous_call_is_refused_like_the_services_refuse_it(closed_gateway):
    async with httpx.AsyncClient(base_url=closed_gateway.url) as client:
        response = await client.get("/api/v1/quality/scores?scope=region")
    assert_problem(response, 401, mentioning="a bearer token is required")
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["instance"] == "/api/v1/quality/scores"


def segment(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def claims(**changes) -> dict:
    now = int(time.time())
    base = {
        "sub": "tamperer",
        "role": "ministry",
        "iat": now,
        "exp": now + 600,
        "iss": AUTH.issuer,
        "aud": AUTH.audience,
    }
    return {key: value for key, value in (base | changes).items() if value is not None}


def signed(algorithm: str = "HS256", secret: str = SECRET, **changes) -> str:
    return jwt.encode(claims(**changes), secret, algorithm=algorithm)


def tampered_tokens() -> dict[str, str]:
    now = int(time.time())
    employer = mint_token(AUTH, role="employer", org="org-employer", sub="tamperer")
    header, _payload, signature = employer.split(".")
    promoted = segment(claims(role="ministry"))
    return {
        "alg none": f"{segment({'alg': 'none', 'typ': 'JWT'})}.{segment(claims())}.",
        "alg none, no signature part": f"{segment({'alg': 'none'})}.{segment(claims())}",
        "HS256 with a wrong key": signed(secret="not-the-gateways-secret-0123456789"),
        "payload changed, old signature": f"{header}.{promoted}.{signature}",
        "expired": signed(exp=now - 120, iat=now - 720),  # beyond the 30 s leeway
        "not yet valid (nbf)": signed(nbf=now + 600),
        "wrong audience": signed(aud="someone-else"),
        "wrong issuer": signed(iss="https://elsewhere.example"),
        "algorithm not allowed (HS512)": signed(algorithm="HS512", secret=SECRET * 2),
        "no exp": signed(exp=None),
        "unknown role": signed(role="root"),
        "employer without org": signed(role="employer"),
        "not a JWT": "abc.def.ghi",
    }


async def test_tampered_expired_premature_or_misaddressed_tokens_are_401_and_never_forwarded(
    open_gateway,
):
    routes = ("/api/v1/regions", "/api/v1/quality/scores")  # a public one too: no fallback
    async with httpx.AsyncClient(base_url=open_gateway.url) as client:
        # A valid token first, so a cache of verified tokens is in play.
        assert (await client.get(routes[0], headers=bearer(TOKENS["ministry"]))).status_code == 200
        answers = {
            (name, route): await client.get(route, headers=bearer(token))
            for name, token in tampered_tokens().items()
            for route in routes
        }
    wrong = {
        case: (response.status_code, response.text[:120])
        for case, response in answers.items()
        if response.status_code != 401
        or "invalid token" not in response.json().get("detail", "")
        or response.headers.get("www-authenticate") != "Bearer"
    }
    assert wrong == {}


async def test_a_request_the_gateway_refuses_still_gets_a_request_id_the_callers_own(
    open_gateway,
):
    async with httpx.AsyncClient(base_url=open_gateway.url) as client:
        unauthenticated = await client.get("/api/v1/regions", headers={"X-Request-ID": "trace-401"})
        forbidden = await client.put(
            "/api/v1/regions/UZ-TO",
            json={},
            headers=bearer(TOKENS["employer"]) | {"X-Request-ID": "trace-403"},
        )
    assert_problem(unauthenticated, 401, mentioning="bearer token")
    problem = assert_problem(forbidden, 403, mentioning="the role employer may not call PUT")
    assert problem["role"] == "employer" and problem["route"] == "PUT /api/v1/regions/*"
    assert unauthenticated.headers["x-request-id"] == "trace-401"
    assert forbidden.headers["x-request-id"] == "trace-403"


async def test_without_configured_origins_there_are_no_cors_headers(open_gateway):
    async with httpx.AsyncClient(base_url=open_gateway.url) as client:
        preflight = await client.options(
            "/api/v1/regions",
            headers={"Origin": "https://x.example", "Access-Control-Request-Method": "GET"},
        )
        read = await client.get(
            "/api/v1/regions", headers=bearer(TOKENS["ministry"]) | {"Origin": "https://x.example"}
        )
    assert preflight.status_code == 405  # no route lists OPTIONS: the gateway answers alone
    assert read.status_code == 200
    for response in (preflight, read):
        assert not any(name.startswith("access-control-") for name in response.headers)


async def test_a_method_or_path_the_matrix_does_not_list_is_answered_by_the_gateway_alone(
    open_gateway,
):
    ministry = bearer(TOKENS["ministry"])
    async with httpx.AsyncClient(base_url=open_gateway.url) as client:
        deleted = await client.delete("/api/v1/regions/UZ-TO", headers=ministry)
        posted = await client.post("/api/v1/quality/alerts", json={}, headers=ministry)
        traced = await client.request("TRACE", "/api/v1/organizations")
        unknown = await client.get("/api/v1/quality/ping", headers=ministry)
        deeper = await client.get("/api/v1/regions/UZ-TO/secrets", headers=ministry)
    # The echo service answers anything 200: a problem here was never forwarded.
    assert_problem(deleted, 405, mentioning="DELETE is not allowed on /api/v1/regions/UZ-TO")
    assert deleted.headers["allow"] == "GET, HEAD, PUT"
    assert_problem(posted, 405, mentioning="POST is not allowed")
    assert posted.headers["allow"] == "GET, HEAD"
    assert_problem(traced, 405, mentioning="TRACE is not allowed")
    assert_problem(unknown, 404, mentioning="/api/v1/quality/ping")
    assert_problem(deeper, 404, mentioning="/api/v1/regions/UZ-TO/secrets")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/quality/alerts"),
        ("GET", "/api/v1/quality/alerts/"),
        ("GET", "/api/v1/quality/alerts?scope=region&scope_id=UZ-TO"),
        ("HEAD", "/api/v1/quality/alerts"),
    ],
)
async def test_alerts_need_a_role_even_where_scores_are_public(open_gateway, method, path):
    async with httpx.AsyncClient(base_url=open_gateway.url) as client:
        anonymous = await client.request(method, path)
        with_role = await client.get(path, headers=bearer(TOKENS["employer"]))
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    assert with_role.status_code == 200  # what the echo service answers


async def test_every_gateway_answer_says_nosniff_forwarded_refused_or_unknown(open_gateway):
    async with httpx.AsyncClient(base_url=open_gateway.url) as client:
        answers = [
            await client.get("/api/v1/regions", headers=bearer(TOKENS["ministry"])),
            await client.get("/api/v1/regions"),
            await client.put("/api/v1/regions/UZ-TO", json={}, headers=bearer(TOKENS["employer"])),
            await client.get("/api/v1/nothing-here/1"),
            await client.get("/api/v1/quality/ping", headers=bearer(TOKENS["ministry"])),
            await client.get("/healthz"),
            await client.get("/"),
        ]
    assert [a.status_code for a in answers] == [200, 401, 403, 404, 404, 200, 200]
    assert [a.headers.get("x-content-type-options") for a in answers] == ["nosniff"] * 7
    # A proxied answer carries one, not the service's and the gateway's.
    assert answers[0].headers.get_list("x-content-type-options") == ["nosniff"]
