import re

from fastapi import APIRouter
from sqlalchemy import select

from registry.adapters.tables import regions
from registry.domain import access
from registry.entrypoints.schemas import RegionPublic, RegionUpsert
from registry.service_layer.regions import upsert_regions
from shared.contracts import reference
from shared.platform.db.queries import fetch_one
from shared.platform.errors import RuleViolation
from shared.platform.names import API_PREFIX
from shared.platform.web.deps import UnitOfWorkFactory
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Page

router = APIRouter(prefix=f"{API_PREFIX}/regions", tags=["regions"])


def _public(row) -> dict:  # type: ignore[no-untyped-def]
    return {**row, "name": row["name_en"]}


@router.get("", response_model=Page[RegionPublic], summary="All regions")
async def list_regions(
    identity: CurrentIdentity, uow_factory: UnitOfWorkFactory, country: str | None = None
):
    access.can_read_registry(identity)
    statement = select(regions).order_by(regions.c.code)
    if country:
        statement = statement.where(regions.c.country == country)
    async with uow_factory() as uow:
        rows = (await uow.session.execute(statement)).mappings()
        return {"items": [_public(r) for r in rows], "next_cursor": None}


@router.get("/{code}", response_model=RegionPublic, summary="One region")
async def get_region(code: str, identity: CurrentIdentity, uow_factory: UnitOfWorkFactory):
    access.can_read_registry(identity)
    async with uow_factory() as uow:
        return _public(await fetch_one(uow.session, regions, code, "region"))


@router.put("/{code}", response_model=RegionPublic, summary="Add or rename a region (ministry)")
async def put_region(
    code: str, body: RegionUpsert, identity: CurrentIdentity, uow_factory: UnitOfWorkFactory
):
    access.require(identity.is_("ministry"), "only the ministry manages regions")
    if not re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", code) or not code.startswith(body.country):
        raise RuleViolation("code", "an ISO 3166-2 code of the region's country, e.g. UZ-SA")
    item = reference.Region(code=code, **body.model_dump())
    async with uow_factory() as uow:
        await upsert_regions(uow, [item])
        await uow.commit()
        return _public(await fetch_one(uow.session, regions, code, "region"))
