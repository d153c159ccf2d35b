"""Regions: seeded with Uzbekistan's 14 divisions; the ministry adds or renames others."""

import logging
from collections.abc import Callable, Sequence

from registry import events
from registry.domain import access, rules
from registry.service_layer.unit_of_work import AbstractRegistryUnitOfWork
from shared.contracts import reference
from shared.platform.auth import Identity
from shared.platform.errors import NotFound

log = logging.getLogger(__name__)


async def upsert_regions(uow: AbstractRegistryUnitOfWork, items: Sequence[reference.Region]) -> int:
    """Insert or rename regions, publishing region.upserted for each that changed."""
    regions = uow.regions
    changed = 0
    for item in items:
        existing = await regions.get(item.code)
        if existing is None:
            await regions.add(item)
        elif existing != item:
            await regions.rename(item)
        else:
            continue
        uow.publish(events.region_upserted(item))
        changed += 1
    return changed


async def put(
    uow: AbstractRegistryUnitOfWork, identity: Identity, region: reference.Region
) -> reference.Region:
    """Add or rename one region (the ministry only)."""
    access.can_manage_regions(identity)
    rules.check_region_code(region.code, region.country)
    await upsert_regions(uow, [region])
    return region


async def get(uow: AbstractRegistryUnitOfWork, identity: Identity, code: str) -> reference.Region:
    access.can_read_registry(identity)
    region = await uow.regions.get(code)
    if region is None:
        raise NotFound("region", code)
    return region


async def listed(
    uow: AbstractRegistryUnitOfWork, identity: Identity, *, country: str | None = None
) -> list[reference.Region]:
    access.can_read_registry(identity)
    return await uow.regions.listed(country=country)


async def seed_if_empty(units: Callable[[], AbstractRegistryUnitOfWork]) -> int:
    """Load Uzbekistan's regions into an empty registry (once, at the first start)."""
    async with units() as uow:
        if await uow.regions.count():
            return 0
        changed = await upsert_regions(uow, reference.regions("UZ"))
        await uow.commit()
    log.info("seeded regions", extra={"regions": changed})
    return changed
