"""Settings of the quality service (environment prefix EDUCLUSTER_QUALITY_)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.platform.settings import ServiceSettings


class QualitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EDUCLUSTER_QUALITY_", extra="ignore")

    service_name: str = "quality"
    # Changes within one window are announced as at most one score.updated per scope.
    score_window_s: float = Field(default=1.0, gt=0, le=3600)
    # Published (suppressed where needed) aggregate scores may be read without a token.
    public_scores: bool = False
