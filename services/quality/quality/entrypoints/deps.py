"""Dependencies the quality routers share: typed settings, the quality unit of work, readers."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from quality.config import QualitySettings
from quality.domain.access import ensure_may_read_scores, reads_without_token
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork, quality_uow
from shared.platform.auth import Identity
from shared.platform.web.deps import UnitOfWorkFactory, service_settings
from shared.platform.web.identity import current_identity


def _settings(request: Request) -> QualitySettings:
    return service_settings(request, QualitySettings)


SettingsDep = Annotated[QualitySettings, Depends(_settings)]


def _uow_factory(factory: UnitOfWorkFactory) -> Callable[[], AbstractQualityUnitOfWork]:
    return lambda: quality_uow(factory())


# A new quality unit of work per call: ``async with uow_factory() as uow: ...``.
UowFactoryDep = Annotated[Callable[[], AbstractQualityUnitOfWork], Depends(_uow_factory)]


async def _reader(request: Request, settings: SettingsDep) -> Identity | None:
    """The caller of a read of scores, alerts or the methodology; None for an anonymous caller
    when scores are public."""
    if reads_without_token(public_scores=settings.public_scores) and (
        "authorization" not in request.headers
    ):
        return None
    identity = await current_identity(request)
    ensure_may_read_scores(identity)
    return identity


Reader = Annotated[Identity | None, Depends(_reader)]
