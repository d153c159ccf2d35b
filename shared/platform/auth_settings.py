"""Token verification settings (environment prefix EDUCLUSTER_JWT_); no default secret.

Settings that could only refuse every token, or invite algorithm confusion, refuse to start:
public keys (a JWKS URL or a PEM key) need an asymmetric algorithm and no HMAC one beside it,
and a shared secret alone needs an HMAC algorithm. A shared secret must look generated: at
least 32 bytes, not a known placeholder (see `check_hmac_secret`).
"""

from pathlib import Path
from typing import Literal, Self

from pydantic import PositiveInt, field_validator, model_validator
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
MIN_SECRET_BYTES = 32
# Words of sample secrets (lower case): a secret containing one was copied, not generated.
PLACEHOLDER_WORDS = ("insecure", "changeme", "change-me", "change_me", "dev-only", "placeholder")
# Fewer different characters than this is a pattern ("x" * 32, "secret" * 6), not randomness.
MIN_DISTINCT_CHARACTERS = 8
MAKE_ONE = 'make one with: python -c "import secrets; print(secrets.token_urlsafe(32))"'


def check_hmac_secret(secret: str, *, setting: str) -> str:
    """``secret`` if it may sign tokens; else ValueError naming ``setting`` and how to fix it."""
    size = len(secret.encode())
    if size < MIN_SECRET_BYTES:
        raise ValueError(f"{setting} has {size} bytes, needs >= {MIN_SECRET_BYTES}; {MAKE_ONE}")
    word = next((w for w in PLACEHOLDER_WORDS if w in secret.lower()), None)
    if word:
        raise ValueError(f"{setting} is a placeholder (contains {word!r}); {MAKE_ONE}")
    if len(set(secret)) < MIN_DISTINCT_CHARACTERS:
        raise ValueError(f"{setting} is a repeated pattern, not random; {MAKE_ONE}")
    return secret


class AuthSettings(BaseSettings):
    # A refused secret is never echoed in the error (nor into the logs).
    model_config = SettingsConfigDict(
        env_prefix="EDUCLUSTER_JWT_", extra="ignore", hide_input_in_errors=True
    )

    secret: str | None = None
    # Read when `secret` is unset: docker-compose generates the secret into a volume.
    secret_file: Path | None = None
    public_key: str | None = None
    jwks_url: str | None = None
    issuer: str = "educluster"
    audience: str = "educluster-api"
    algorithms: list[str] = ["HS256"]
    leeway_s: int = 30
    # Longest accepted exp - iat (a stolen long-lived token stays useful); None: no bound.
    max_lifetime_s: PositiveInt | None = 24 * 3600

    @field_validator("secret")
    @classmethod
    def _secret_is_strong(cls, secret: str | None) -> str | None:
        if secret is not None:
            check_hmac_secret(secret, setting="EDUCLUSTER_JWT_SECRET")
        return secret

    @model_validator(mode="after")
    def _secret_from_file(self) -> Self:
        if self.secret is None and self.secret_file is not None:
            setting = "EDUCLUSTER_JWT_SECRET_FILE"
            try:
                text = self.secret_file.read_text().strip()
            except OSError as error:
                raise ValueError(
                    f"{setting}: cannot read {self.secret_file}: {error.strerror}"
                ) from None
            self.secret = check_hmac_secret(text, setting=setting)
        return self

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


class OidcSettings(BaseSettings):
    """Sign-in through an OpenID Connect provider (environment prefix EDUCLUSTER_OIDC_), beside
    the tokens of EDUCLUSTER_JWT_: a token whose ``iss`` is this provider's is verified with
    its key set and algorithms alone (never the shared secret), and the dashboard signs people
    in with the authorization code flow and PKCE, the gateway exchanging the code
    (docs/identity.md). Off while ``issuer`` is unset."""

    model_config = SettingsConfigDict(
        env_prefix="EDUCLUSTER_OIDC_", extra="ignore", hide_input_in_errors=True
    )

    issuer: str | None = None
    jwks_url: str | None = None
    authorization_url: str | None = None
    token_url: str | None = None
    end_session_url: str | None = None
    client_id: str = "educluster-dashboard"
    client_secret: str | None = None  # the gateway's, when the provider wants one
    scope: str = "openid profile"
    algorithms: list[str] = ["RS256"]
    # Which token the API is called with: the provider's access token when it is a JWT for
    # this API (Keycloak with an audience mapper), else the ID token (audience: client_id).
    token_use: Literal["access_token", "id_token"] = "id_token"
    audience: str | None = None  # default: client_id
    # Where role, organization and region are in the provider's tokens (dotted: nested).
    role_claim: str = "role"
    org_claim: str = "org"
    region_claim: str = "region"

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.issuer is None:
            return self
        missing = [
            f"EDUCLUSTER_OIDC_{name.upper()}"
            for name in ("jwks_url", "authorization_url", "token_url")
            if getattr(self, name) is None
        ]
        if missing:
            raise ValueError(f"EDUCLUSTER_OIDC_ISSUER is set but {', '.join(missing)} is not")
        hmac = [a for a in self.algorithms if a not in ASYMMETRIC_ALGORITHMS]
        if hmac or not self.algorithms:
            raise ValueError(
                "EDUCLUSTER_OIDC_ALGORITHMS must name the provider's asymmetric algorithms "
                f'(e.g. ["RS256"]), not {hmac or "nothing"}'
            )
        return self

    @property
    def enabled(self) -> bool:
        return self.issuer is not None

    def verification(self, base: AuthSettings) -> AuthSettings:
        """How the provider's tokens are verified: its issuer, key set, algorithms and
        audience, with the platform's leeway and longest lifetime."""
        return AuthSettings(
            issuer=self.issuer or "",
            audience=self.audience or self.client_id,
            algorithms=self.algorithms,
            jwks_url=self.jwks_url,
            leeway_s=base.leeway_s,
            max_lifetime_s=base.max_lifetime_s,
        )
