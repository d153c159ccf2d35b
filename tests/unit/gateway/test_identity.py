"""The gateway's token cache, its indexed access matrix and its 401/403 decisions."""

import time

import pytest
from gateway.edge.access import RULES, rule_for
from gateway.edge.identity import Access, AccessIndex, CachingTokenVerifier, TokenCache

from shared.platform.auth import Identity, TokenVerifier, mint_token
from shared.platform.auth_settings import AuthSettings, OidcSettings
from shared.platform.errors import Unauthenticated
from shared.platform.web.problems import domain_status

SETTINGS = AuthSettings(secret="unit-test-secret-0123456789abcdefghij")
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def concrete(template: str, filler: str = "id-7") -> str:
    return template.replace("*", filler)


def paths_to_try() -> set[str]:
    paths = set()
    for rule in RULES:
        for filler in ("id-7", "summary", "import", "bulk", "x"):
            path = concrete(rule.path, filler)
            paths |= {path, path + "/", path + "/extra", path + "/extra/more"}
    return paths | {
        "/api/v1/quality/ping",
        "/api/v1/nothing-here/1",
        "/api/v1/",
        "/api/v1",
        "/",
        "/api/v1/quality//scores",
        "/api/v1/regionsx",
        "/healthz",
    }


def test_the_indexed_matrix_picks_the_same_rule_as_access_rule_for_everywhere():
    index = AccessIndex()
    differing = [
        (method, path)
        for method in METHODS
        for path in sorted(paths_to_try())
        if index.rule_for(method, path) is not rule_for(method, path)
    ]
    assert differing == []


def test_every_rule_is_reached_by_its_own_template_with_an_id_in_place_of_each_star():
    index = AccessIndex()
    assert [r for r in RULES if index.rule_for(r.method, concrete(r.path)) is not r] == []


class CountingVerifier(TokenVerifier):
    """The real verifier, counting the tokens it actually verifies."""

    def __init__(self, settings: AuthSettings, oidc: OidcSettings | None = None) -> None:
        super().__init__(settings, oidc)
        self.verified = 0

    def verify(self, token: str) -> Identity:
        self.verified += 1
        return super().verify(token)


class CountingCachingVerifier(CachingTokenVerifier, CountingVerifier):
    pass


def test_a_verified_token_is_served_from_the_cache_until_its_exp_then_verified_again():
    now = [time.time()]
    verifier = CountingCachingVerifier(SETTINGS, cache_size=10, clock=lambda: now[0])
    token = mint_token(SETTINGS, role="employer", org="org-1", sub="u1", ttl_s=600)
    first = verifier.verify(token)
    again = verifier.verify(token)
    assert first == again == Identity(sub="u1", role="employer", org="org-1", iss="educluster")
    assert verifier.verified == 1
    now[0] += 601  # past exp: the entry is gone (the token itself is still valid in real time)
    verifier.verify(token)
    assert verifier.verified == 2


async def test_identify_takes_the_raw_header_bytes_and_shares_the_cache_with_verify():
    verifier = CountingCachingVerifier(SETTINGS, cache_size=10)
    token = mint_token(SETTINGS, role="ministry", sub="m1")
    assert (await verifier.identify(token.encode())).role == "ministry"
    assert verifier.verify(token).sub == "m1"
    assert verifier.verified == 1


def test_a_token_past_its_exp_but_within_the_leeway_is_accepted_and_not_cached():
    verifier = CachingTokenVerifier(SETTINGS, cache_size=10)
    token = mint_token(SETTINGS, role="ministry", ttl_s=-5)  # leeway is 30 s
    assert verifier.verify(token).role == "ministry"
    assert len(verifier.cache) == 0


def test_an_invalid_token_is_refused_and_not_cached():
    verifier = CachingTokenVerifier(SETTINGS, cache_size=10)
    other = AuthSettings(secret="another-secret-0123456789abcdefghijkl")
    with pytest.raises(Unauthenticated) as refused:
        verifier.verify(mint_token(other, role="ministry"))
    assert domain_status(refused.value) == 401
    assert len(verifier.cache) == 0


def test_the_cache_forgets_the_least_recently_used_token_beyond_its_size():
    cache = TokenCache(2)
    who = {name: Identity(sub=name, role="ministry") for name in "abc"}
    cache.put(b"a", who["a"], expires_at=100, now=0)
    cache.put(b"b", who["b"], expires_at=100, now=0)
    assert cache.get(b"a", now=1) == who["a"]  # b is now the least recently used
    cache.put(b"c", who["c"], expires_at=100, now=1)
    assert [cache.get(key, now=2) for key in (b"a", b"b", b"c")] == [who["a"], None, who["c"]]


