"""Token verification settings (environment prefix EDUCLUSTER_JWT_); no default secret.

Settings that could only refuse every token, or invite algorithm confusion, refuse to start:
public keys (a JWKS URL or a PEM key) need an asymmetric algorithm and no HMAC one beside it,
and a shared secret alone needs an HMAC algorithm.
"""

from typing import Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

HMAC_ALGORITHMS = ("HS256", "HS384", "HS512")
ASYMMETRIC_ALGORITHMS = (
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
)


class AuthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EDUCLUSTER_JWT_", extra="ignore")

    secret: str | None = Field(default=None, min_length=16)
    public_key: str | None = None
    jwks_url: str | None = None
    issuer: str = "educluster"
    audience: str = "educluster-api"
    algorithms: list[str] = ["HS256"]
    leeway_s: int = 30

    @model_validator(mode="after")
    def _algorithms_fit_the_keys(self) -> Self:
        known = (*HMAC_ALGORITHMS, *ASYMMETRIC_ALGORITHMS)
        unknown = [a for a in self.algorithms if a not in known]
        if unknown:
            raise ValueError(
                f"EDUCLUSTER_JWT_ALGORITHMS: {unknown[0]!r} is not a signing algorithm; "
                f"choose from {', '.join(known)}"
            )
        hmac = [a for a in self.algorithms if a in HMAC_ALGORITHMS]
        asymmetric = [a for a in self.algorithms if a in ASYMMETRIC_ALGORITHMS]
        if self.jwks_url or self.public_key:
            if not asymmetric:
                raise ValueError(
                    "EDUCLUSTER_JWT_ALGORITHMS must name the identity provider's asymmetric "
                    'algorithm (e.g. ["RS256"]) when a JWKS URL or public key is set'
                )
            if hmac:
                raise ValueError(
                    f"EDUCLUSTER_JWT_ALGORITHMS: {hmac[0]} beside public keys invites "
                    "algorithm confusion; verify with the public keys alone"
                )
        elif asymmetric and not hmac:
            raise ValueError(
                f"EDUCLUSTER_JWT_ALGORITHMS names {asymmetric[0]} but no public key or JWKS "
                "URL is set"
            )
        return self

    @property
    def fetches_keys(self) -> bool:
        """Whether verifying may fetch the key set over the network (blocking I/O)."""
        return self.jwks_url is not None
