"""Where a cluster's and a region's graduates work on the census date."""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from quality.entrypoints.deps import NamedReader, UowFactoryDep, WriterUowFactoryDep
from quality.entrypoints.schemas import GraduateFlows
from quality.service_layer import flows
from shared.platform.auth import Identity
from shared.platform.names import API_PREFIX

router = APIRouter(prefix=f"{API_PREFIX}/quality", tags=["quality"])
Cohort = Annotated[int, Query(ge=1950, le=2100, description="the graduation year")]
FlowView = Annotated[
    Literal["published", "live"] | None,
    Query(
        description="published: the cohort's release, every scope protected together and kept "
        "(everyone's default); live: as the facts stand now (the ministry only, and its default)"
    ),
]
SUMMARY = (
    "Where the cohort's employed graduates work on its census date: the member employers, the "
    "focus sectors, elsewhere in the region or outside it, as shares with their intervals"
)


@router.get("/clusters/{cluster_id}/flows", response_model=GraduateFlows, summary=SUMMARY)
async def get_cluster_flows(
    cluster_id: str,
    cohort: Cohort,
    reader: NamedReader,
    uow_factory: UowFactoryDep,
    writer: WriterUowFactoryDep,
    view: FlowView = None,
) -> dict[str, Any]:
    async with uow_factory() as uow:
        return await flows.cluster_flows(
            uow,
            reader,
            cluster_id,
            cohort=cohort,
            today=date.today(),
            live=_live(reader, view),
            writer=writer,
        )


@router.get("/regions/{region_code}/flows", response_model=GraduateFlows, summary=SUMMARY)
async def get_region_flows(
    region_code: str,
    cohort: Cohort,
    reader: NamedReader,
    uow_factory: UowFactoryDep,
    writer: WriterUowFactoryDep,
    view: FlowView = None,
) -> dict[str, Any]:
    async with uow_factory() as uow:
        return await flows.region_flows(
            uow,
            reader,
            region_code,
            cohort=cohort,
            today=date.today(),
            live=_live(reader, view),
            writer=writer,
        )


def _live(reader: Identity, view: str | None) -> bool:
    return view == "live" or (view is None and reader.is_("ministry"))
