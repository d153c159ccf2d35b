from typing import Any

from fastapi import APIRouter, Request

from assessment.adapters.tables import frameworks
from assessment.entrypoints.schemas import FrameworkCreate, FrameworkPublic
from assessment.service_layer import frameworks as handlers
from shared.platform.auth import Identity, forbidden
from shared.platform.db.queries import fetch_one, fetch_page
from shared.platform.names import API_PREFIX
from shared.platform.web.deps import UnitOfWorkFactory
from shared.platform.web.idempotency import IdempotencyKey, create_once, fingerprint
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page

router = APIRouter(prefix=f"{API_PREFIX}/frameworks", tags=["frameworks"])


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


@router.post(
    "",
    status_code=201,
    response_model=FrameworkPublic,
    summary="Publish a framework version (ministry); it is immutable from then on",
)
async def publish_framework(
    body: FrameworkCreate,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    request: Request,
    idempotency_key: IdempotencyKey = None,
):
    async def create(uow):  # type: ignore[no-untyped-def]
        return _public(await handlers.publish_next_version(uow, identity, body.model_dump()))

    return await create_once(
        uow_factory,
        principal=identity.sub,
        key=idempotency_key,
        request_print=fingerprint("POST", request.url.path, body.model_dump(mode="json")),
        public=FrameworkPublic,
        create=create,
    )


@router.get("", response_model=Page[FrameworkPublic], summary="Published frameworks")
async def list_frameworks(
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    limit: Limit = 20,
    cursor: Cursor = None,
):
    _may_read(identity)
    async with uow_factory() as uow:
        page = await fetch_page(uow.session, frameworks, filters=[], limit=limit, cursor=cursor)
    return Page(items=[_public(r) for r in page.items], next_cursor=page.next_cursor)


@router.get("/{framework_id}", response_model=FrameworkPublic, summary="One framework")
async def get_framework(
    framework_id: str, identity: CurrentIdentity, uow_factory: UnitOfWorkFactory
):
    _may_read(identity)
    async with uow_factory() as uow:
        return _public(await fetch_one(uow.session, frameworks, framework_id, "framework"))


def _may_read(identity: Identity) -> None:
    if identity.is_("operator"):
        raise forbidden("operators have no access to frameworks")
