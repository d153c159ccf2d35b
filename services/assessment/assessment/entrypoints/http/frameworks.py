"""/frameworks: competency frameworks, published by the ministry, immutable once published."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from assessment.entrypoints.deps import FrameworkReader, UowFactoryDep
from assessment.entrypoints.schemas import FrameworkCreate, FrameworkPublic
from assessment.service_layer import frameworks as handlers
from assessment.service_layer.commands import PublishFramework
from assessment.service_layer.unit_of_work import assessment_uow
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.names import API_PREFIX
from shared.platform.web.idempotency import CreateOnce
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page

router = APIRouter(prefix=f"{API_PREFIX}/frameworks", tags=["frameworks"])


@router.post(
    "",
    status_code=201,
    response_model=FrameworkPublic,
    summary="Publish a framework version (ministry); it is immutable from then on",
)
async def publish_framework(
    body: FrameworkCreate, identity: CurrentIdentity, create: CreateOnce
) -> JSONResponse:
    command = PublishFramework(**body.model_dump())

    async def run(uow: UnitOfWork) -> FrameworkPublic:
        framework = await handlers.publish_next_version(assessment_uow(uow), identity, command)
        return FrameworkPublic.of(framework)

    return await create(body, public=FrameworkPublic, run=run)


@router.get("", response_model=Page[FrameworkPublic], summary="Published frameworks")
async def list_frameworks(
    identity: FrameworkReader,
    uow_factory: UowFactoryDep,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> Page[FrameworkPublic]:
    async with uow_factory() as uow:
        page = await handlers.list_frameworks(uow, identity, limit=limit, cursor=cursor)
    return Page(items=[FrameworkPublic.of(f) for f in page.items], next_cursor=page.next_cursor)


@router.get("/{framework_id}", response_model=FrameworkPublic, summary="One framework")
async def get_framework(
    framework_id: str, identity: FrameworkReader, uow_factory: UowFactoryDep
) -> FrameworkPublic:
    async with uow_factory() as uow:
        return FrameworkPublic.of(await handlers.get_framework(uow, identity, framework_id))
