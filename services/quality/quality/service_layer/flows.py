"""Where a cluster's and a region's graduates work on the census date (domain/flows.py).

Read from the registry's facts as the projection holds them (employments, never assessments),
under the disclosure rules of every figure: the methodology's thresholds and counting states,
its interval level and rounding, and nothing before the cohort's census window has closed.
Everyone but the ministry reads a cohort's *release*: every scope's flows computed and
protected together once (domain/flow_release.py), at the first read after the window closed,
and kept — facts recorded later never move a released figure, so two reads a day apart give
nothing away. The ministry reads the live flows too.
"""

from collections.abc import Callable
from contextlib import nullcontext
from datetime import UTC, date, datetime
from typing import Any

from quality.domain.access import ensure_may_read_live
from quality.domain.flow_release import release
from quality.domain.flows import (
    Destinations,
    Flow,
    ensure_may_read_region_flows,
    flow_cells,
    flow_figures,
    placements,
)
from quality.domain.index import Methodology
from quality.domain.methodology import from_json
from quality.domain.outcomes import census_date
from quality.domain.scorecard import Figure, round_figure
from quality.service_layer.activities import readable_cluster
from quality.service_layer.methodology import current_content
from quality.service_layer.scoreboard import outcomes_pending
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.platform.auth import Identity
from shared.platform.errors import NotFound

Document = dict[str, Any]
Scope = tuple[str, str]
Writer = Callable[[], AbstractQualityUnitOfWork]


async def cluster_flows(
    uow: AbstractQualityUnitOfWork,
    identity: Identity,
    cluster_id: str,
    *,
    cohort: int,
    today: date,
    live: bool = False,
    writer: Writer | None = None,
) -> Document:
    """The flows of the graduates of the programs of the institutions that were members during
    the census year; the member employers are those that were members on the census date."""
    cluster = await readable_cluster(uow, identity, cluster_id)
    scope = ("cluster", cluster_id)
    return await _read(uow, identity, scope, cluster, cohort, today, live, writer)


async def region_flows(
    uow: AbstractQualityUnitOfWork,
    identity: Identity,
    region_code: str,
    *,
    cohort: int,
    today: date,
    live: bool = False,
    writer: Writer | None = None,
) -> Document:
    """The flows of the graduates of the region's institutions; its focus is that of its
    active clusters (their members and sectors together)."""
    ensure_may_read_region_flows(identity, region_code=region_code)
    if region_code not in set((await uow.queries.organization_regions()).values()):
        raise NotFound("region", region_code)
    scope = ("region", region_code)
    return await _read(uow, identity, scope, None, cohort, today, live, writer)


async def _read(
    uow: AbstractQualityUnitOfWork,
    identity: Identity,
    scope: Scope,
    cluster: dict[str, Any] | None,
    cohort: int,
    today: date,
    live: bool,
    writer: Writer | None,
) -> Document:
    methodology = from_json(await current_content(uow))
    if live:
        ensure_may_read_live(identity)
        destinations, about = await _destinations(uow, scope, cluster, cohort)
        return await _live(uow, scope, destinations, about, methodology, cohort, today)
    pending = outcomes_pending(cohort + 1, methodology, today=today)
    if pending is not None:  # no release yet: every flow hidden, not even n shown
        destinations, about = await _destinations(uow, scope, cluster, cohort)
        hidden = dict.fromkeys(Flow, Figure.hidden(n=0, reason=pending))
        shown = _document(scope, destinations, about, methodology, cohort, hidden)
        return shown | {"n": None, "flows": [f | {"n": None} for f in shown["flows"]]}
    released = await _release(uow, methodology, cohort, writer)
    document: Document | None = released["scopes"].get(f"{scope[0]}:{scope[1]}")
    if document is None:
        raise NotFound(f"the {cohort} cohort's flow release", f"{scope[0]} {scope[1]} (new since)")
    return document | {"released_at": released["released_at"]}


