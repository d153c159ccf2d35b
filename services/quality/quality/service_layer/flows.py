"""Where a cluster's and a region's graduates work on the census date (domain/flows.py).

Read from the registry's facts as the projection holds them (employments, never assessments),
under the disclosure rules of every figure: the methodology's thresholds and counting states,
its interval level and rounding, and nothing before the cohort's census window has closed.
"""

from datetime import date
from typing import Any

from quality.domain.flows import (
    Destinations,
    ensure_may_read_region_flows,
    flow_cells,
    flow_figures,
)
from quality.domain.methodology import from_json
from quality.domain.outcomes import census_date
from quality.domain.scorecard import round_figure
from quality.service_layer.activities import readable_cluster
from quality.service_layer.methodology import current_content
from quality.service_layer.scoreboard import outcomes_pending
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.platform.auth import Identity
from shared.platform.errors import NotFound

Document = dict[str, Any]


async def cluster_flows(
    uow: AbstractQualityUnitOfWork, identity: Identity, cluster_id: str, *, cohort: int, today: date
) -> Document:
    """The flows of the graduates of the programs of the institutions that were members during
    the census year; the member employers are those that were members on the census date."""
    cluster = await readable_cluster(uow, identity, cluster_id)
    sectors = sorted(cluster.get("sectors") or ())
    destinations = Destinations(
        region_code=cluster["region_code"],
        members=frozenset(await uow.projection.members_on([cluster_id], census_date(cohort))),
        sectors=frozenset(sectors),
    )
    return await _flows(uow, ("cluster", cluster_id), destinations, cohort=cohort, today=today) | {
        "sectors": sectors
    }


async def region_flows(
    uow: AbstractQualityUnitOfWork,
    identity: Identity,
    region_code: str,
    *,
    cohort: int,
    today: date,
) -> Document:
    """The flows of the graduates of the region's institutions; its focus is that of its
    active clusters (their members and sectors together)."""
    ensure_may_read_region_flows(identity, region_code=region_code)
    if region_code not in set((await uow.queries.organization_regions()).values()):
        raise NotFound("region", region_code)
    clusters = await uow.projection.clusters_in(region_code)
    sectors = sorted({s for cluster in clusters for s in cluster.get("sectors") or ()})
    members = await uow.projection.members_on([c["id"] for c in clusters], census_date(cohort))
    destinations = Destinations(region_code, frozenset(members), frozenset(sectors))
    return await _flows(uow, ("region", region_code), destinations, cohort=cohort, today=today) | {
        "sectors": sectors,
        "clusters": [c["id"] for c in clusters],
    }


async def _flows(
    uow: AbstractQualityUnitOfWork,
    scope: tuple[str, str],
    destinations: Destinations,
    *,
    cohort: int,
    today: date,
) -> Document:
    methodology = from_json(await current_content(uow))
    jobs = await uow.projection.census_jobs(
        cohort,
        scope=scope[0],
        scope_id=scope[1],
        counting=methodology.counting_employment_states,
    )
    figures = flow_figures(
        flow_cells(jobs, destinations),
        thresholds=methodology.thresholds,
        level=methodology.interval_level,
        pending=outcomes_pending(cohort + 1, methodology, today=today),
    )
    decimals = methodology.rounding.share_decimals
    return {
        "scope": scope[0],
        "scope_id": scope[1],
        "region_code": destinations.region_code,
        "cohort": cohort,
        "census_date": census_date(cohort),
        "interval_level": methodology.interval_level,
        "n": next(iter(figures.values())).n,
        "flows": [
            {"flow": flow.value, **round_figure(figure.to_json(), decimals)}
            for flow, figure in figures.items()
        ],
    }