def test_a_cache_of_size_zero_keeps_nothing():
    cache = TokenCache(0)
    cache.put(b"a", Identity(sub="a", role="ministry"), expires_at=100, now=0)
    assert len(cache) == 0


def scope(method: str, path: str, authorization: bytes | None = None) -> dict:
    headers = [(b"host", b"gateway")]
    if authorization is not None:
        headers.append((b"authorization", authorization))
    return {"type": "http", "method": method, "path": path, "headers": headers}


def access(*, public_scores: bool) -> Access:
    return Access(CachingTokenVerifier(SETTINGS, cache_size=10), public_scores=public_scores)


async def decide(gate: Access, request: dict):
    return gate.authorize(request, await gate.authenticate(request))


@pytest.mark.parametrize("public_scores", [True, False])
async def test_without_a_token_only_public_routes_pass_and_only_when_public_scores_are_on(
    public_scores,
):
    gate = access(public_scores=public_scores)
    public = await decide(gate, scope("GET", "/api/v1/quality/scores"))
    private = await decide(gate, scope("GET", "/api/v1/quality/alerts"))
    assert (public is None) is public_scores
    for refusal in [private] + ([] if public_scores else [public]):
        assert refusal.status_code == 401
        assert refusal.headers["www-authenticate"] == "Bearer"


async def test_an_anonymous_public_request_is_forwarded_without_a_stray_authorization_header():
    request = scope("GET", "/api/v1/quality/scores", authorization=b"Basic dXNlcjpwdw==")
    assert await decide(access(public_scores=True), request) is None
    assert all(name != b"authorization" for name, _ in request["headers"])


async def test_a_role_the_rule_does_not_name_is_refused_with_a_403_naming_role_and_route():
    token = mint_token(SETTINGS, role="employer", org="org-1").encode()
    refusal = await decide(
        access(public_scores=False), scope("PUT", "/api/v1/regions/UZ-TO", b"Bearer " + token)
    )
    assert refusal.status_code == 403
    assert b"the role employer may not call PUT /api/v1/regions/*" in refusal.body


@pytest.mark.parametrize("scheme", [b"Bearer ", b"bearer ", b"BEARER  "])
async def test_the_bearer_scheme_is_matched_in_any_case(scheme):
    token = mint_token(SETTINGS, role="ministry").encode()
    request = scope("GET", "/api/v1/regions", scheme + token)
    caller = await access(public_scores=False).authenticate(request)
    assert caller.identity is not None and caller.identity.role == "ministry"


@pytest.mark.parametrize("role", [None, "ministry", "operator"])
async def test_a_path_no_rule_names_is_a_404_problem_from_the_gateway_whoever_asks(role):
    token = None if role is None else b"Bearer " + mint_token(SETTINGS, role=role).encode()
    refusal = await decide(access(public_scores=True), scope("GET", "/api/v1/quality/ping", token))
    assert refusal is not None and refusal.status_code == 404
    assert refusal.headers["content-type"] == "application/problem+json"
    assert b"/api/v1/quality/ping" in refusal.body


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/v1/regions/UZ-TO", "GET, HEAD, PUT"),
        ("PATCH", "/api/v1/assessments/a-1", "DELETE, GET, HEAD, PUT"),
        ("OPTIONS", "/api/v1/quality/alerts", "GET, HEAD"),
        ("POST", "/api/v1/quality/alerts", "GET, HEAD"),
        ("PUT", "/api/v1/subscriptions/s-1", "DELETE, GET, HEAD"),
    ],
)
async def test_a_method_no_rule_names_for_a_listed_path_is_a_405_problem_with_allow(
    method, path, allow
):
    token = mint_token(SETTINGS, role="ministry").encode()
    refusal = await decide(access(public_scores=False), scope(method, path, b"Bearer " + token))
    assert refusal is not None and refusal.status_code == 405
    assert refusal.headers["allow"] == allow
    assert refusal.headers["content-type"] == "application/problem+json"
    assert f"{method} is not allowed on {path}".encode() in refusal.body


async def test_an_invalid_token_on_an_unlisted_route_is_still_a_401():
    request = scope("GET", "/api/v1/quality/ping", b"Bearer not-a-token")
    refusal = await decide(access(public_scores=True), request)
    assert refusal is not None and refusal.status_code == 401
