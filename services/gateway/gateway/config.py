"""Settings of the gateway service (environment prefix EDUCLUSTER_GATEWAY_)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EDUCLUSTER_GATEWAY_", extra="ignore")

    service_name: str = "gateway"
    port: int = 8000
    # Where each service listens; the route table (gateway.routes) says which paths it owns.
    registry_url: str = "http://127.0.0.1:8001"
    assessment_url: str = "http://127.0.0.1:8002"
    quality_url: str = "http://127.0.0.1:8003"
    # A service that cannot be reached within this is answered with 503.
    connect_timeout_s: float = Field(default=2.0, gt=0)
    # Longest silence from a service (after the request was sent) before answering 504.
    read_timeout_s: float = Field(default=30.0, gt=0)
    # Open connections to all services together; more requests wait for a free one.
    upstream_connections: int = Field(default=256, ge=1)
    # Idle pooled connections are dropped before uvicorn's 5 s keep-alive closes them on the
    # other side, so a request never races a connection that is being closed under it.
    upstream_keepalive_s: float = Field(default=4.0, gt=0)

    def service_urls(self) -> dict[str, str]:
        return {
            "registry": self.registry_url,
            "assessment": self.assessment_url,
            "quality": self.quality_url,
        }
