"""Settings of the quality service (environment prefix EDUCLUSTER_QUALITY_)."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class QualitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EDUCLUSTER_QUALITY_", extra="ignore")

    service_name: str = "quality"
    port: int = 8003
