"""Methodology versions: the ministry publishes one, every score is recomputed with it."""

import logging
from dataclasses import asdict
from typing import Any

from sqlalchemy import func, select

from quality.adapters.tables import methodologies
from quality.domain.index import DEFAULT_METHODOLOGY, Methodology
from quality.domain.suppression import SuppressionThresholds
from quality.service_layer.dirty import mark_scored
from shared.contracts.catalogue.quality import MethodologyPublished
from shared.platform.auth import Identity, forbidden
from shared.platform.db.queries import now
from shared.platform.errors import RuleViolation
from shared.platform.messaging.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

# An index below this raises an alert (part of the methodology, so the ministry can move it).
DEFAULT_ALERT_INDEX_BELOW = 50.0


def to_json(methodology: Methodology, *, alert_index_below: float) -> dict[str, Any]:
    return {
        "version": methodology.version,
        "weights": dict(methodology.weights),
        "interval_level": methodology.interval_level,
        "thresholds": asdict(methodology.thresholds),
        "min_published_weight_share": methodology.min_published_weight_share,
        "satisfied_threshold": methodology.satisfied_threshold,
        "alert_index_below": alert_index_below,
    }


def from_json(content: dict[str, Any]) -> Methodology:
    return Methodology(
        version=content["version"],
        weights=content["weights"],
        interval_level=content["interval_level"],
        thresholds=SuppressionThresholds(**content["thresholds"]),
        min_published_weight_share=content["min_published_weight_share"],
        satisfied_threshold=content["satisfied_threshold"],
    )


DEFAULT_CONTENT = to_json(DEFAULT_METHODOLOGY, alert_index_below=DEFAULT_ALERT_INDEX_BELOW)


async def current_content(uow: UnitOfWork) -> dict[str, Any]:
    """The latest published methodology (version 1, the default, until the ministry changes it)."""
    content = await uow.session.scalar(
        select(methodologies.c.content).order_by(methodologies.c.version.desc()).limit(1)
    )
    return content or DEFAULT_CONTENT


async def _store(uow: UnitOfWork, content: dict[str, Any]) -> None:
    await uow.session.execute(
        methodologies.insert().values(
            version=content["version"], content=content, published_at=now()
        )
    )
    uow.publish(
        MethodologyPublished(
            version=content["version"],
            weights=content["weights"],
            interval_level=content["interval_level"],
            thresholds={
                **content["thresholds"],
                "min_published_weight_share": content["min_published_weight_share"],
                "satisfied_threshold": content["satisfied_threshold"],
                "alert_index_below": content["alert_index_below"],
            },
        )
    )


async def publish(uow: UnitOfWork, identity: Identity, changes: dict[str, Any]) -> dict[str, Any]:
    """The next version: the current one with ``changes`` applied; every score is recomputed."""
    if not identity.is_("ministry"):
        raise forbidden("only the ministry publishes the methodology")
    latest = await uow.session.scalar(select(func.max(methodologies.c.version))) or 1
    content = {**await current_content(uow), **changes, "version": latest + 1}
    try:
        from_json(content)  # refuses inconsistent weights, levels and thresholds
    except ValueError as error:
        raise RuleViolation("methodology", str(error)) from error
    await _store(uow, content)
    await mark_scored(uow)
    return content


async def ensure_default(uow_factory) -> None:  # type: ignore[no-untyped-def]
    async with uow_factory() as uow:
        if await uow.session.scalar(select(func.count()).select_from(methodologies)):
            return
        await _store(uow, DEFAULT_CONTENT)
        await uow.commit()
    log.info("published the default methodology (version 1)")
