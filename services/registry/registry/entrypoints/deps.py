"""The registry routes' dependencies (Annotated, for FastAPI to fill in)."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from registry.config import RegistrySettings
from registry.service_layer.unit_of_work import AbstractRegistryUnitOfWork, registry_unit_of_work
from shared.platform.web.deps import UnitOfWorkFactory, service_settings


async def _settings(request: Request) -> RegistrySettings:
    return service_settings(request, RegistrySettings)


async def _units_of_work(
    uow_factory: UnitOfWorkFactory,
) -> Callable[[], AbstractRegistryUnitOfWork]:
    return lambda: registry_unit_of_work(uow_factory())


SettingsDep = Annotated[RegistrySettings, Depends(_settings)]
# Opens the registry's unit of work (with its repositories), one per use case.
UnitsOfWork = Annotated[Callable[[], AbstractRegistryUnitOfWork], Depends(_units_of_work)]
