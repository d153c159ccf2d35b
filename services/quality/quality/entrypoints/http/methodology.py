"""The methodology scores are built with: read it, publish the next version (ministry)."""

from fastapi import APIRouter

from quality.domain.methodology import Content
from quality.entrypoints.deps import Reader, UowFactoryDep
from quality.entrypoints.schemas import MethodologyChange, MethodologyPublic
from quality.service_layer import methodology as handlers
from shared.platform.names import API_PREFIX
from shared.platform.web.identity import CurrentIdentity

router = APIRouter(prefix=f"{API_PREFIX}/quality/methodology", tags=["methodology"])


@router.get("", response_model=MethodologyPublic, summary="The methodology scores are built with")
async def get_methodology(_: Reader, uow_factory: UowFactoryDep) -> Content:
    async with uow_factory() as uow:
        return await handlers.current_content(uow)


@router.post(
    "",
    status_code=201,
    response_model=MethodologyPublic,
    summary="Publish the next methodology version (ministry); every score is recomputed",
)
async def publish_methodology(
    body: MethodologyChange, identity: CurrentIdentity, uow_factory: UowFactoryDep
) -> Content:
    async with uow_factory() as uow:
        content = await handlers.publish(uow, identity, body.model_dump(exclude_none=True))
        await uow.commit()
    return content
