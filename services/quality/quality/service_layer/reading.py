"""Read published scores: one scope, its history, lists with filters, and rankings."""

from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select

from quality.adapters.tables import q_clusters, q_memberships, q_organizations, q_programs, scores
from quality.domain.ranking import rank
from quality.service_layer.methodology import current_content, from_json
from quality.service_layer.scopes import member_during
from quality.service_layer.scoreboard import compute_scorecards
from shared.platform.errors import NotFound
from shared.platform.messaging.unit_of_work import UnitOfWork

SHARE_RANKED_BY = "employer_satisfaction"


def document(row: Any, *, rank_of: dict[str, int | None] | None = None) -> dict[str, Any]:
    card = row["card"]
    return {
        "scope": row["scope"],
        "scope_id": row["scope_id"],
        "period": row["period"],
        "pooled": row["pooled"],
        "methodology_version": row["methodology_version"],
        "index": card["index"],
        "indicators": card["indicators"],
        "domains": card["domains"],
        "competencies": card["competencies"],
        "rank": (rank_of or {}).get(row["scope_id"]),
        "computed_at": row["computed_at"],
    }


async def one_score(
    uow: UnitOfWork, scope: str, scope_id: str, *, period: int, pooled: bool
) -> Any:
    statement = scores_of(scope, period=period, pooled=pooled, filters=[]).where(
        scores.c.scope_id == scope_id
    )
    return (await uow.session.execute(statement)).mappings().first()


async def at_level(uow: UnitOfWork, row: Any, *, level: float) -> dict[str, Any]:
    """The stored scorecard recomputed with intervals at ``level`` (same counts, same rules)."""
    methodology = replace(from_json(await current_content(uow)), interval_level=level)
    cards = await compute_scorecards(
        uow, period=row["period"], pooled=row["pooled"], methodology=methodology
    )
    card = cards[(row["scope"], row["scope_id"])]
    return {**row, "card": card.to_json()}


async def latest_period(uow: UnitOfWork, scope: str, scope_id: str) -> int:
    period = await uow.session.scalar(
        select(func.max(scores.c.period)).where(
            scores.c.scope == scope, scores.c.scope_id == scope_id
        )
    )
    if period is None:
        raise NotFound(f"no score yet for {scope}", scope_id)
    return period


def in_region(scope: str, region: str) -> ColumnElement[bool]:
    """Scores of ``scope`` units located in ``region``."""
    organizations = select(q_organizations.c.id).where(q_organizations.c.region_code == region)
    if scope == "program":
        programs = select(q_programs.c.id).where(q_programs.c.institution_id.in_(organizations))
        return scores.c.scope_id.in_(programs)
    if scope == "organization":
        return scores.c.scope_id.in_(organizations)
    if scope == "cluster":
        clusters = select(q_clusters.c.id).where(q_clusters.c.region_code == region)
        return scores.c.scope_id.in_(clusters)
    return scores.c.scope_id == region


def in_cluster(scope: str, cluster_id: str, period: int) -> ColumnElement[bool]:
    members = select(q_memberships.c.organization_id).where(
        q_memberships.c.cluster_id == cluster_id, member_during(period, period)
    )
    if scope == "program":
        programs = select(q_programs.c.id).where(q_programs.c.institution_id.in_(members))
        return scores.c.scope_id.in_(programs)
    return scores.c.scope_id.in_(members)


def of_programs(*, field: str | None, level: str | None) -> ColumnElement[bool]:
    programs = select(q_programs.c.id)
    if field is not None:
        programs = programs.where(q_programs.c.field_code == field)
    if level is not None:
        programs = programs.where(q_programs.c.level == level)
    return scores.c.scope_id.in_(programs)


def scores_of(scope: str, *, period: int, pooled: bool, filters: list) -> Select:  # type: ignore[type-arg]
    return select(scores).where(
        scores.c.scope == scope, scores.c.period == period, scores.c.pooled.is_(pooled), *filters
    )


async def rankings(
    uow: UnitOfWork, *, scope: str, period: int, pooled: bool, filters: list, level: float
) -> list[dict[str, Any]]:
    """Units of ``scope`` ranked by the empirical-Bayes estimate of employer satisfaction."""
    rows = (
        await uow.session.execute(scores_of(scope, period=period, pooled=pooled, filters=filters))
    ).mappings()
    units, published = {}, set()
    for row in rows:
        figure = row["card"]["indicators"][SHARE_RANKED_BY]
        successes = round(figure["value"] * figure["n"]) if figure["value"] is not None else 0
        units[row["scope_id"]] = (successes, figure["n"])
        if not figure["suppressed"]:
            published.add(row["scope_id"])
    ranked = rank(units, published=published, level=level)
    return [
        {
            "scope_id": r.unit_id,
            "rank": r.rank,
            "estimate": r.estimate,
            "share": r.raw_share,
            "n": r.n,
            "reason": r.reason,
        }
        for r in ranked
    ]
