"""Each window: move the live figures by what changed, store what changed, announce it.

These are the *live* figures, the ministry's alone: at most one score.updated per scope, period
and pool per window on the ministry-only live topic, keyed by the scope's id, in the same
transaction as the stored score (the outbox carries it out). Everyone else reads publications
(service_layer/publications.py), which also raise the alerts.
"""

import asyncio
import logging
from collections.abc import Callable, Mapping
from datetime import date

from quality import events
from quality.domain.methodology import from_json
from quality.domain.model import Card, ScopeKey, StoredScore
from quality.domain.outcomes import published_from
from quality.domain.periods import periods_to_recompute
from quality.domain.ranking import ranks_by_scope
from quality.service_layer.comparable import comparable_groups
from quality.service_layer.live_board import Changes, LiveBoard, LiveBoards
from quality.service_layer.methodology import current_content
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.platform.db.queries import now
from shared.platform.messaging.inbox_apply import is_outage

log = logging.getLogger(__name__)

UowFactory = Callable[[], AbstractQualityUnitOfWork]


async def _store(
    uow: AbstractQualityUnitOfWork, board: LiveBoard, changes: Changes, methodology_version: int
) -> int:
    for key, content in sorted(changes.saved.items()):
        await uow.scores.save(
            StoredScore(
                scope=key[0],
                scope_id=key[1],
                period=board.period,
                pooled=board.pooled,
                methodology_version=methodology_version,
                card=content,
                computed_at=now(),
            )
        )
        uow.publish(
            events.score_updated(key, period=board.period, pooled=board.pooled, card=content)
        )
    for key in sorted(changes.deleted):  # e.g. a program that moved to another institution
        await uow.scores.delete(key, period=board.period, pooled=board.pooled)
    board.written = await uow.scores.written(period=board.period, pooled=board.pooled)
    return len(changes.saved)


async def _store_ranks(uow: AbstractQualityUnitOfWork, board: LiveBoard, now: float) -> None:
    """Rank the units of every comparable group a change touched, so that reading a
    scorecard ranks nothing (each group's ranks depend on its own units alone)."""
    groups = await comparable_groups(uow)
    ranked: Mapping[ScopeKey, Card] = board.stored
    if board.rank_groups is not None:
        touched = {
            (key[0], group)
            for key in board.unranked
            for group in (groups.get(key), board.rank_groups.get(key))
        }
        ranked = {k: c for k, c in board.stored.items() if (k[0], groups.get(k)) in touched}
    ranks = ranks_by_scope(ranked, groups)
    for scope in sorted({key[0] for key in ranked}):
        await uow.scores.save_ranks(
            scope,
            period=board.period,
            pooled=board.pooled,
            ranks={key[1]: place for key, place in ranks.items() if key[0] == scope},
            units=None
            if board.rank_groups is None
            else {key[1] for key in ranked if key[0] == scope},
        )
    board.rank_groups, board.ranked_at = groups, now
    board.unranked.clear()


async def publish_changes(
    uow_factory: UowFactory, *, today: date | None = None, boards: LiveBoards | None = None
) -> int:
    """One window's work; returns how many scorecards changed (``today``: the clock).
    ``boards`` keeps the live figures between windows (none: each period computed afresh)."""
    boards = LiveBoards() if boards is None else boards
    today = today or date.today()
    async with uow_factory() as uow:
        if not await uow.scores.claim_publication():
            return 0
        marks = await uow.marks.take()
        if not marks and not boards.due_for_ranks():
            return 0
        methodology = from_json(await current_content(uow))
        changed = 0
        targets = periods_to_recompute({m[1] for m in marks}, this_year=today.year)
        try:
            for period, pooled in sorted(targets):
                programs = {
                    m[0]
                    for m in marks
                    if (period, pooled) in periods_to_recompute({m[1]}, this_year=today.year)
                }
                board, changes = await boards.window(
                    uow,
                    period=period,
                    pooled=pooled,
                    programs=programs,
                    methodology=methodology,
                    today=today,
                )
                changed += await _store(uow, board, changes, methodology.version)
            for board in boards.due_for_ranks():
                await _store_ranks(uow, board, boards.clock())
            await uow.marks.clear(marks)
            await uow.commit()
        except BaseException:
            boards.forget()  # what is stored is no longer what the boards hold
            raise
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


async def run_publisher(
    uow_factory: UowFactory,
    *,
    window_s: float,
    reconcile_every_s: float = 3600.0,
    rank_every_s: float = 0.0,
) -> None:
    """Publish changed scores every ``window_s`` seconds, for as long as the service runs,
    keeping the live figures between windows (rebuilt every ``reconcile_every_s``; ranks
    stored at most every ``rank_every_s``). A database that is busy or away costs a window
    (its marks wait for the next), not the task."""
    boards = LiveBoards(reconcile_every_s=reconcile_every_s, rank_every_s=rank_every_s)
    checked_on: date | None = None
    while True:
        today = date.today()
        try:
            if today != checked_on:
                await mark_opened_outcomes(uow_factory, since=checked_on, today=today)
                checked_on = today
            await publish_changes(uow_factory, today=today, boards=boards)
        except Exception as error:
            if not is_outage(error):
                raise
            log.warning("scoring window skipped", extra={"error": type(error).__name__})
        await asyncio.sleep(window_s)
