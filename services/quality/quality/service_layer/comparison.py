"""The cluster question: do the cluster's member institutions do better than non-members?

Members: the programs of institutions that were members of the cluster in the period.
Non-members: the programs of the other education institutions of the cluster's region, in the
fields (ISCED-F detailed) the members teach. The figure is the difference in employer
satisfaction, members minus non-members, with Newcombe's interval; each group must pass the
small-cell rules or the comparison is withheld with the reason.
"""

from typing import Any

from quality.domain.cells import ScopeTally
from quality.domain.index import Methodology
from quality.domain.intervals import difference_of_proportions_interval
from quality.domain.suppression import FigureKind, suppression_reason
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.platform.errors import NotFound


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
    uow: AbstractQualityUnitOfWork, cluster_id: str, *, years: range, methodology: Methodology
) -> dict[str, Any]:
    """Employer satisfaction of the cluster's members against comparable non-members."""
    cluster = await uow.projection.cluster(cluster_id)
    if cluster is None:
        raise NotFound("cluster", cluster_id)
    members, others = await uow.queries.comparison_groups(
        cluster_id, region_code=cluster["region_code"], years=years
    )
    groups = {
        "members": _group(await uow.cells.combined(members, years), methodology),
        "non_members": _group(await uow.cells.combined(others, years), methodology),
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
