"""The gateway's route dependencies: its typed settings, its unit of work, the event feed and
the open streams' quota."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from gateway.config import GatewaySettings
from gateway.service_layer.feed import EventFeed, StreamQuota
from gateway.service_layer.unit_of_work import AbstractGatewayUnitOfWork, gateway_units
from shared.platform.web.deps import UnitOfWorkFactory, service_settings


async def _settings(request: Request) -> GatewaySettings:
    return service_settings(request, GatewaySettings)


SettingsDep = Annotated[GatewaySettings, Depends(_settings)]


async def _units(factory: UnitOfWorkFactory) -> Callable[[], AbstractGatewayUnitOfWork]:
    return gateway_units(factory)


Units = Annotated[Callable[[], AbstractGatewayUnitOfWork], Depends(_units)]


async def _feed(request: Request, settings: SettingsDep, units: Units) -> EventFeed:
    """The process's feed, made on first use (one per app, so tests can run several)."""
    feed: EventFeed | None = getattr(request.app.state, "quality_event_feed", None)
    if feed is None:
        feed = EventFeed(units, poll_s=settings.sse_poll_s)
        request.app.state.quality_event_feed = feed
    return feed


Feed = Annotated[EventFeed, Depends(_feed)]


async def _quota(request: Request, settings: SettingsDep) -> StreamQuota:
    """The process's count of open event streams, made on first use."""
    quota: StreamQuota | None = getattr(request.app.state, "event_stream_quota", None)
    if quota is None:
        quota = StreamQuota(
            per_principal=settings.sse_max_streams_per_principal,
            per_address=settings.sse_max_streams_per_address,
        )
        request.app.state.event_stream_quota = quota
    return quota


Quota = Annotated[StreamQuota, Depends(_quota)]
