"""Settings of the quality service (environment prefix EDUCLUSTER_QUALITY_)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.platform.settings import ServiceSettings


class QualitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EDUCLUSTER_QUALITY_", extra="ignore")

    service_name: str = "quality"
    # Changes within one window are announced as at most one score.updated per scope (the
    # ministry's live topic).
    score_window_s: float = Field(default=1.0, gt=0, le=3600)
    # How often interim (provisional) publications are made for everyone but the ministry.
    interim_every_s: float = Field(default=3600.0, gt=0, le=7 * 86400)
    # How long institutions may review and query a draft official release.
    review_window_s: float = Field(default=14 * 86400.0, ge=0, le=365 * 86400)
    # Published (suppressed where needed) aggregate scores may be read without a token.
    public_scores: bool = False
