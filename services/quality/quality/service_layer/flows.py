"""Where a cluster's and a region's graduates work on the census date (domain/flows.py).

Read from the registry's facts as the projection holds them (employments, never assessments),
under the disclosure rules of every figure: the methodology's thresholds and counting states,
its interval level and rounding, and nothing before the cohort's census window has closed.
Everyone but the ministry reads the flows a *publication* states: the first publication of the
cohort's census year (cohort + 1) made after the window closed computes every region's and
cluster's flows at once, protected together (domain/flow_release.py), and stores them; every
later publication of that year carries them as they are, so facts recorded later never move
them and no two publications differ by one graduate. A reader gets them from the latest
published publication of the year, or the one named, as every other figure; the ministry reads
the live flows too (docs/publication.md).
"""

import logging
from datetime import date, datetime
from typing import Any

from quality.domain.access import ensure_may_read_live
from quality.domain.flow_release import employer_flows, release
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
from quality.domain.publication import Publication
from quality.domain.scorecard import Figure, round_figure
from quality.service_layer.activities import readable_cluster
from quality.service_layer.methodology import current_content
from quality.service_layer.reading import View
from quality.service_layer.scoreboard import outcomes_pending
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.platform.auth import Identity
from shared.platform.errors import NotFound

log = logging.getLogger(__name__)

Document = dict[str, Any]
Scope = tuple[str, str]


async def cluster_flows(
    uow: AbstractQualityUnitOfWork,
    identity: Identity,
    cluster_id: str,
    *,
    cohort: int,
    today: date,
    view: View,
) -> Document:
    """The flows of the graduates of the programs of the institutions that were members during
    the census year; the member employers are those that were members on the census date."""
    cluster = await readable_cluster(uow, identity, cluster_id)
    return await _read(uow, identity, ("cluster", cluster_id), cluster, cohort, today, view)


async def region_flows(
    uow: AbstractQualityUnitOfWork,
    identity: Identity,
    region_code: str,
    *,
    cohort: int,
    today: date,
    view: View,
) -> Document:
    """The flows of the graduates of the region's institutions; its focus is that of its
    active clusters (their members and sectors together)."""
    ensure_may_read_region_flows(identity, region_code=region_code)
    if region_code not in set((await uow.queries.organization_regions()).values()):
        raise NotFound("region", region_code)
    return await _read(uow, identity, ("region", region_code), None, cohort, today, view)


async def _read(
    uow: AbstractQualityUnitOfWork,
    identity: Identity,
    scope: Scope,
    cluster: dict[str, Any] | None,
    cohort: int,
    today: date,
    view: View,
) -> Document:
    methodology = from_json(await current_content(uow))
    if view.live:
        ensure_may_read_live(identity)
        destinations, about = await _destinations(uow, scope, cluster, cohort)
        return await _live(uow, scope, destinations, about, methodology, cohort, today)
    publication = await _publication(uow, view, period=cohort + 1)
    if publication is not None:
        stored = await uow.publications.flow(publication.number, *scope)
        if stored is not None:
            return stored | {"publication": _reference(publication)}
        if released_in(publication) is not None:  # computed before this scope existed
            raise NotFound(
                f"the {cohort} cohort's flow release", f"{scope[0]} {scope[1]} (new since)"
            )
    # No publication states them yet: every flow waits, and not even n is shown.
    reason = outcomes_pending(cohort + 1, methodology, today=today) or unpublished_reason(
        cohort + 1
    )
    hidden = dict.fromkeys(Flow, Figure.hidden(n=0, reason=reason))
    destinations, about = await _destinations(uow, scope, cluster, cohort)
    shown = _document(scope, destinations, about, methodology, cohort, hidden)
    flows = [f | {"n": None} for f in shown["flows"]]
    return shown | {"n": None, "flows": flows, "publication": None}


def unpublished_reason(year: int) -> str:
    """Why no flows are shown yet (the dashboard translates these words)."""
    return f"not yet published: the first publication of {year} after the census window states them"


async def _publication(
    uow: AbstractQualityUnitOfWork, view: View, *, period: int
) -> Publication | None:
    """The publication a reader sees the cohort's flows in: the one named (published, of the
    cohort's census year), or the latest published one of that year."""
    if view.publication is None:
        return await uow.publications.latest(period)
    named = await uow.publications.get(view.publication)
    if named is None or named.status != "published":
        raise NotFound("published publication", str(view.publication))
    if named.period != period:
        raise NotFound(f"the {period - 1} cohort's flows in publication", str(named.number))
    return named


def _reference(publication: Publication) -> Document:
    return {"number": publication.number, "release": publication.release}


def released_in(publication: Publication | None) -> int | None:
    """The publication that computed the flows ``publication`` states (None: it states none)."""
    if publication is None:
        return None
    found: int | None = publication.summary.get("flows", {}).get("released_in")
    return found


