"""A cluster's activities against the figures: intensity, relation to quality change, goals."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from quality.domain.activities import ProgramActivityKind
from quality.entrypoints.deps import NamedReader, UowFactoryDep, ViewDep
from quality.entrypoints.schemas import ActivityEffect, ActivityIntensity, GoalProgress
from quality.service_layer import activities, activities_goals
from quality.service_layer.activities import Comparable
from shared.platform.names import API_PREFIX

router = APIRouter(prefix=f"{API_PREFIX}/quality/clusters", tags=["quality"])


@router.get(
    "/{cluster_id}/activities/intensity",
    response_model=ActivityIntensity,
    summary="Placements per 100 graduates, staff trained and guest teaching, per year (as the "
    "publications state them; live: the ministry)",
)
async def get_intensity(
    cluster_id: str,
    reader: NamedReader,
    uow_factory: UowFactoryDep,
    view: ViewDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> dict[str, Any]:
    async with uow_factory() as uow:
        return await activities.intensity(uow, reader, cluster_id, year=year, view=view)


@router.get(
    "/{cluster_id}/activities/effect",
    response_model=ActivityEffect,
    summary="Programs that joined an activity against comparable programs that did not: a "
    "difference in differences of published figures (an association, not proof)",
)
async def get_effect(
    cluster_id: str,
    reader: NamedReader,
    uow_factory: UowFactoryDep,
    kind: ProgramActivityKind = "internship",
    window: Annotated[int, Query(ge=1, le=5, description="years before and after")] = 2,
    compare_with: Annotated[
        Comparable,
        Query(description="comparable programs: same field and level, or same region"),
    ] = "field_level",
) -> dict[str, Any]:
    async with uow_factory() as uow:
        return await activities.effect(
            uow, reader, cluster_id, kind=kind, window=window, compare_with=compare_with
        )


@router.get(
    "/{cluster_id}/goals/progress",
    response_model=GoalProgress,
    summary="Each strategy goal's latest published figure against its target",
)
async def get_goal_progress(
    cluster_id: str, reader: NamedReader, uow_factory: UowFactoryDep
) -> dict[str, Any]:
    async with uow_factory() as uow:
        return await activities_goals.goal_progress(uow, reader, cluster_id)
