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
    # The live figures are kept between windows and moved by what changed; every so often they
    # are rebuilt from the cells (dropping complements no longer needed). Ranks of the groups a
    # change touched are stored at most this often (0: every window).
    score_reconcile_every_s: float = Field(default=3600.0, gt=0, le=7 * 86400)
    rank_every_s: float = Field(default=0.0, ge=0, le=3600)
    # How often interim (provisional) publications are made for everyone but the ministry.
    interim_every_s: float = Field(default=3600.0, gt=0, le=7 * 86400)
    # How long institutions may review and query a draft official release.
    review_window_s: float = Field(default=14 * 86400.0, ge=0, le=365 * 86400)
    # Published (suppressed where needed) aggregate scores may be read without a token.
    public_scores: bool = False
