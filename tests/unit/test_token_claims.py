"""What a signed token may claim: string claims, a bounded lifetime, a JWT ``typ``; and who it
names (issuer, subject, role, organization, region), never the subject alone."""

import json
import time
from typing import Any

import jwt
import pytest

from shared.platform.auth import Identity, TokenVerifier, mint_token
from shared.platform.auth_settings import AuthSettings
from shared.platform.errors import Unauthenticated

SETTINGS = AuthSettings(secret="unit-test-secret-0123456789abcdefghij")
DAY_S = 24 * 3600


def signed(*, headers: dict[str, Any] | None = None, lifetime_s: int = 600, **changes: Any) -> str:
    now = int(time.time())
    claims = {
        "sub": "u1",
        "role": "employer",
        "org": "org-1",
        "iat": now,
        "exp": now + lifetime_s,
        "iss": SETTINGS.issuer,
        "aud": SETTINGS.audience,
    } | changes
    payload = json.dumps({name: value for name, value in claims.items() if value is not None})
    assert SETTINGS.secret
    # Signed as given: jwt.encode itself refuses some of these claims.
    return jwt.api_jws.encode(payload.encode(), SETTINGS.secret, "HS256", headers=headers)


def refusal(token: str, settings: AuthSettings = SETTINGS) -> Unauthenticated:
    with pytest.raises(Unauthenticated) as refused:
        TokenVerifier(settings).verify(token)
    return refused.value


@pytest.mark.parametrize(
    ("claim", "changes"),
    [
        ("org", {"org": ["a", "b"]}),
        ("org", {"role": "ministry", "org": {"id": "a"}}),
        ("region", {"role": "regional_authority", "org": None, "region": ["UZ-SA"]}),
        ("region", {"role": "ministry", "org": None, "region": 17}),
        ("role", {"role": ["employer"]}),
        ("sub", {"sub": 42}),
        ("iss", {"iss": ["educluster"]}),
    ],
)
def test_a_signed_claim_that_is_not_a_string_is_refused_naming_the_claim(claim, changes):
    # Found: a signed ``org: ["a", "b"]`` passed verification and crashed the handler (500).
    error = refusal(signed(**changes))
    assert claim in str(error).lower()
    assert error.loc == ["token", claim]


def test_a_token_that_lives_longer_than_the_maximum_is_refused_with_the_reason():
    error = refusal(signed(lifetime_s=DAY_S + 1))
    assert "lifetime" in str(error) and str(DAY_S) in str(error)
    assert TokenVerifier(SETTINGS).verify(signed(lifetime_s=DAY_S)).org == "org-1"
    unbounded = SETTINGS.model_copy(update={"max_lifetime_s": None})
    assert TokenVerifier(unbounded).verify(signed(lifetime_s=30 * DAY_S)).sub == "u1"


@pytest.mark.parametrize("typ", ["JWT", "jwt", "at+jwt", "AT+JWT", None])
def test_a_jwt_or_access_token_typ_or_none_is_accepted(typ):
    token = signed(headers={"typ": typ})  # None: no typ at all
    assert jwt.get_unverified_header(token).get("typ") == typ
    assert TokenVerifier(SETTINGS).verify(token).sub == "u1"


@pytest.mark.parametrize("typ", ["JWE", "dpop+jwt", "logout+jwt", 7])
def test_another_typ_is_refused(typ):
    error = refusal(signed(headers={"typ": typ}))
    assert "typ" in str(error)


def test_the_verified_identity_carries_its_issuer_and_a_principal_of_every_part():
    identity = TokenVerifier(SETTINGS).verify(signed())
    assert (identity.iss, identity.sub, identity.org) == (SETTINGS.issuer, "u1", "org-1")
    base = Identity(iss="a", sub="s", role="regional_authority", region="UZ-SA")
    others = [
        Identity(iss="b", sub="s", role="regional_authority", region="UZ-SA"),
        Identity(iss="a", sub="t", role="regional_authority", region="UZ-SA"),
        Identity(iss="a", sub="s", role="regional_authority", region="UZ-TO"),
        Identity(iss="a", sub="s", role="ministry"),
        Identity(iss="a", sub="s", role="regional_authority", org="o", region="UZ-SA"),
    ]
    principals = {base.principal, *(other.principal for other in others)}
    assert len(principals) == 1 + len(others)
    assert base.principal == Identity(**vars(base)).principal  # stable
    assert len(base.principal) <= 200  # fits the idempotency and subscription owner columns


def test_dev_tokens_get_a_subject_of_their_own_unless_one_is_given():
    verify = TokenVerifier(SETTINGS).verify
    first = verify(mint_token(SETTINGS, role="employer", org="a"))
    second = verify(mint_token(SETTINGS, role="employer", org="a"))
    assert first.sub != second.sub and first.sub.startswith("dev-employer-")
    assert verify(mint_token(SETTINGS, role="ministry", sub="m1")).sub == "m1"


def test_a_dev_token_longer_than_the_maximum_lifetime_is_not_minted():
    with pytest.raises(ValueError, match="lifetime"):
        mint_token(SETTINGS, role="ministry", ttl_s=DAY_S + 1)


def test_a_padded_token_is_refused_before_anything_is_decoded():
    token = signed(pad="x" * 9000)
    assert "longer than 8192 bytes" in str(refusal(token))
