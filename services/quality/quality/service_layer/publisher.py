"""Each window: recompute the periods whose cells changed, store what changed, announce it.

At most one score.updated per scope, period and pool per window, keyed by the scope's id, in
the same transaction as the stored score (the outbox carries it out).
"""

import asyncio
import logging
from datetime import date
from typing import Any

from sqlalchemy import delete, select, text

from quality.adapters.tables import scores
from quality.domain.scorecard import Scorecard
from quality.service_layer.alerts import raise_alerts
from quality.service_layer.dirty import clear_marks, take_marks
from quality.service_layer.methodology import current_content, from_json
from quality.service_layer.outcomes import COVERAGE_COHORTS
from quality.service_layer.scoreboard import ScopeKey, compute_scorecards
from shared.contracts.catalogue.quality import Figure, ScoreUpdated
from shared.platform.db.queries import now, upsert
from shared.platform.messaging.leadership import lock_id
from shared.platform.messaging.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def periods_to_recompute(periods: set[int], *, this_year: int) -> set[tuple[int, bool]]:
    """The scorecards a change in year Y can move: the years and pools ending in Y … Y + 4.

    A pool ending at P sums P − 2 … P, and coverage at P counts the cohorts P − 4 … P, so
    nothing later than Y + 4 depends on Y (and nothing in the future is scored).
    """
    return {
        (p, pooled)
        for period in periods
        for p in range(period, min(period + COVERAGE_COHORTS - 1, this_year) + 1)
        for pooled in (False, True)
    }


async def _stored(uow: UnitOfWork, period: int, pooled: bool) -> dict[ScopeKey, dict[str, Any]]:
    result = await uow.session.execute(
        select(scores.c.scope, scores.c.scope_id, scores.c.card).where(
            scores.c.period == period, scores.c.pooled.is_(pooled)
        )
    )
    return {(scope, scope_id): card for scope, scope_id, card in result}


def _event(key: ScopeKey, period: int, pooled: bool, card: dict[str, Any]) -> ScoreUpdated:
    index = card["index"]
    return ScoreUpdated(
        scope=key[0],
        scope_id=key[1],
        period=period,
        pooled=pooled,
        methodology_version=card["methodology_version"],
        index=Figure(
            value=index["value"],
            ci_low=None,
            ci_high=None,
            n=card["indicators"]["employer_satisfaction"]["n"],
            suppressed=index["suppressed"],
            reason=index["reason"],
        ),
        indicators={name: Figure(**f) for name, f in card["indicators"].items()},
    )


async def _store_changes(
    uow: UnitOfWork,
    cards: dict[ScopeKey, Scorecard],
    *,
    period: int,
    pooled: bool,
    alert_below: float,
) -> int:
    stored = await _stored(uow, period, pooled)
    changed = 0
    for key, card in sorted(cards.items()):
        content = card.to_json()
        if stored.get(key) == content:
            continue
        await upsert(
            uow.session,
            scores,
            {
                "scope": key[0],
                "scope_id": key[1],
                "period": period,
                "pooled": pooled,
                "methodology_version": card.methodology_version,
                "card": content,
                "computed_at": now(),
            },
        )
        uow.publish(_event(key, period, pooled, content))
        if not pooled:
            await raise_alerts(
                uow, key, period=period, card=content, before=stored.get(key), threshold=alert_below
            )
        changed += 1
    for key in stored.keys() - cards.keys():  # e.g. a program that moved to another institution
        await uow.session.execute(
            delete(scores).where(
                scores.c.scope == key[0],
                scores.c.scope_id == key[1],
                scores.c.period == period,
                scores.c.pooled.is_(pooled),
            )
        )
    return changed


async def _only_publisher(uow: UnitOfWork) -> bool:
    """One publisher at a time across replicas (two would announce the same change twice).

    SQLite serialises writers already; PostgreSQL takes a transaction-scoped advisory lock.
    """
    if uow.session.bind.dialect.name == "sqlite":
        return True
    return bool(
        await uow.session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": lock_id("quality-publisher")}
        )
    )


async def publish_changes(uow_factory) -> int:  # type: ignore[no-untyped-def]
    """One window's work; returns how many scorecards changed."""
    async with uow_factory() as uow:
        if not await _only_publisher(uow):
            return 0
        marks = await take_marks(uow)
        if not marks:
            return 0
        content = await current_content(uow)
        methodology = from_json(content)
        changed = 0
        targets = periods_to_recompute({m[1] for m in marks}, this_year=date.today().year)
        for period, pooled in sorted(targets):
            cards = await compute_scorecards(
                uow, period=period, pooled=pooled, methodology=methodology
            )
            changed += await _store_changes(
                uow,
                cards,
                period=period,
                pooled=pooled,
                alert_below=content["alert_index_below"],
            )
        await clear_marks(uow, marks)
        await uow.commit()
    if changed:
        log.info("scores updated", extra={"scorecards": changed, "periods": len(targets)})
    return changed


async def run_publisher(uow_factory, *, window_s: float) -> None:  # type: ignore[no-untyped-def]
    """Publish changed scores every ``window_s`` seconds, for as long as the service runs."""
    while True:
        await publish_changes(uow_factory)
        await asyncio.sleep(window_s)
