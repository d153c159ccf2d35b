"""/regions: every region, one region, and the ministry adding or renaming one."""

from dataclasses import asdict

from fastapi import APIRouter

from registry.entrypoints.deps import UnitsOfWork
from registry.entrypoints.schemas import RegionPublic, RegionUpsert
from registry.service_layer import regions as handlers
from shared.contracts.reference import Region
from shared.platform.names import API_PREFIX
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Page

router = APIRouter(prefix=f"{API_PREFIX}/regions", tags=["regions"])


def _public(region: Region) -> RegionPublic:
    return RegionPublic(**asdict(region), name=region.name_en)


@router.get("", response_model=Page[RegionPublic], summary="All regions")
async def list_regions(
    identity: CurrentIdentity, units: UnitsOfWork, country: str | None = None
) -> Page[RegionPublic]:
    async with units() as uow:
        regions = await handlers.listed(uow, identity, country=country or None)
    return Page(items=[_public(r) for r in regions], next_cursor=None)


@router.get("/{code}", response_model=RegionPublic, summary="One region")
async def get_region(code: str, identity: CurrentIdentity, units: UnitsOfWork) -> RegionPublic:
    async with units() as uow:
        return _public(await handlers.get(uow, identity, code))


@router.put("/{code}", response_model=RegionPublic, summary="Add or rename a region (ministry)")
async def put_region(
    code: str, body: RegionUpsert, identity: CurrentIdentity, units: UnitsOfWork
) -> RegionPublic:
    async with units() as uow:
        region = await handlers.put(uow, identity, Region(code=code, **body.model_dump()))
        await uow.commit()
    return _public(region)