async def publication_flows(
    uow: AbstractQualityUnitOfWork,
    *,
    number: int,
    period: int,
    methodology: Methodology,
    made_at: datetime,
) -> tuple[dict[Scope, Document], Document]:
    """The flows publication ``number`` of ``period`` states, scope by scope, and their summary:
    the flows of the cohort ``period − 1`` once its census window has closed — carried from the
    period's latest publication when it states them (or from a release made before publications
    stated flows), otherwise computed and protected now."""
    cohort = period - 1
    pending = outcomes_pending(period, methodology, today=made_at.date())
    if pending is not None:
        return {}, {"cohort": cohort, "released_in": None, "reason": pending}
    latest = await uow.publications.latest(period)
    if latest is not None and released_in(latest) is not None:
        return await uow.publications.flows(latest.number), latest.summary["flows"]
    legacy = await uow.cluster_work.flow_release(cohort)
    if legacy is not None:  # already shown to readers: stated as it was
        flows = {
            (document["scope"], document["scope_id"]): document
            | {"released_at": legacy["released_at"]}
            for document in legacy["scopes"].values()
        }
        checked = unprotected = None
    else:
        flows, checked, unprotected = await _released(uow, methodology, cohort, made_at)
    summary = {
        "cohort": cohort,
        "released_in": number,
        "scopes": len(flows),
        "suppressed_flows": sum(
            1 for document in flows.values() for f in document["flows"] if f["suppressed"]
        ),
        "checked": checked,
        "unprotected": unprotected,
    }
    return flows, summary


async def audited(uow: AbstractQualityUnitOfWork, publication: Publication) -> Document:
    """The flows a publication states, as its audit report shows them: how their release was
    checked (the counts its audit checked, those left exposed; None where the release did not
    record it) and every flow of every scope, hidden or not and why."""
    summary = publication.summary.get("flows", {})
    cells = [
        {
            "scope": scope,
            "scope_id": scope_id,
            "flow": f["flow"],
            "n": f["n"],
            "suppressed": f["suppressed"],
            "reason": f["reason"],
        }
        for (scope, scope_id), document in sorted(
            (await uow.publications.flows(publication.number)).items()
        )
        for f in document["flows"]
    ]
    unprotected = summary.get("unprotected")
    return {
        "cohort": summary.get("cohort", publication.period - 1),
        "released_in": summary.get("released_in"),
        "reason": summary.get("reason"),
        "checked": summary.get("checked"),
        "unprotected": unprotected,
        "protected": None if unprotected is None else unprotected == 0,
        "suppressed_flows": sum(1 for cell in cells if cell["suppressed"]),
        "cells": cells,
    }


async def flows_due(
    uow: AbstractQualityUnitOfWork, methodology: Methodology, *, today: date
) -> set[int]:
    """The published periods whose cohort's census window has closed and whose latest
    publication states no flows yet: an interim publication of them releases the flows."""
    due = set()
    for period in await uow.publications.periods():
        if outcomes_pending(period, methodology, today=today) is None:
            if released_in(await uow.publications.latest(period)) is None:
                due.add(period)
    return due


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
    return _document(scope, destinations, about, methodology, cohort, figures) | {
        "publication": None
    }


async def _released(
    uow: AbstractQualityUnitOfWork, methodology: Methodology, cohort: int, made_at: datetime
) -> tuple[dict[Scope, Document], int, int]:
    """Every region's and active cluster's flows of the cohort, protected together; how many
    counts the audit checked, and how many the protection could not keep open (logged for the
    ministry's review)."""
    scopes: dict[Scope, tuple[Destinations, Document]] = {}
    for region in sorted(set((await uow.queries.organization_regions()).values())):
        scopes[("region", region)] = await _destinations(uow, ("region", region), None, cohort)
        for cluster in await uow.projection.clusters_in(region):
            key = ("cluster", cluster["id"])
            scopes[key] = await _destinations(uow, key, cluster, cohort)
    named = {scope: f"{scope[0]}:{scope[1]}" for scope in scopes}
    placed = {
        named[scope]: placements(await _jobs(uow, scope, methodology, cohort), destinations)
        for scope, (destinations, _) in scopes.items()
    }
    employers = employer_flows(
        {named[scope]: destinations for scope, (destinations, _) in scopes.items()},
        await uow.projection.employers(),
    )
    made = release(
        placed,
        employers=employers,
        thresholds=methodology.thresholds,
        level=methodology.interval_level,
        width=methodology.thresholds.protection_width,
    )
    if made.unprotected:
        log.error(
            "graduate flows left exposed", extra={"cohort": cohort, "counts": made.unprotected}
        )
    released_at = made_at.isoformat()
    return (
        {
            scope: _document(
                scope, destinations, about, methodology, cohort, made.figures[named[scope]]
            )
            | {"released_at": released_at}
            for scope, (destinations, about) in scopes.items()
        },
        made.checked,
        made.unprotected,
    )


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
