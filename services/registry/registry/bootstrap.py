"""The one place where the registry service is wired together."""

from fastapi import FastAPI

from registry.config import RegistrySettings
from shared.runtime import ServiceSpec, create_service_app


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    return create_service_app(
        ServiceSpec(
            name="registry",
            title="EduCluster registry",
            settings=settings or RegistrySettings(),
            publishes=True,
        )
    )
