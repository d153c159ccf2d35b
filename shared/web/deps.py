"""FastAPI dependencies every service's routers share."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from shared.db.unit_of_work import UnitOfWork


def _uow_factory(request: Request) -> Callable[[], UnitOfWork]:
    return request.app.state.runtime.uow_factory


UnitOfWorkFactory = Annotated[Callable[[], UnitOfWork], Depends(_uow_factory)]
