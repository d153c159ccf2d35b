"""Settings of the registry service (environment prefix EDUCLUSTER_REGISTRY_)."""

from pydantic_settings import SettingsConfigDict

from shared.platform.settings import ServiceSettings


class RegistrySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EDUCLUSTER_REGISTRY_", extra="ignore")

    service_name: str = "registry"
