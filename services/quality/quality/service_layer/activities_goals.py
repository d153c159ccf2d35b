"""A cluster's strategy goals against the published figures: each goal's latest published
value with its interval, and whether it meets the target (docs/methodology.md, "Cluster
activities", "Goal progress")."""

from decimal import Decimal
from typing import Any

from quality.domain.activities import (
    GoalStatus,
    activity_measure,
    funding_by_year,
    goal_status,
)
from quality.domain.index import Methodology
from quality.domain.intervals import wilson_interval
from quality.domain.methodology import from_json
from quality.domain.model import StoredScore
from quality.domain.scorecard import COMPETENCY_MEAN, interval_stated, round_figure, successes
from quality.service_layer.activities import (
    Document,
    PublishedPrograms,
    cluster_activities,
    intensity,
    member_programs,
    readable_cluster,
)
from quality.service_layer.methodology import current_content
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.platform.auth import Identity

# A goal's figure: the period it is of, the figure, and why there is none.
Found = tuple[int | None, dict[str, Any] | None, str | None]


async def goal_progress(
    uow: AbstractQualityUnitOfWork, identity: Identity, cluster_id: str
) -> Document:
    """Each active goal: the latest published figure (a goal on an indicator) or the latest
    year's recorded activities (a goal on an activity measure) against the target."""
    await readable_cluster(uow, identity, cluster_id)
    methodology = from_json(await current_content(uow))
    history = await uow.publications.figures().history(("cluster", cluster_id), pooled=False)
    items = []
    for goal in await uow.cluster_work.goals(cluster_id):
        if not goal["active"]:
            continue
        found: Found
        if goal["measure"] != "indicator":
            found = await _activity_figure(uow, identity, cluster_id, goal)
        elif not history:
            found = None, None, "no published figure of the cluster yet"
        elif goal["field_code"] is None and goal["level"] is None:
            found = _latest_stated(history, goal["code"])
        else:
            period = history[-1].period
            found = period, *await _part_figure(uow, goal, cluster_id, period, methodology)
        items.append(_progress(goal, *found))
    return {"cluster_id": cluster_id, "goals": items}


async def _activity_figure(
    uow: AbstractQualityUnitOfWork, identity: Identity, cluster_id: str, goal: dict[str, Any]
) -> Found:
    """An activity measure of the cluster in its latest year with activities recorded, up to
    the goal's year: a count of what was recorded, not a sample (its interval is the value)."""
    code, until = goal["code"], goal["by_year"]
    if code == "funding_amount":
        given = funding_by_year(await cluster_activities(uow, cluster_id=cluster_id))
        years = [year for year in sorted(given) if year <= until]
        if not years:
            return None, None, "no funding recorded by the goal's year"
        currencies = given[years[-1]]
        if len(currencies) > 1:
            return None, None, "funding given in several currencies"
        return years[-1], _exact(float(*currencies.values()), None), None
    figures = await intensity(uow, identity, cluster_id, year=None)
    rows = [row for row in figures["years"] if row["year"] <= until]
    if not rows:
        return None, None, "no activity recorded by the goal's year"
    value, graduates = activity_measure(code, rows[-1])
    if value is None and rows[-1]["reason"]:  # the cohort's size, hidden: so is the rate
        return None, None, f"withheld: {rows[-1]['reason']}"
    if value is None:
        return None, None, "no graduates of the year's cohort in the member programs"
    return rows[-1]["year"], _exact(value, graduates), None


def _exact(value: float, n: int | None) -> dict[str, Any]:
    return {"value": value, "ci_low": value, "ci_high": value, "n": n, "suppressed": False}


def _latest_stated(history: list[StoredScore], code: str) -> Found:
    """The cluster's latest published figure of ``code`` with its interval stated (or, when
    none is, the latest one, withheld)."""
    figures = [
        (s.period, s.card["index"] if code == "index" else s.card["indicators"].get(code))
        for s in history
    ]
    stated = [(period, f) for period, f in figures if interval_stated(f)]
    period, figure = (stated or figures)[-1]
    return period, figure, None if figure else "not in the cluster's scorecard"


async def _part_figure(
    uow: AbstractQualityUnitOfWork,
    goal: dict[str, Any],
    cluster_id: str,
    period: int,
    methodology: Methodology,
) -> tuple[dict[str, Any] | None, str | None]:
    """A goal's figure on one field and level: the published counts of the cluster's member
    programs of that field and level summed (shares only), or why there is none."""
    code = goal["code"]
    if code in ("index", COMPETENCY_MEAN):
        return None, "published for the whole cluster only, not for a field or level"
    kinds = await uow.projection.program_kinds()
    part = {
        p
        for p in await member_programs(uow, cluster_id, period, kinds)
        if goal["field_code"] in (None, kinds[p].field_code)
        and goal["level"] in (None, kinds[p].level)
    }
    cards = await PublishedPrograms(uow).of_year(period)
    stated = [f for p in sorted(part) if p in cards and (f := cards[p]["indicators"].get(code))]
    if any(f["n"] > 0 and not interval_stated(f) for f in stated):
        return None, "withheld for a member program of this field and level"
    hits, n = sum(successes(f) for f in stated if f["n"] > 0), sum(f["n"] for f in stated)
    if n == 0:
        return None, "no published figure of the cluster's programs of this field and level"
    low, high = wilson_interval(hits, n, methodology.interval_level)
    figure = {"value": hits / n, "ci_low": low, "ci_high": high, "n": n, "suppressed": False}
    return round_figure(figure, methodology.rounding.share_decimals), None


def _progress(
    goal: dict[str, Any], period: int | None, figure: dict[str, Any] | None, why: str | None
) -> Document:
    status: GoalStatus = "undetermined"
    reason = why
    if figure is not None and not interval_stated(figure):
        reason = f"withheld: {figure['reason']}"
    elif figure is not None:
        status, reason = goal_status(
            ci_low=figure["ci_low"],
            ci_high=figure["ci_high"],
            comparator=goal["comparator"],
            target=Decimal(goal["target"]),
        )
    return {
        "goal_id": goal["goal_id"],
        "version": goal["version"],
        "measure": goal["measure"],
        "code": goal["code"],
        "field_code": goal["field_code"],
        "level": goal["level"],
        "comparator": goal["comparator"],
        "target": goal["target"],
        "by_year": goal["by_year"],
        "period": period if figure else None,
        "figure": None
        if figure is None
        else {k: figure.get(k) for k in ("value", "ci_low", "ci_high", "n")},
        "status": status,
        "reason": reason,
    }
