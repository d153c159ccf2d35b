"""The cluster question: do the cluster's member institutions do better than non-members?

Members: the programs of institutions that were members of the cluster in the period.
Non-members: the programs of the other education institutions of the cluster's region, in the
fields (ISCED-F detailed) the members teach. The figure is the difference in employer
satisfaction, members minus non-members, with Newcombe's interval; each group must pass the
small-cell rules or the comparison is withheld with the reason.
"""

from typing import Any

from sqlalchemy import select

from quality.adapters.tables import cells, q_clusters, q_organizations, q_programs
from quality.domain.cells import ScopeTally
from quality.domain.index import Methodology
from quality.domain.intervals import difference_of_proportions_interval
from quality.domain.suppression import FigureKind, suppression_reason
from quality.service_layer.scopes import programs_in
from shared.platform.db.queries import fetch_one
from shared.platform.messaging.unit_of_work import UnitOfWork


async def _tally(uow: UnitOfWork, programs, years: range) -> ScopeTally:  # type: ignore[no-untyped-def]
    result = await uow.session.execute(
        select(cells.c.tally).where(
            cells.c.program_id.in_(programs), cells.c.period.between(years[0], years[-1])
        )
    )
    return ScopeTally.combine(ScopeTally.from_json(t) for (t,) in result)


def _group(tally: ScopeTally, methodology: Methodology) -> dict[str, Any]:
    satisfied = tally.overall.satisfied(methodology.satisfied_threshold)
    reason = suppression_reason(
        kind=FigureKind.SHARE,
        n=satisfied.n,
        employers=len(tally.employers),
        graduates=len(tally.graduates),
        thresholds=methodology.thresholds,
    )
    return {
        "n": satisfied.n,
        "share": None if reason else satisfied.share,
        "reason": reason,
        "_counts": (satisfied.successes, satisfied.n),
    }


async def compare_cluster(
    uow: UnitOfWork, cluster_id: str, *, years: range, methodology: Methodology
) -> dict[str, Any]:
    cluster = await fetch_one(uow.session, q_clusters, cluster_id, "cluster")
    members = programs_in("cluster", cluster_id, first_year=years[0], last_year=years[-1])
    member_institutions = select(q_programs.c.institution_id).where(q_programs.c.id.in_(members))
    fields = select(q_programs.c.field_code).where(q_programs.c.id.in_(members))
    region = select(q_organizations.c.id).where(
        q_organizations.c.region_code == cluster["region_code"],
        q_organizations.c.kind == "education",
    )
    others = select(q_programs.c.id).where(
        q_programs.c.institution_id.in_(region),
        q_programs.c.institution_id.not_in(member_institutions),
        q_programs.c.field_code.in_(fields),
    )
    groups = {
        "members": _group(await _tally(uow, members, years), methodology),
        "non_members": _group(await _tally(uow, others, years), methodology),
    }
    difference: dict[str, Any] = {"value": None, "ci_low": None, "ci_high": None}
    withheld = [g["reason"] for g in groups.values() if g["reason"]]
    if not withheld:
        (x1, n1), (x2, n2) = groups["members"]["_counts"], groups["non_members"]["_counts"]
        low, high = difference_of_proportions_interval(
            x1=x1, n1=n1, x2=x2, n2=n2, level=methodology.interval_level
        )
        difference = {"value": x1 / n1 - x2 / n2, "ci_low": low, "ci_high": high}
    for group in groups.values():
        del group["_counts"]
    return {
        "cluster_id": cluster_id,
        "region_code": cluster["region_code"],
        "indicator": "employer_satisfaction",
        "interval_level": methodology.interval_level,
        **groups,
        "difference": {
            **difference,
            "suppressed": bool(withheld),
            "reason": "; ".join(withheld) or None,
        },
    }
