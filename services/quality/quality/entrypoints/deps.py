"""Dependencies the quality routers share: typed settings, the quality unit of work, readers."""

from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import Depends, Query, Request

from quality.config import QualitySettings
from quality.domain.access import ensure_may_read_live, ensure_may_read_scores, reads_without_token
from quality.service_layer.reading import LIVE, View
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork, quality_uow
from shared.platform.auth import Identity
from shared.platform.errors import InvalidQuery
from shared.platform.web.deps import ReadUnitOfWorkFactory, UnitOfWorkFactory, service_settings
from shared.platform.web.identity import current_identity

# A year a figure can be about (assessments accept 1990..2100): queries build dates from it,
# and outside what `datetime.date` holds that was a 500.
FIRST_PERIOD, LAST_PERIOD = 1990, 2100
Period = Annotated[int, Query(ge=FIRST_PERIOD, le=LAST_PERIOD, description="one year")]
OptionalPeriod = Annotated[
    int | None, Query(ge=FIRST_PERIOD, le=LAST_PERIOD, description="one year")
]
# The highest publication number the database stores (a 32-bit integer column).
LAST_PUBLICATION = 2**31 - 1


async def _settings(request: Request) -> QualitySettings:
    return service_settings(request, QualitySettings)


SettingsDep = Annotated[QualitySettings, Depends(_settings)]


async def _uow_factory(factory: UnitOfWorkFactory) -> Callable[[], AbstractQualityUnitOfWork]:
    return lambda: quality_uow(factory())


# A new quality unit of work per call: ``async with uow_factory() as uow: ...``.
UowFactoryDep = Annotated[Callable[[], AbstractQualityUnitOfWork], Depends(_uow_factory)]


async def _read_uow_factory(
    factory: ReadUnitOfWorkFactory,
) -> Callable[[], AbstractQualityUnitOfWork]:
    return lambda: quality_uow(factory())


# Units of work that only read (no write lock on SQLite), whatever the request's method.
ReadUowFactoryDep = Annotated[Callable[[], AbstractQualityUnitOfWork], Depends(_read_uow_factory)]


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


async def _named_reader(request: Request) -> Identity:
    """The caller of a read that is never anonymous, public scores or not (alerts name units
    and what went wrong with them)."""
    identity = await current_identity(request)
    ensure_may_read_scores(identity)
    return identity


NamedReader = Annotated[Identity, Depends(_named_reader)]


async def _view(
    reader: Reader,
    view: Literal["published", "live"] | None = Query(
        default=None,
        description="published: the latest publication of each period (everyone's default); "
        "live: the figures as they move (the ministry only, and its default)",
    ),
    publication: int | None = Query(
        default=None, ge=1, le=LAST_PUBLICATION, description="one publication's figures"
    ),
) -> View:
    """Which figures the caller reads (reading.View)."""
    ministry = reader is not None and reader.is_("ministry")
    if view == "live" or (view is None and publication is None and ministry):
        ensure_may_read_live(reader)
        if publication is not None:
            raise InvalidQuery(("query", "publication"), "a live read names no publication")
        return LIVE
    return View(publication=publication)


ViewDep = Annotated[View, Depends(_view)]
