"""Alerts ministries act on, raised once each when a published scorecard changes:

- ``index_below_threshold``: the index falls below the methodology's threshold (on crossing);
- ``significant_drop``: employer satisfaction is lower than the previous year's and the two
  intervals do not overlap;
- ``competency_gap``: a competency of a cluster sits in "concentrate here" (important to the
  employers, rated below the cluster's other competencies).
"""

from typing import Any

from sqlalchemy import select

from quality.adapters.tables import alerts, scores
from quality.domain.intervals import intervals_overlap
from quality.service_layer.gaps import competency_gaps, stated_importance
from shared.contracts.catalogue.quality import AlertRaised
from shared.platform.db.queries import now
from shared.platform.ids import new_id
from shared.platform.messaging.unit_of_work import UnitOfWork

Card = dict[str, Any]


def _index_crossed(card: Card, before: Card | None, threshold: float) -> dict | None:
    value = card["index"]["value"]
    previous = before["index"]["value"] if before else None
    if value is None or value >= threshold or (previous is not None and previous < threshold):
        return None
    return {"index": value, "threshold": threshold, "previous_index": previous}


def _dropped(card: Card, last_year: Card | None) -> dict | None:
    now_, then = (
        c["indicators"]["employer_satisfaction"] if c else None for c in (card, last_year)
    )
    if now_ is None or then is None or now_["suppressed"] or then["suppressed"]:
        return None
    if now_["value"] >= then["value"] or intervals_overlap(
        (now_["ci_low"], now_["ci_high"]), (then["ci_low"], then["ci_high"])
    ):
        return None
    return {
        "indicator": "employer_satisfaction",
        "value": now_["value"],
        "ci_low": now_["ci_low"],
        "ci_high": now_["ci_high"],
        "previous_value": then["value"],
        "previous_ci_low": then["ci_low"],
        "previous_ci_high": then["ci_high"],
    }


async def _stored_card(uow: UnitOfWork, scope: str, scope_id: str, period: int) -> Card | None:
    return await uow.session.scalar(
        select(scores.c.card).where(
            scores.c.scope == scope,
            scores.c.scope_id == scope_id,
            scores.c.period == period,
            scores.c.pooled.is_(False),
        )
    )


async def _raised(uow: UnitOfWork, key: tuple[str, str], period: int, kind: str) -> list[dict]:
    result = await uow.session.execute(
        select(alerts.c.detail).where(
            alerts.c.scope == key[0],
            alerts.c.scope_id == key[1],
            alerts.c.period == period,
            alerts.c.kind == kind,
        )
    )
    return [detail for (detail,) in result]


async def _raise(
    uow: UnitOfWork, key: tuple[str, str], period: int, kind: str, detail: dict
) -> None:
    row = {
        "id": new_id(),
        "scope": key[0],
        "scope_id": key[1],
        "period": period,
        "kind": kind,
        "detail": detail,
        "raised_at": now(),
    }
    await uow.session.execute(alerts.insert().values(**row))
    uow.publish(
        AlertRaised(
            alert_id=row["id"],
            scope=key[0],
            scope_id=key[1],
            period=period,
            kind=kind,
            detail=detail,
        )
    )


async def raise_alerts(
    uow: UnitOfWork,
    key: tuple[str, str],
    *,
    period: int,
    card: Card,
    before: Card | None,
    threshold: float,
) -> None:
    """Check one changed yearly scorecard (``before``: its previous version, if any)."""
    low = _index_crossed(card, before, threshold)
    if low is not None:
        await _raise(uow, key, period, "index_below_threshold", low)
    drop = _dropped(card, await _stored_card(uow, key[0], key[1], period - 1))
    if drop is not None and not await _raised(uow, key, period, "significant_drop"):
        await _raise(uow, key, period, "significant_drop", drop)
    if key[0] == "cluster":
        await _gap_alerts(uow, key, period=period, card=card)


async def _gap_alerts(uow: UnitOfWork, key: tuple[str, str], *, period: int, card: Card) -> None:
    importance = await stated_importance(
        uow, scope=key[0], scope_id=key[1], years=range(period, period + 1)
    )
    gaps = competency_gaps(card, importance)["competencies"]
    known = {d["competency"] for d in await _raised(uow, key, period, "competency_gap")}
    for code, gap in gaps.items():
        if gap["quadrant"] == "concentrate_here" and code not in known:
            detail = {
                "competency": code,
                "importance": gap["importance"],
                "performance": gap["performance"],
                "gap": gap["gap"],
            }
            await _raise(uow, key, period, "competency_gap", detail)
