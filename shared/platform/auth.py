"""Bearer-token identity, verified by every service (the gateway checks it first, coarsely).

Claims: ``sub``, ``role`` (ministry | regional_authority | institution | employer | operator),
``org`` (for institution and employer), ``region`` (for regional_authority), ``exp``, ``iat``,
``iss``, ``aud``. Development signs with HS256 and ``EDUCLUSTER_JWT_SECRET``; production verifies
RS256/ES256 with configured public keys or a JWKS URL. ``alg: none`` is never accepted.
"""

import time
from dataclasses import dataclass
from typing import Any

import jwt

from shared.platform.auth_settings import ASYMMETRIC_ALGORITHMS, AuthSettings
from shared.platform.errors import Forbidden, Unauthenticated
from shared.platform.names import ROLES


@dataclass(frozen=True)
class Identity:
    sub: str
    role: str
    org: str | None = None
    region: str | None = None

    def is_(self, *roles: str) -> bool:
        return self.role in roles


class TokenVerifier:
    def __init__(self, settings: AuthSettings) -> None:
        self._settings = settings
        self._jwks = jwt.PyJWKClient(settings.jwks_url) if settings.jwks_url else None

    @property
    def fetches_keys(self) -> bool:
        """Whether ``verify`` may block on fetching the key set (call it off the event loop)."""
        return self._settings.fetches_keys

    def verify(self, token: str) -> Identity:
        settings = self._settings
        try:
            header = jwt.get_unverified_header(token)
            algorithm = header.get("alg")
            if algorithm not in settings.algorithms:
                raise jwt.InvalidAlgorithmError(f"algorithm {algorithm!r} is not allowed")
            claims = jwt.decode(
                token,
                key=self._key(token, algorithm),
                algorithms=[algorithm],
                audience=settings.audience,
                issuer=settings.issuer,
                leeway=settings.leeway_s,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise _unauthorized(f"invalid token: {error}") from error
        role = claims.get("role")
        if role not in ROLES:
            raise _unauthorized(f"invalid token: unknown role {role!r}")
        if role in ("institution", "employer") and not claims.get("org"):
            raise _unauthorized(f"invalid token: role {role} needs an org claim")
        if role == "regional_authority" and not claims.get("region"):
            raise _unauthorized("invalid token: role regional_authority needs a region claim")
        return Identity(
            sub=claims["sub"], role=role, org=claims.get("org"), region=claims.get("region")
        )

    def _key(self, token: str, algorithm: str) -> Any:  # a str secret or PEM, or a key object
        if algorithm in ASYMMETRIC_ALGORITHMS:
            if self._jwks is not None:
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
    """A dev token signed with the HS256 secret (``educluster token``)."""
    if not settings.secret:
        raise ValueError("EDUCLUSTER_JWT_SECRET is not set")
    now = int(time.time())
    claims = {
        "sub": sub or f"dev-{role}",
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


def _unauthorized(detail: str) -> Unauthenticated:
    return Unauthenticated(detail)


def forbidden(detail: str) -> Forbidden:
    return Forbidden(detail)


def bearer_identity(verifier: TokenVerifier, authorization: str) -> Identity:
    """The verified caller of an ``Authorization`` header; Unauthenticated when there is none."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("a bearer token is required")
    return verifier.verify(token.strip())
