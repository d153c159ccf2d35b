from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import select

from assessment.adapters.tables import frameworks
from shared.auth import CurrentIdentity, forbidden
from shared.web.deps import UnitOfWorkFactory
from shared.web.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor
from shared.web.problems import ProblemError

router = APIRouter(prefix="/api/v1/frameworks", tags=["frameworks"])


class FrameworkPublic(BaseModel):
    id: str
    code: str
    version: int
    name: dict[str, str]
    source: dict[str, str]
    scale: dict[str, Any]
    domains: list[dict[str, Any]]


def _public(row: Any) -> dict[str, Any]:
    content = row["content"]
    return {
        "id": row["id"],
        "code": row["code"],
        "version": row["version"],
        "name": content["name"],
        "source": content.get("source", {}),
        "scale": content["scale"],
        "domains": content["domains"],
    }


@router.get("", response_model=Page[FrameworkPublic], summary="Published frameworks")
async def list_frameworks(
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    limit: Limit = 20,
    cursor: Cursor = None,
):
    if identity.is_("operator"):
        raise forbidden("operators have no access to frameworks")
    statement = select(frameworks).order_by(frameworks.c.id).limit(limit + 1)
    after = decode_cursor(cursor)
    if after:
        statement = statement.where(frameworks.c.id > after)
    async with uow_factory() as uow:
        rows = list((await uow.session.execute(statement)).mappings())
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [_public(r) for r in rows],
        "next_cursor": encode_cursor(rows[-1]["id"]) if more else None,
    }


@router.get("/{framework_id}", response_model=FrameworkPublic, summary="One framework")
async def get_framework(
    framework_id: str, identity: CurrentIdentity, uow_factory: UnitOfWorkFactory
):
    if identity.is_("operator"):
        raise forbidden("operators have no access to frameworks")
    async with uow_factory() as uow:
        row = (
            (await uow.session.execute(select(frameworks).where(frameworks.c.id == framework_id)))
            .mappings()
            .first()
        )
    if row is None:
        raise ProblemError(404, "Not Found", f"framework {framework_id} does not exist")
    return _public(row)
