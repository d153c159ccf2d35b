"""The names of what is scored: what a reader of public scores shows instead of ids, having no
token to ask the registry with (the same names the open data's rows carry)."""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from quality.entrypoints.deps import Reader, UowFactoryDep
from quality.service_layer import open_data
from shared.platform.names import API_PREFIX

router = APIRouter(prefix=f"{API_PREFIX}/quality/names", tags=["names"])


# The response models are the whole of what is shown: a field not declared here (a contact,
# a tax id, a member) never leaves, whatever the projection holds.
class RegionName(BaseModel):
    code: str = Field(description="ISO 3166-2")
    name: str = Field(description="in Uzbek")
    name_uz: str
    name_ru: str
    name_en: str


class InstitutionName(BaseModel):
    id: str
    name: str
    region_code: str | None


class ClusterName(BaseModel):
    id: str
    name: str


class ProgramName(BaseModel):
    id: str
    name: str
    institution_id: str | None


class ScoredNames(BaseModel):
    regions: list[RegionName]
    organizations: list[InstitutionName] = Field(description="institutions (they own programs)")
    clusters: list[ClusterName]
    programs: list[ProgramName]


@router.get(
    "",
    response_model=ScoredNames,
    summary="Names of the scored regions, institutions, clusters and programs (ids and names only)",
)
async def scored_names(_: Reader, uow_factory: UowFactoryDep) -> dict[str, Any]:
    async with uow_factory() as uow:
        return await open_data.scored_names(uow)
