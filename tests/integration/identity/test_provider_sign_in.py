"""Sign-in through a real OpenID Connect provider (oidc-provider-mock, the one `educluster up`
starts): the gateway exchanges an authorization code (with its PKCE verifier) for the ID
token, and every service verifies that token against the provider's key set, mapping its
claims to the platform's identity; the platform's shared secret never verifies a token that
names the provider as its issuer."""

import base64
import hashlib
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlparse

import httpx
import jwt
import pytest
from gateway.service_layer import sign_in

from shared.devtools.local_broker import free_port
from shared.platform.auth import TokenVerifier
from shared.platform.auth_settings import AuthSettings, OidcSettings
from shared.platform.errors import Unauthenticated
from shared.platform.web.problems import ProblemError

REDIRECT = "http://127.0.0.1:8000/"
USERS = [
    '{"sub": "ministry", "role": "ministry"}',
    '{"sub": "employer", "educluster": {"role": "employer", "org": "org-1"}}',
]
SECRET = secrets.token_urlsafe(32)


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    port = free_port()
    users = [arg for user in USERS for arg in ("--user-claims", user)]
    command = [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), *users]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{issuer}/.well-known/openid-configuration").raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


def settings(issuer: str, **claims: str) -> OidcSettings:
    return OidcSettings(
        issuer=issuer,
        jwks_url=f"{issuer}/jwks",
        authorization_url=f"{issuer}/oauth2/authorize",
        token_url=f"{issuer}/oauth2/token",
        client_secret="any-secret-the-mock-accepts",
        **claims,
    )


def authorize(issuer: str, user: str) -> tuple[str, str]:
    """The person picks ``user`` on the provider's page: the code it redirects back with, and
    the PKCE verifier its challenge was made from."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    query = {
        "response_type": "code",
        "client_id": "educluster-dashboard",
        "redirect_uri": REDIRECT,
        "scope": "openid",
        "state": "s",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    answer = httpx.post(f"{issuer}/oauth2/authorize", params=query, data={"sub": user})
    assert answer.status_code == 302, answer.text
    return dict(parse_qsl(urlparse(answer.headers["location"]).query))["code"], verifier


async def test_a_code_becomes_a_token_every_service_verifies_as_the_persons_role(provider):
    oidc = settings(provider)
    code, verifier = authorize(provider, "ministry")
    exchange = sign_in.CodeExchange(code=code, code_verifier=verifier, redirect_uri=REDIRECT)

    tokens = await sign_in.exchange(oidc, exchange)

    platform = AuthSettings(secret=SECRET)
    identity = TokenVerifier(platform, oidc).verify(str(tokens["token"]))
    assert (identity.role, identity.sub, identity.iss) == ("ministry", "ministry", provider)
    assert tokens["id_token"] == tokens["token"] and tokens["expires_in"]
    # Without the provider configured, its token is no one's.
    with pytest.raises(Unauthenticated):
        TokenVerifier(platform).verify(str(tokens["token"]))
    # A code is good once.
    with pytest.raises(ProblemError) as refused:
        await sign_in.exchange(oidc, exchange)
    assert refused.value.status == 400


async def test_claims_are_read_where_the_provider_puts_them(provider):
    oidc = settings(provider, role_claim="educluster.role", org_claim="educluster.org")
    code, verifier = authorize(provider, "employer")
    exchange = sign_in.CodeExchange(code=code, code_verifier=verifier, redirect_uri=REDIRECT)
    token = str((await sign_in.exchange(oidc, exchange))["token"])

    identity = TokenVerifier(AuthSettings(secret=SECRET), oidc).verify(token)
    assert (identity.role, identity.org) == ("employer", "org-1")


def test_the_shared_secret_never_verifies_a_token_naming_the_provider(provider):
    now = int(time.time())
    claims = {"sub": "x", "role": "ministry", "iat": now, "exp": now + 60, "iss": provider}
    forged = jwt.encode(claims | {"aud": "educluster-dashboard"}, SECRET, algorithm="HS256")
    with pytest.raises(Unauthenticated) as refused:
        TokenVerifier(AuthSettings(secret=SECRET), settings(provider)).verify(forged)
    assert "algorithm" in str(refused.value)


def test_an_incomplete_provider_setting_refuses_to_start():
    with pytest.raises(ValueError, match="EDUCLUSTER_OIDC_TOKEN_URL"):
        OidcSettings(issuer="https://id.example", jwks_url="x", authorization_url="y")
    with pytest.raises(ValueError, match="asymmetric"):
        OidcSettings(
            issuer="https://id.example",
            jwks_url="x",
            authorization_url="y",
            token_url="z",
            algorithms=["HS256"],
        )
