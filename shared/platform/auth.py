"""Bearer-token identity, verified by every service (the gateway checks it first, coarsely).

Claims: ``sub``, ``role`` (ministry | regional_authority | institution | employer | operator),
``org`` (for institution and employer), ``region`` (for regional_authority), ``exp``, ``iat``,
``iss``, ``aud``. Development signs with HS256 and ``EDUCLUSTER_JWT_SECRET``; production verifies
RS256/ES256 with configured public keys or a JWKS URL. ``alg: none`` is never accepted.

Claims must be strings, a token may live at most ``max_lifetime_s`` (``exp`` − ``iat``), and a
``typ`` header, when present, must say JWT (RFC 7519) or at+jwt (RFC 9068). Who a token names is
its ``principal``: issuer, subject, role, organization and region together, never ``sub`` alone
(one subject may act for several organizations or regions, or come from another issuer).
"""

import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

import jwt
from jwt import exceptions as jwt_errors

from shared.platform.auth_settings import ASYMMETRIC_ALGORITHMS, AuthSettings, OidcSettings
from shared.platform.errors import Forbidden, Unauthenticated
from shared.platform.names import ROLES


@dataclass(frozen=True)
class Identity:
    sub: str
    role: str
    org: str | None = None
    region: str | None = None
    iss: str = ""

    def is_(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def principal(self) -> str:
        """Who this is, as one stable 64-character key: a digest of (issuer, subject, role,
        organization, region). What a caller owns (idempotency keys, subscriptions) is keyed
        by it."""
        parts = [self.iss, self.sub, self.role, self.org, self.region]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


# Providers' tokens are a few kilobytes (Keycloak's with roles: 2-4 KB); servers refuse
# header lines far shorter than what a padded token could reach.
MAX_TOKEN_BYTES = 8192
_TYPES = ("jwt", "at+jwt")  # RFC 7519 and RFC 9068; compared case-insensitively
# What a client is told of each of PyJWT's refusals: the claim to blame, if one is, and our
# own reason (problem_catalog.py translates it), never PyJWT's English message. The first kind
# the error is wins: subclasses before their bases.
_REFUSALS: tuple[tuple[type[jwt.PyJWTError], str | None, str], ...] = (
    (jwt.ExpiredSignatureError, "exp", "it has expired"),
    (jwt.ImmatureSignatureError, None, "it is not valid yet (iat or nbf is in the future)"),
    (jwt.InvalidIssuedAtError, "iat", "its issue time (iat) is not a number"),
    (jwt.InvalidIssuerError, "iss", "its issuer (iss) is not trusted here"),
    (jwt.InvalidAudienceError, "aud", "it is not addressed to this platform (aud)"),
    (jwt_errors.InvalidSubjectError, "sub", "its subject (sub) is not a string"),
    (jwt.InvalidSignatureError, None, "its signature does not verify"),
    (jwt.InvalidAlgorithmError, None, "its algorithm is not allowed"),
    (jwt.DecodeError, None, "it is not a well-formed JWT"),
    (jwt.PyJWKClientConnectionError, None, "its issuer's keys could not be fetched; try again"),
    (jwt.PyJWKClientError, None, "no key of its issuer matches it (kid)"),
    (jwt.InvalidKeyError, None, "the service has no key to verify it with"),
)


@dataclass(frozen=True)
class ClaimNames:
    """Where a token carries role, organization and region (dotted: nested objects)."""

    role: str = "role"
    org: str = "org"
    region: str = "region"


class TokenVerifier:
    """Verifies the platform's tokens (``settings``) and, when ``oidc`` is enabled, those of
    its identity provider: chosen by the token's ``iss``, each issuer verified with its own
    keys and algorithms only (no key of one ever checks a token of the other)."""

    def __init__(self, settings: AuthSettings, oidc: OidcSettings | None = None) -> None:
        self._settings = settings
        self._jwks = jwt.PyJWKClient(settings.jwks_url) if settings.jwks_url else None
        self._names = ClaimNames()
        self._provider: TokenVerifier | None = None
        if oidc is not None and oidc.enabled:
            self._provider = TokenVerifier(oidc.verification(settings))
            self._provider._names = ClaimNames(oidc.role_claim, oidc.org_claim, oidc.region_claim)

    @property
    def fetches_keys(self) -> bool:
        """Whether ``verify`` may block on fetching the key set (call it off the event loop)."""
        return self._settings.fetches_keys or self._provider is not None

    def verify(self, token: str) -> Identity:
        """The identity a valid token names; Unauthenticated (naming the claim, when one is to
        blame) otherwise."""
        if len(token) > MAX_TOKEN_BYTES:
            raise _unauthorized(
                f"invalid token: longer than {MAX_TOKEN_BYTES} bytes (a padded token costs "
                "every service its decoding)"
            )
        if self._provider is not None and _issuer(token) == self._provider._settings.issuer:
            return self._provider.verify(token)
        claims = self._claims(token)
        names = self._names
        role = _string_claim(claims, names.role)
        org = _optional_string_claim(claims, names.org)
        region = _optional_string_claim(claims, names.region)
        if role not in ROLES:
            raise _unauthorized(f"invalid token: unknown role {role!r}", claim="role")
        if role in ("institution", "employer") and not org:
            raise _unauthorized(f"invalid token: role {role} needs an org claim", claim="org")
        if role == "regional_authority" and not region:
            raise _unauthorized(
                "invalid token: role regional_authority needs a region claim", claim="region"
            )
        return Identity(
            sub=_string_claim(claims, "sub"),
            role=role,
            org=org,
            region=region,
            iss=_string_claim(claims, "iss"),
        )

    def _claims(self, token: str) -> dict[str, Any]:
        settings = self._settings
        try:
            header = jwt.get_unverified_header(token)
            algorithm = header.get("alg")
            if algorithm not in settings.algorithms:
                raise _unauthorized(f"invalid token: algorithm {algorithm!r} is not allowed")
            typ = header.get("typ")
            if typ is not None and (not isinstance(typ, str) or typ.lower() not in _TYPES):
                raise _unauthorized(f"invalid token: typ {typ!r} is not JWT or at+jwt")
            claims: dict[str, Any] = jwt.decode(
                token,
                key=self._key(token, algorithm),
                algorithms=[algorithm],
                audience=settings.audience,
                issuer=settings.issuer,
                leeway=settings.leeway_s,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise _refusal(error) from error
        lifetime = _number_claim(claims, "exp") - _number_claim(claims, "iat")
        if settings.max_lifetime_s is not None and lifetime > settings.max_lifetime_s:
            raise _unauthorized(
                f"invalid token: its lifetime (exp - iat) of {lifetime} s exceeds the maximum "
                f"of {settings.max_lifetime_s} s",
                claim="exp",
            )
        return claims

    def _key(self, token: str, algorithm: str) -> Any:  # a str secret or PEM, or a key object
        if algorithm in ASYMMETRIC_ALGORITHMS:
            if self._jwks is not None:
                if "kid" not in jwt.get_unverified_header(token):
                    # kid is optional (RFC 7515): with one signing key, it is that one.
                    keys = self._jwks.get_signing_keys()
                    if len(keys) == 1:
                        return keys[0].key
                return self._jwks.get_signing_key_from_jwt(token).key
            if self._settings.public_key:
                return self._settings.public_key
            raise jwt.InvalidKeyError("no public key configured")
        if not self._settings.secret:
            raise jwt.InvalidKeyError("no secret configured")
        return self._settings.secret


def mint_token(
    settings: AuthSettings,
    *,
    role: str,
    sub: str | None = None,
    org: str | None = None,
    region: str | None = None,
    ttl_s: int = 3600,
) -> str:
    """A dev token signed with the HS256 secret (``educluster token``); each gets a subject of
    its own (``dev-<role>-<random>``) unless ``sub`` is given."""
    if not settings.secret:
        raise ValueError("EDUCLUSTER_JWT_SECRET is not set")
    if settings.max_lifetime_s is not None and ttl_s > settings.max_lifetime_s:
        raise ValueError(
            f"a lifetime of {ttl_s} s exceeds the maximum token lifetime of "
            f"{settings.max_lifetime_s} s (EDUCLUSTER_JWT_MAX_LIFETIME_S)"
        )
    now = int(time.time())
    claims = {
        "sub": sub or f"dev-{role}-{secrets.token_hex(4)}",
        "role": role,
        "iat": now,
        "exp": now + ttl_s,
        "iss": settings.issuer,
        "aud": settings.audience,
    }
    if org:
        claims["org"] = org
    if region:
        claims["region"] = region
    return jwt.encode(claims, settings.secret, algorithm="HS256")


def _unauthorized(detail: str, *, claim: str | None = None) -> Unauthenticated:
    return Unauthenticated(detail, loc=("token", claim) if claim else None)


def _refusal(error: jwt.PyJWTError) -> Unauthenticated:
    """PyJWT's refusal of a token, in our words (its message stays the refusal's cause)."""
    if isinstance(error, jwt.MissingRequiredClaimError):
        return _unauthorized(f"invalid token: claim {error.claim} is required", claim=error.claim)
    claim, reason = next(
        ((claim, reason) for kind, claim, reason in _REFUSALS if isinstance(error, kind)),
        (None, "it could not be verified"),
    )
    return _unauthorized(f"invalid token: {reason}", claim=claim)


def _issuer(token: str) -> Any:
    """The ``iss`` a token claims, before anything is verified: only to choose the verifier."""
    try:
        return jwt.decode(token, options={"verify_signature": False}).get("iss")
    except jwt.PyJWTError:
        return None  # the platform's own verifier says what is wrong with it


def _string_claim(claims: dict[str, Any], name: str) -> str:
    value = _optional_string_claim(claims, name)
    if value is None:
        raise _unauthorized(f"invalid token: claim {name} is required", claim=name)
    return value


def _optional_string_claim(claims: dict[str, Any], name: str) -> str | None:
    """The claim, refused unless it is a string: a signed list or object must not reach the
    handlers. A dotted name reads nested objects (``educluster.role``)."""
    value: Any = claims
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if value is not None and not isinstance(value, str):
        raise _unauthorized(f"invalid token: claim {name} must be a string", claim=name)
    return value


def _number_claim(claims: dict[str, Any], name: str) -> float:
    # PyJWT accepts anything int() takes ("123", true); a NumericDate is a JSON number.
    value = claims[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _unauthorized(f"invalid token: claim {name} must be a number", claim=name)
    return value


def forbidden(detail: str) -> Forbidden:
    return Forbidden(detail)


def bearer_identity(verifier: TokenVerifier, authorization: str) -> Identity:
    """The verified caller of an ``Authorization`` header; Unauthenticated when there is none."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("a bearer token is required")
    return verifier.verify(token.strip())
