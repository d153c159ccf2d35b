"""Methodology versions: the ministry publishes one, every score is recomputed with it."""

import logging
from collections.abc import Callable
from typing import Any

from quality import events
from quality.domain.access import ensure_may_publish_methodology
from quality.domain.methodology import DEFAULT_CONTENT, Content, as_read, next_version
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.platform.auth import Identity
from shared.platform.db.queries import now

log = logging.getLogger(__name__)


async def current_content(uow: AbstractQualityUnitOfWork) -> Content:
    """The latest published methodology (version 1, the default, until the ministry changes it)."""
    stored = await uow.methodologies.latest()
    return as_read(stored) if stored else DEFAULT_CONTENT


async def _store(uow: AbstractQualityUnitOfWork, content: Content) -> None:
    await uow.methodologies.add(content, published_at=now())
    uow.publish(events.methodology_published(content))


async def publish(
    uow: AbstractQualityUnitOfWork, identity: Identity, changes: dict[str, Any]
) -> Content:
    """The next version: the current one with ``changes`` applied; every score is recomputed.

    Does not commit: the caller does, once.
    """
    ensure_may_publish_methodology(identity)
    latest = await uow.methodologies.latest_version() or 1
    content = next_version(await current_content(uow), changes, latest=latest)
    await _store(uow, content)
    await uow.marks.mark_scored()
    return content


async def ensure_default(uow_factory: Callable[[], AbstractQualityUnitOfWork]) -> None:
    """Publish version 1 (the default) once, when no version is stored yet."""
    async with uow_factory() as uow:
        if await uow.methodologies.latest_version() is not None:
            return
        await _store(uow, DEFAULT_CONTENT)
        await uow.commit()
    log.info("published the default methodology (version 1)")
