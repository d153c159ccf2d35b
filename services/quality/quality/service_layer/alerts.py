"""Alerts ministries act on, raised once each when a publication changes a yearly scorecard
(the rules: domain/alerts.py), so an alert only ever cites published figures. Each alert is
stored and announced (alert.raised) together."""

from typing import Any

from quality import events
from quality.domain.alerts import dropped, gap_details, index_crossed
from quality.domain.model import Alert, AlertKind, Card, ScopeKey
from quality.service_layer.gaps import competency_gaps, stated_importance
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.platform.db.queries import now
from shared.platform.ids import new_id


async def _raise(
    uow: AbstractQualityUnitOfWork,
    key: ScopeKey,
    *,
    period: int,
    kind: AlertKind,
    detail: dict[str, Any],
) -> None:
    alert = Alert(
        id=new_id(),
        scope=key[0],
        scope_id=key[1],
        period=period,
        kind=kind,
        detail=detail,
        raised_at=now(),
    )
    await uow.alerts.add(alert)
    uow.publish(events.alert_raised(alert))


async def raise_alerts(
    uow: AbstractQualityUnitOfWork,
    key: ScopeKey,
    *,
    period: int,
    card: Card,
    before: Card | None,
    last_year: Card | None,
    threshold: float,
    level: float = 0.90,
    drop_survives: bool = True,
) -> None:
    """Check one published yearly scorecard (``before``: as the previous publication of the
    period stated it; ``last_year``: the previous period's, as published; ``level``: of the
    drop's difference interval; ``drop_survives``: whether a drop survived the publication's
    false-discovery-rate control across units). Each kind is raised once per scope and period
    (gaps once per competency): a figure wavering around a threshold does not alert again."""
    low = index_crossed(card, before, threshold)
    if low is not None:
        if not await uow.alerts.details(key, period=period, kind="index_below_threshold"):
            await _raise(uow, key, period=period, kind="index_below_threshold", detail=low)
    drop = dropped(card, last_year, level=level) if drop_survives else None
    if drop is not None:
        if not await uow.alerts.details(key, period=period, kind="significant_drop"):
            await _raise(uow, key, period=period, kind="significant_drop", detail=drop)
    if key[0] == "cluster":
        await _gap_alerts(uow, key, period=period, card=card)


async def _gap_alerts(
    uow: AbstractQualityUnitOfWork, key: ScopeKey, *, period: int, card: Card
) -> None:
    importance = await stated_importance(
        uow, scope=key[0], scope_id=key[1], years=range(period, period + 1)
    )
    gaps = competency_gaps(card, importance)["competencies"]
    raised = await uow.alerts.details(key, period=period, kind="competency_gap")
    for detail in gap_details(gaps, known={d["competency"] for d in raised}):
        await _raise(uow, key, period=period, kind="competency_gap", detail=detail)
