"""Where a cluster's and a region's graduates work on the census date."""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from quality.domain.access import ensure_may_read_live
from quality.entrypoints.deps import LAST_PUBLICATION, NamedReader, UowFactoryDep
from quality.entrypoints.schemas import GraduateFlows
from quality.service_layer import flows
from quality.service_layer.reading import LIVE, View
from shared.platform.auth import Identity
from shared.platform.errors import InvalidQuery
from shared.platform.names import API_PREFIX

router = APIRouter(prefix=f"{API_PREFIX}/quality", tags=["quality"])
Cohort = Annotated[int, Query(ge=1950, le=2100, description="the graduation year")]
FlowView = Annotated[
    Literal["published", "live"] | None,
    Query(
        description="published: as the latest publication of the cohort's census year (cohort "
        "+ 1) states them, every scope protected together (everyone's default); live: as the "
        "facts stand now (the ministry only, and its default)"
    ),
]
FlowPublication = Annotated[
    int | None,
    Query(
        ge=1,
        le=LAST_PUBLICATION,
        description="one publication's flows (a published publication of the census year)",
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
    view: FlowView = None,
    publication: FlowPublication = None,
) -> dict[str, Any]:
    async with uow_factory() as uow:
        return await flows.cluster_flows(
            uow,
            reader,
            cluster_id,
            cohort=cohort,
            today=date.today(),
            view=_view(reader, view, publication),
        )


@router.get("/regions/{region_code}/flows", response_model=GraduateFlows, summary=SUMMARY)
async def get_region_flows(
    region_code: str,
    cohort: Cohort,
    reader: NamedReader,
    uow_factory: UowFactoryDep,
    view: FlowView = None,
    publication: FlowPublication = None,
) -> dict[str, Any]:
    async with uow_factory() as uow:
        return await flows.region_flows(
            uow,
            reader,
            region_code,
            cohort=cohort,
            today=date.today(),
            view=_view(reader, view, publication),
        )


def _view(reader: Identity, view: str | None, publication: int | None) -> View:
    """The ministry reads live flows unless it asks for a publication's; everyone else reads
    the publications' (as every score read: entrypoints/deps.py)."""
    if view == "live" or (view is None and publication is None and reader.is_("ministry")):
        ensure_may_read_live(reader)
        if publication is not None:
            raise InvalidQuery(("query", "publication"), "a live read names no publication")
        return LIVE
    return View(publication=publication)
