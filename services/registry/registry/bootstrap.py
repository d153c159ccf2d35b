"""The one place where the registry service is wired together."""

from fastapi import FastAPI

from registry.config import RegistrySettings
from registry.entrypoints import (
    clusters,
    employments,
    graduates,
    organizations,
    programs,
    regions,
)
from registry.service_layer.regions import seed_if_empty
from shared.platform.runtime import Runtime, ServiceSpec, create_service_app


async def _seed(runtime: Runtime) -> None:
    await seed_if_empty(runtime.uow_factory)


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    return create_service_app(
        ServiceSpec(
            name="registry",
            title="EduCluster registry",
            settings=settings or RegistrySettings(),
            routers=[
                r.router
                for r in (regions, organizations, clusters, programs, graduates, employments)
            ],
            on_start=_seed,
        )
    )
