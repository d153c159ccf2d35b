"""Settings of the assessment service (environment prefix EDUCLUSTER_ASSESSMENT_)."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class AssessmentSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EDUCLUSTER_ASSESSMENT_", extra="ignore")

    service_name: str = "assessment"
    port: int = 8002
