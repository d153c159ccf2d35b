"""The one place where the registry service is wired together."""

from fastapi import FastAPI

from registry.config import RegistrySettings
from registry.entrypoints.consumers import CONSUMERS
from registry.entrypoints.http import ROUTERS
from registry.service_layer.regions import seed_if_empty
from registry.service_layer.unit_of_work import SqlRegistryUnitOfWork, registry_unit_of_work
from shared.platform.runtime import Runtime, ServiceSpec, create_service_app


async def _seed(runtime: Runtime[RegistrySettings]) -> None:
    await seed_if_empty(lambda: registry_unit_of_work(runtime.uow_factory()))


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    return create_service_app(
        ServiceSpec(
            name="registry",
            title="EduCluster registry",
            settings=settings or RegistrySettings(),
            unit_of_work=SqlRegistryUnitOfWork,
            routers=ROUTERS,
            consumers=CONSUMERS,
            on_start=_seed,
        )
    )
