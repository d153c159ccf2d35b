"""FastAPI dependencies every service's routers share."""

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request

from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings)


_READS = frozenset({"GET", "HEAD"})

# Dependencies here and in each service's entrypoints/deps.py are ``async def`` though they do
# not wait: FastAPI runs a plain ``def`` dependency in a worker thread, a hand-off per request
# that costs more than the little they do.


async def _uow_factory(request: Request) -> Callable[[], UnitOfWork]:
    # A request that only reads gets units of work that take no write lock (SQLite).
    runtime = request.app.state.runtime
    reads = request.method in _READS
    factory: Callable[[], UnitOfWork] = runtime.read_uow_factory if reads else runtime.uow_factory
    return factory


UnitOfWorkFactory = Annotated[Callable[[], UnitOfWork], Depends(_uow_factory)]


async def _read_uow_factory(request: Request) -> Callable[[], UnitOfWork]:
    factory: Callable[[], UnitOfWork] = request.app.state.runtime.read_uow_factory
    return factory


# Units of work that only read, whatever the method (e.g. a write's checks before its commit).
ReadUnitOfWorkFactory = Annotated[Callable[[], UnitOfWork], Depends(_read_uow_factory)]


def service_settings(request: Request, kind: type[S]) -> S:
    """The running service's settings, checked to be of its own settings class.

    Each service's ``entrypoints/deps.py`` wraps this in a typed ``SettingsDep``.
    """
    settings = request.app.state.runtime.settings
    if not isinstance(settings, kind):
        raise TypeError(f"this app runs with {type(settings).__name__}, not {kind.__name__}")
    return settings
