"""The one place where the gateway service is wired together."""

from fastapi import FastAPI

from gateway.config import GatewaySettings
from shared.runtime import ServiceSpec, create_service_app


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    return create_service_app(
        ServiceSpec(
            name="gateway",
            title="EduCluster gateway",
            settings=settings or GatewaySettings(),
            publishes=False,
        )
    )
