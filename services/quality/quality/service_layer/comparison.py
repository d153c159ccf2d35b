"""The cluster question: do the cluster's member institutions do better than non-members?

Members: the programs of institutions that were members of the cluster in the period.
Non-members: the programs of the other education institutions of the cluster's region, in the
fields (ISCED-F detailed) the members teach. The figure is the difference in employer
satisfaction, members minus non-members, with Newcombe's interval; each group must pass the
small-cell rules (dominance included) or the comparison is withheld with the reason. The
members' figure is the cluster's own: where the cluster's scorecard withholds it (a small cell,
or a complement protecting another), the comparison is withheld too, or it would re-publish it.
"""

from typing import Any

from quality.adapters.repositories import CellReader
from quality.domain.cells import ScopeTally
from quality.domain.index import Methodology
from quality.domain.intervals import difference_of_proportions_interval
from quality.domain.rounding import Rounding
from quality.domain.scorecard import round_figure
from quality.domain.suppression import FigureKind, dominance_reason, suppression_reason
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.platform.errors import NotFound

CLUSTER_WITHHOLDS = "withheld in the cluster's own scorecard"


def comparison_group(tally: ScopeTally, methodology: Methodology) -> dict[str, Any]:
    """One group's employer satisfaction, or the rule that withholds it."""
    satisfied = tally.overall.satisfied(methodology.satisfied_threshold)
    thresholds = methodology.thresholds
    reason = suppression_reason(
        kind=FigureKind.SHARE,
        n=satisfied.n,
        employers=len(tally.employers),
        graduates=len(tally.graduates),
        thresholds=thresholds,
    ) or dominance_reason(
        kind=FigureKind.SHARE, n=satisfied.n, by_employer=tally.employers, thresholds=thresholds
    )
    return {
        "n": satisfied.n,
        "share": None if reason else satisfied.share,
        "reason": reason,
        "_counts": (satisfied.successes, satisfied.n),
    }


async def comparison_programs(
    uow: AbstractQualityUnitOfWork, cluster_id: str, *, years: range
) -> tuple[dict[str, Any], set[str], set[str]]:
    """The cluster, its members' programs and the comparable non-members' programs."""
    cluster = await uow.projection.cluster(cluster_id)
    if cluster is None:
        raise NotFound("cluster", cluster_id)
    members, others = await uow.queries.comparison_groups(
        cluster_id, region_code=cluster["region_code"], years=years
    )
    return cluster, members, others


async def compare_cluster(
    uow: AbstractQualityUnitOfWork,
    cluster_id: str,
    *,
    years: range,
    methodology: Methodology,
    cells: CellReader,
    own_card: dict[str, Any] | None,
) -> dict[str, Any]:
    """Employer satisfaction of the cluster's members against comparable non-members, from
    ``cells`` (live, or as a publication releases them); ``own_card``: the cluster's
    scorecard in the same view, whose employer satisfaction the members' figure must not
    re-publish."""
    cluster, members, others = await comparison_programs(uow, cluster_id, years=years)
    return await comparison_of(
        cluster,
        members,
        others,
        years=years,
        methodology=methodology,
        cells=cells,
        own_card=own_card,
    )


async def comparison_of(
    cluster: dict[str, Any],
    members: set[str],
    others: set[str],
    *,
    years: range,
    methodology: Methodology,
    cells: CellReader,
    own_card: dict[str, Any] | None,
) -> dict[str, Any]:
    """The comparison of a cluster's members' programs with ``others`` (compare_cluster)."""
    groups = {
        "members": comparison_group(await cells.combined(members, years), methodology),
        "non_members": comparison_group(await cells.combined(others, years), methodology),
    }
    if not published_in(own_card):
        groups["members"] |= {"share": None, "reason": CLUSTER_WITHHOLDS}
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
        "cluster_id": cluster["id"],
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


def published_in(card: dict[str, Any] | None) -> bool:
    """Whether a scorecard publishes employer satisfaction (the compared figure)."""
    figure = card["indicators"].get("employer_satisfaction") if card else None
    return figure is not None and not figure["suppressed"]


EXPOSES = "withheld: with the publication's other figures it would reveal a hidden one"


def withheld(comparison: dict[str, Any], reason: str) -> dict[str, Any]:
    """The comparison with both groups' shares and the difference withheld for ``reason``."""
    groups = {
        name: {**comparison[name], "share": None, "reason": comparison[name]["reason"] or reason}
        for name in ("members", "non_members")
    }
    difference = {"value": None, "ci_low": None, "ci_high": None, "suppressed": True}
    return {**comparison, **groups, "difference": {**difference, "reason": reason}}


def rounded_comparison(comparison: dict[str, Any], rounding: Rounding) -> dict[str, Any]:
    """A comparison as a publication states it (shares and the difference rounded)."""
    decimals = rounding.share_decimals
    groups = {
        name: {
            **comparison[name],
            "share": None
            if comparison[name]["share"] is None
            else round(comparison[name]["share"], decimals),
        }
        for name in ("members", "non_members")
    }
    difference = round_figure(comparison["difference"], decimals)
    return {**comparison, **groups, "difference": difference}
