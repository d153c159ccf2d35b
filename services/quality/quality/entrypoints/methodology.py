from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from quality.entrypoints.scores import Reader
from quality.service_layer import methodology as handlers
from shared.platform.names import API_PREFIX
from shared.platform.web.deps import UnitOfWorkFactory
from shared.platform.web.identity import CurrentIdentity

router = APIRouter(prefix=f"{API_PREFIX}/quality/methodology", tags=["methodology"])

Weight = Annotated[float, Field(ge=0, le=1)]


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_share_n: int = Field(ge=1)
    min_mean_n: int = Field(ge=2)
    min_employers: int = Field(ge=1)
    min_graduates: int = Field(ge=1)


class MethodologyChange(BaseModel):
    """What changes in the next version; everything left out is kept from the current one."""

    model_config = ConfigDict(extra="forbid")
    weights: (
        dict[
            Annotated[
                str,
                Field(
                    pattern="^(employer_satisfaction|preparedness|competency_mean|"
                    "employed_12m|employed_in_field)$"
                ),
            ],
            Weight,
        ]
        | None
    ) = None
    interval_level: float | None = Field(default=None, ge=0.5, le=0.999)
    thresholds: Thresholds | None = None
    min_published_weight_share: float | None = Field(default=None, ge=0, le=1)
    satisfied_threshold: int | None = Field(default=None, ge=2, le=5)
    alert_index_below: float | None = Field(default=None, ge=0, le=100)


class MethodologyPublic(BaseModel):
    version: int
    weights: dict[str, float]
    interval_level: float
    thresholds: dict[str, Any]
    min_published_weight_share: float
    satisfied_threshold: int
    alert_index_below: float


@router.get("", response_model=MethodologyPublic, summary="The methodology scores are built with")
async def get_methodology(_: Reader, uow_factory: UnitOfWorkFactory):
    async with uow_factory() as uow:
        return await handlers.current_content(uow)


@router.post(
    "",
    status_code=201,
    response_model=MethodologyPublic,
    summary="Publish the next methodology version (ministry); every score is recomputed",
)
async def publish_methodology(
    body: MethodologyChange, identity: CurrentIdentity, uow_factory: UnitOfWorkFactory
):
    async with uow_factory() as uow:
        content = await handlers.publish(uow, identity, body.model_dump(exclude_none=True))
        await uow.commit()
    return content