async def _destinations(
    uow: AbstractQualityUnitOfWork, scope: Scope, cluster: dict[str, Any] | None, cohort: int
) -> tuple[Destinations, Document]:
    """What the scope's flows are told apart by, and what the reader is told of it."""
    census = census_date(cohort)
    if cluster is not None:
        sectors = sorted(cluster.get("sectors") or ())
        members = await uow.projection.members_on([cluster["id"]], census)
        region = Destinations(cluster["region_code"], frozenset(members), frozenset(sectors))
        return region, {"sectors": sectors}
    clusters = await uow.projection.clusters_in(scope[1])
    sectors = sorted({s for c in clusters for s in c.get("sectors") or ()})
    members = await uow.projection.members_on([c["id"] for c in clusters], census)
    destinations = Destinations(scope[1], frozenset(members), frozenset(sectors))
    return destinations, {"sectors": sectors, "clusters": [c["id"] for c in clusters]}


async def _jobs(
    uow: AbstractQualityUnitOfWork, scope: Scope, methodology: Methodology, cohort: int
) -> list[Any]:
    return await uow.projection.census_jobs(
        cohort, scope=scope[0], scope_id=scope[1], counting=methodology.counting_employment_states
    )


async def _live(
    uow: AbstractQualityUnitOfWork,
    scope: Scope,
    destinations: Destinations,
    about: Document,
    methodology: Methodology,
    cohort: int,
    today: date,
) -> Document:
    figures = flow_figures(
        flow_cells(await _jobs(uow, scope, methodology, cohort), destinations),
        thresholds=methodology.thresholds,
        level=methodology.interval_level,
        pending=outcomes_pending(cohort + 1, methodology, today=today),
    )
    return _document(scope, destinations, about, methodology, cohort, figures)


async def _release(
    uow: AbstractQualityUnitOfWork, methodology: Methodology, cohort: int, writer: Writer | None
) -> Document:
    """The cohort's release: made at the first read (every cluster and region at once), then
    kept (by ``writer``'s own transaction: a read's own takes no write lock); of two replicas
    making it together, the first stored is everyone's."""
    stored = await uow.cluster_work.flow_release(cohort)
    if stored is not None:
        return stored
    scopes: dict[Scope, tuple[Destinations, Document]] = {}
    for region in sorted(set((await uow.queries.organization_regions()).values())):
        scopes[("region", region)] = await _destinations(uow, ("region", region), None, cohort)
        for cluster in await uow.projection.clusters_in(region):
            key = ("cluster", cluster["id"])
            scopes[key] = await _destinations(uow, key, cluster, cohort)
    placed = {
        f"{scope[0]}:{scope[1]}": placements(
            await _jobs(uow, scope, methodology, cohort), destinations
        )
        for scope, (destinations, _) in scopes.items()
    }
    figures = release(
        placed,
        thresholds=methodology.thresholds,
        level=methodology.interval_level,
        width=methodology.thresholds.protection_width,
    )
    made = {
        "released_at": datetime.now(UTC).isoformat(),
        "scopes": {
            f"{scope[0]}:{scope[1]}": _document(
                scope, destinations, about, methodology, cohort, figures[f"{scope[0]}:{scope[1]}"]
            )
            for scope, (destinations, about) in scopes.items()
        },
    }
    async with writer() if writer is not None else nullcontext(uow) as keeping:
        await keeping.cluster_work.save_flow_release(cohort, made)
        stored = await keeping.cluster_work.flow_release(cohort)
        await keeping.commit()
    assert stored is not None
    return stored


def _document(
    scope: Scope,
    destinations: Destinations,
    about: Document,
    methodology: Methodology,
    cohort: int,
    figures: dict[Flow, Figure],
) -> Document:
    decimals = methodology.rounding.share_decimals
    return {
        "scope": scope[0],
        "scope_id": scope[1],
        "region_code": destinations.region_code,
        "cohort": cohort,
        "census_date": census_date(cohort).isoformat(),
        "interval_level": methodology.interval_level,
        "n": next(iter(figures.values())).n,
        "flows": [
            {"flow": flow.value, **round_figure(figure.to_json(), decimals)}
            for flow, figure in figures.items()
        ],
    } | about
