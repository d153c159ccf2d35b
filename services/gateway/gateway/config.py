"""Settings of the gateway service (environment prefix EDUCLUSTER_GATEWAY_)."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EDUCLUSTER_GATEWAY_", extra="ignore")

    service_name: str = "gateway"
    port: int = 8000
