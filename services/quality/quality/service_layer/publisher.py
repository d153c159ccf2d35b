"""Each window: recompute the periods whose cells changed, store what changed, announce it.

These are the *live* figures, the ministry's alone: at most one score.updated per scope, period
and pool per window on the ministry-only live topic, keyed by the scope's id, in the same
transaction as the stored score (the outbox carries it out). Everyone else reads publications
(service_layer/publications.py), which also raise the alerts.
"""

import asyncio
import logging
from collections.abc import Callable
from datetime import date

from quality import events
from quality.domain.methodology import from_json
from quality.domain.model import ScopeKey, StoredScore
from quality.domain.outcomes import published_from
from quality.domain.periods import periods_to_recompute
from quality.domain.ranking import ranks_by_scope
from quality.domain.scorecard import Scorecard
from quality.service_layer.comparable import comparable_groups
from quality.service_layer.methodology import current_content
from quality.service_layer.scoreboard import compute_scorecards
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.platform.db.queries import now
from shared.platform.messaging.inbox_apply import is_outage

log = logging.getLogger(__name__)

UowFactory = Callable[[], AbstractQualityUnitOfWork]


async def _store_changes(
    uow: AbstractQualityUnitOfWork,
    cards: dict[ScopeKey, Scorecard],
    *,
    period: int,
    pooled: bool,
) -> int:
    stored = await uow.scores.cards(period=period, pooled=pooled)
    changed = 0
    for key, card in sorted(cards.items()):
        content = card.to_json()
        if stored.get(key) == content:
            continue
        await uow.scores.save(
            StoredScore(
                scope=key[0],
                scope_id=key[1],
                period=period,
                pooled=pooled,
                methodology_version=card.methodology_version,
                card=content,
                computed_at=now(),
            )
        )
        uow.publish(events.score_updated(key, period=period, pooled=pooled, card=content))
        changed += 1
    for key in stored.keys() - cards.keys():  # e.g. a program that moved to another institution
        await uow.scores.delete(key, period=period, pooled=pooled)
    await _store_ranks(uow, cards, period=period, pooled=pooled)
    return changed


async def _store_ranks(
    uow: AbstractQualityUnitOfWork, cards: dict[ScopeKey, Scorecard], *, period: int, pooled: bool
) -> None:
    """Rank every scope's units once here, so that reading a scorecard ranks nothing."""
    ranks = ranks_by_scope(
        {key: card.to_json() for key, card in cards.items()}, await comparable_groups(uow)
    )
    for scope in sorted({key[0] for key in cards}):
        of_scope = {key[1]: rank for key, rank in ranks.items() if key[0] == scope}
        await uow.scores.save_ranks(scope, period=period, pooled=pooled, ranks=of_scope)


async def publish_changes(uow_factory: UowFactory, *, today: date | None = None) -> int:
    """One window's work; returns how many scorecards changed (``today``: the clock)."""
    async with uow_factory() as uow:
        if not await uow.scores.claim_publication():
            return 0
        marks = await uow.marks.take()
        if not marks:
            return 0
        content = await current_content(uow)
        methodology = from_json(content)
        changed = 0
        this_year = (today or date.today()).year
        targets = periods_to_recompute({m[1] for m in marks}, this_year=this_year)
        for period, pooled in sorted(targets):
            cards = await compute_scorecards(
                uow, period=period, pooled=pooled, methodology=methodology, today=today
            )
            changed += await _store_changes(
                uow,
                cards,
                period=period,
                pooled=pooled,
            )
        await uow.marks.clear(marks)
        await uow.commit()
    if changed:
        log.info("scores updated", extra={"scorecards": changed, "periods": len(targets)})
    return changed


async def mark_opened_outcomes(uow_factory: UowFactory, *, since: date | None, today: date) -> bool:
    """Mark the cells of the cohort whose outcome window opened after ``since`` (None: the
    service just started) and by ``today``: time, not an event, makes them publishable."""
    async with uow_factory() as uow:
        methodology = from_json(await current_content(uow))
        cohort = today.year - 1
        opens = published_from(cohort, lag_days=methodology.outcome_lag_days)
        if not (since is None or since < opens) or today < opens:
            return False
        for program_id in await uow.projection.programs_of_cohort(cohort):
            await uow.marks.mark(program_id=program_id, period=cohort)
        await uow.commit()
    log.info("outcome window opened", extra={"cohort": cohort, "opened_on": opens.isoformat()})
    return True


async def run_publisher(uow_factory: UowFactory, *, window_s: float) -> None:
    """Publish changed scores every ``window_s`` seconds, for as long as the service runs. A
    database that is busy or away costs a window (its marks wait for the next), not the task."""
    checked_on: date | None = None
    while True:
        today = date.today()
        try:
            if today != checked_on:
                await mark_opened_outcomes(uow_factory, since=checked_on, today=today)
                checked_on = today
            await publish_changes(uow_factory, today=today)
        except Exception as error:
            if not is_outage(error):
                raise
            log.warning("scoring window skipped", extra={"error": type(error).__name__})
        await asyncio.sleep(window_s)
