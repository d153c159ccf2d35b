"""Token verification settings that cannot be deployed wrong, and key fetches that never block
the event loop (the production overlay refused every identity-provider token)."""

import asyncio
import json
import secrets
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from pydantic import ValidationError
from starlette.requests import Request

from shared.platform.auth import TokenVerifier
from shared.platform.auth_settings import AuthSettings
from shared.platform.web.identity import current_identity

JWKS_DELAY_S = 0.4
STRONG = "k7Qd-2vT9xLr_8mWz3Nb5YpHc6GfJ1sA0eUo4iRq"


def test_a_jwks_url_without_an_asymmetric_algorithm_refuses_to_start():
    # Found: production set only the JWKS URL; the algorithms stayed ["HS256"], so every RS256
    # token of the identity provider got 401 "algorithm not allowed".
    with pytest.raises(ValidationError, match="EDUCLUSTER_JWT_ALGORITHMS"):
        AuthSettings(jwks_url="https://id.example.org/jwks.json")
    with pytest.raises(ValidationError, match="EDUCLUSTER_JWT_ALGORITHMS"):
        AuthSettings(public_key="-----BEGIN PUBLIC KEY-----")
    assert AuthSettings(jwks_url="https://id.example.org/jwks.json", algorithms=["RS256"])


def test_hs256_mixed_with_public_keys_refuses_to_start():
    # An HMAC algorithm beside public keys invites HS/RS confusion.
    with pytest.raises(ValidationError, match="HS256"):
        AuthSettings(jwks_url="https://id.example.org/jwks.json", algorithms=["RS256", "HS256"])


def test_unknown_algorithms_and_a_secret_without_hmac_are_refused():
    with pytest.raises(ValidationError, match="none"):
        AuthSettings(secret=STRONG, algorithms=["none"])
    with pytest.raises(ValidationError, match="no public key"):
        AuthSettings(secret=STRONG, algorithms=["RS256"])
    assert AuthSettings(secret=STRONG).algorithms == ["HS256"]


@pytest.mark.parametrize(
    "weak",
    [
        "a-31-byte-secret-is-too-short!!",  # 31 bytes
        "dev-only-insecure-jwt-secret-padded-out",  # the old docker-compose value, padded
        "CHANGEME-before-going-to-production-please",
        "please-change-me-0123456789abcdefgh",
        "x" * 64,
        "secret" * 6,
    ],
)
def test_a_short_or_placeholder_hmac_secret_refuses_to_start_and_says_how_to_make_one(weak):
    # Found: docker-compose.yml shipped "dev-only-insecure-jwt-secret"; anyone who read the file
    # could mint a ministry token. Only >= 32 bytes that look random are accepted.
    with pytest.raises(ValidationError) as refused:
        AuthSettings(secret=weak)
    message = str(refused.value)
    assert "EDUCLUSTER_JWT_SECRET" in message
    assert "secrets.token_urlsafe(32)" in message
    assert weak not in message  # the refused value is not echoed into logs


def test_the_length_rule_counts_utf8_bytes():
    assert AuthSettings(secret="é" * 16 + "0123456789").secret  # 42 bytes, 26 characters
    with pytest.raises(ValidationError, match="32"):
        AuthSettings(secret="é" * 8 + "0123456789abcde")  # 31 bytes


def test_a_generated_secret_is_accepted():
    assert AuthSettings(secret=secrets.token_urlsafe(32)).secret
    assert AuthSettings(secret=secrets.token_hex(32)).secret


def test_the_secret_can_come_from_a_file_and_is_held_to_the_same_rules(tmp_path):
    path = tmp_path / "jwt-secret"
    path.write_text(STRONG + "\n")
    assert AuthSettings(secret_file=path).secret == STRONG
    # An explicit secret wins over the file (the compose services inherit the file's variable).
    other = secrets.token_urlsafe(32)
    assert AuthSettings(secret=other, secret_file=path).secret == other
    path.write_text("dev-only-insecure-jwt-secret-padded-out\n")
    with pytest.raises(ValidationError, match="EDUCLUSTER_JWT_SECRET_FILE"):
        AuthSettings(secret_file=path)
    with pytest.raises(ValidationError, match="EDUCLUSTER_JWT_SECRET_FILE"):
        AuthSettings(secret_file=tmp_path / "missing")


def test_the_secret_file_is_read_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "jwt-secret"
    path.write_text(STRONG + "\n")
    monkeypatch.delenv("EDUCLUSTER_JWT_SECRET", raising=False)
    monkeypatch.setenv("EDUCLUSTER_JWT_SECRET_FILE", str(path))
    assert AuthSettings().secret == STRONG


class _SlowJwks(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        time.sleep(JWKS_DELAY_S)  # a slow identity provider
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def identity_provider() -> Iterator[tuple[str, rsa.RSAPrivateKey]]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    _SlowJwks.body = json.dumps({"keys": [public | {"kid": "k1", "use": "sig"}]}).encode()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowJwks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/jwks.json", key
    finally:
        server.shutdown()


async def test_every_service_fetches_the_key_set_off_the_event_loop(identity_provider):
    # Found: only the gateway fetched JWKS off the loop; the services blocked it for as long as
    # the identity provider took to answer.
    url, key = identity_provider
    settings = AuthSettings(jwks_url=url, algorithms=["RS256"])
    now = int(time.time())
    claims = {"sub": "u1", "role": "ministry", "iat": now, "exp": now + 60}
    claims |= {"iss": settings.issuer, "aud": settings.audience}
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
    app = FastAPI()
    app.state.token_verifier = TokenVerifier(settings)
    scope = {
        "type": "http",
        "app": app,
        "headers": [(b"authorization", f"Bearer {token}".encode())],
    }
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.02)
            ticks += 1

    ticking = asyncio.create_task(ticker())
    identity = await current_identity(Request(scope))
    ticking.cancel()
    assert identity.sub == "u1" and identity.role == "ministry"
    assert ticks >= 5  # the loop ran on while the key set was fetched (0.4 s)
