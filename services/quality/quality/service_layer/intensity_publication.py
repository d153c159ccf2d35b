"""Activity intensity in publications.

A publication of period P computes every cluster's intensity of year P (the cluster's row and
its programs') and protects the clusters' tables together (domain/intensity_release.py): a
cohort hidden in one table is hidden in all, and the audit sees every cluster's totals and
cohorts at once, so overlapping clusters give no hidden cohort back. The publication stores
them, never to change; everyone but the ministry reads them (service_layer/activities.py), so
two reads between publications are the same and a graduate or an activity recorded between them
reaches readers only with the next publication. docs/methodology.md, "Cluster activities".
"""

import logging
from collections import defaultdict
from typing import Any

from quality.domain.activities import Activity, program_tallies
from quality.domain.index import Methodology
from quality.domain.intensity_release import Hiding, Stated, Table, release
from quality.service_layer.activities import cluster_activities, year_rows, year_table
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork

log = logging.getLogger(__name__)

Document = dict[str, Any]


async def publication_intensity(
    uow: AbstractQualityUnitOfWork, *, period: int, methodology: Methodology
) -> tuple[dict[str, Document], Document]:
    """Each cluster's intensity of ``period`` as the publication states it (cluster id →
    its year's row and its programs'), and their summary."""
    kinds = await uow.projection.program_kinds()
    by_cluster: dict[str, list[Activity]] = defaultdict(list)
    for activity in await cluster_activities(uow):
        by_cluster[activity.cluster_id].append(activity)
    tallies, tables = {}, {}
    for cluster_id, activities in sorted(by_cluster.items()):
        by_program, by_year = program_tallies(activities, kinds)
        if period in by_year:  # a cluster with nothing counted in the year has no row
            tallies[cluster_id] = (by_program, by_year)
            tables[cluster_id] = await year_table(uow, cluster_id, period, kinds, by_program)
    made = release(
        tables,
        thresholds=methodology.thresholds,
        width=methodology.thresholds.protection_width,
        earlier=await _earlier(uow, period, clusters=list(by_cluster)),
    )
    if made.unprotected:
        log.error(
            "activity intensity left exposed", extra={"year": period, "counts": made.unprotected}
        )
    stated = {}
    for cluster_id, table in tables.items():
        row, programs = year_rows(*tallies[cluster_id], period, table, made.hidden[cluster_id])
        stated[cluster_id] = {"year": row, "programs": programs, "table": _stored(table)}
    summary = {
        "year": period,
        "clusters": len(stated),
        "hidden_cohorts": sum(
            len(hiding.programs) + (hiding.total is not None) for hiding in made.hidden.values()
        ),
        "checked": made.checked,
        "unprotected": made.unprotected,
    }
    return stated, summary


def _stored(table: Table) -> Document:
    return {
        "cohorts": dict(sorted(table.cohorts.items())),
        "members": sorted(table.members),
        "listed": sorted(table.listed),
    }


async def _earlier(
    uow: AbstractQualityUnitOfWork, period: int, *, clusters: list[str]
) -> list[dict[str, Stated]]:
    """The tables each published publication of ``period`` stated (oldest first), as released:
    ``clusters`` those that may have had a row (any with an activity). A publication made
    before tables were stored with the rows gives none."""
    earlier = []
    for publication in await uow.publications.published():
        if publication.period != period:
            continue
        states = {}
        for cluster_id in clusters:
            stored = await uow.publications.intensity(publication.number, cluster_id)
            if stored is not None and "table" in stored:
                states[cluster_id] = _stated(stored)
        earlier.append(states)
    return earlier


def _stated(stored: Document) -> Stated:
    """A stored cluster's table and what its rows hid."""
    kept = stored["table"]
    table = Table(kept["cohorts"], frozenset(kept["members"]), frozenset(kept["listed"]))
    hidden = {p["program_id"]: p["reason"] for p in stored["programs"] if p["reason"]}
    return Stated(table, Hiding(stored["year"]["reason"], hidden))
