"""Regions: seeded with Uzbekistan's 14 divisions; other lists load from a file."""

import logging

from sqlalchemy import func, select

from registry import events
from registry.adapters.tables import regions
from shared.contracts import reference
from shared.platform.db.queries import now
from shared.platform.messaging.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


async def upsert_regions(uow: UnitOfWork, items: list[reference.Region]) -> int:
    """Insert or rename regions, publishing region.upserted for each that changed."""
    changed = 0
    for item in items:
        row = {
            "code": item.code,
            "country": item.country,
            "name_uz": item.name_uz,
            "name_ru": item.name_ru,
            "name_en": item.name_en,
        }
        existing = (
            (await uow.session.execute(select(regions).where(regions.c.code == item.code)))
            .mappings()
            .first()
        )
        if existing is None:
            await uow.session.execute(
                regions.insert().values(**row, created_at=now(), updated_at=now())
            )
        elif any(existing[k] != v for k, v in row.items()):
            await uow.session.execute(
                regions.update().where(regions.c.code == item.code).values(**row, updated_at=now())
            )
        else:
            continue
        uow.publish(events.region_upserted(row))
        changed += 1
    return changed


async def seed_if_empty(uow_factory) -> int:  # type: ignore[no-untyped-def]
    async with uow_factory() as uow:
        count = await uow.session.scalar(select(func.count()).select_from(regions))
        if count:
            return 0
        changed = await upsert_regions(uow, reference.regions("UZ"))
        await uow.commit()
    log.info("seeded regions", extra={"regions": changed})
    return changed
