"""Settings of the registry service (environment prefix EDUCLUSTER_REGISTRY_)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.contracts.assessment_window import DEFAULT_WINDOW_MONTHS
from shared.platform.settings import ServiceSettings


class RegistrySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EDUCLUSTER_REGISTRY_", extra="ignore")

    service_name: str = "registry"
    # How long after an employment ends its employer still reads the graduate's name: the
    # assessment service's window (EDUCLUSTER_ASSESSMENT_EMPLOYMENT_WINDOW_MONTHS), kept equal.
    employment_window_months: int = Field(default=DEFAULT_WINDOW_MONTHS, ge=0, le=120)
