"""Token verification settings (environment prefix EDUCLUSTER_JWT_); no default secret."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class AuthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EDUCLUSTER_JWT_", extra="ignore")

    secret: str | None = Field(default=None, min_length=16)
    public_key: str | None = None
    jwks_url: str | None = None
    issuer: str = "educluster"
    audience: str = "educluster-api"
    algorithms: list[str] = ["HS256"]
    leeway_s: int = 30
