"""Replaying an event history into a quality database (the rebuild, rebuild.py, and its
benchmark, bench/rebuild.py).

Every record goes through the live consumer's handlers and inbox rule: an event is applied
once, a repeated event id is skipped. ``replay`` applies a batch a transaction. A run of
assessment, graduate and employment events (nearly the whole of a history) is applied by the
same handlers against rows staged in memory (adapters/staged_rows.py, staged_projection.py):
read for the run in a few queries, written back in one multi-row statement a table, instead of
five to ten statements an event. Any other event is applied as the live consumer applies it.
A batch in which a staged handler fails is rolled back and replayed one event at a time
(``replay_one_by_one``'s way, a savepoint each, so a bad event is left out alone): the end
state is the one-by-one replay's either way.
"""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from aiokafka.structs import ConsumerRecord
from sqlalchemy.ext.asyncio import AsyncSession

from quality.adapters.staged_projection import StagedProjection
from quality.adapters.staged_rows import (
    StagedAssessments,
    StagedBacklog,
    StagedCells,
    StagedExclusions,
    StagedFrameworks,
    StagedInbox,
    StagedMarks,
    Tallies,
    not_staged,
)
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork, SqlQualityUnitOfWork
from shared.contracts.catalogue import assessment as ev
from shared.contracts.catalogue import registry
from shared.platform.logging import described
from shared.platform.messaging.consumer import ConsumerSpec
from shared.platform.messaging.envelope import CloudEvent, InvalidEvent, decode
from shared.platform.messaging.inbox_apply import apply_in, is_outage
from shared.platform.messaging.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

SERVICE = "quality"
# Applied on staged rows: what their handlers (aggregation.apply_assessment,
# registry_events.graduate_changed and employment_changed) read and write is all staged.
ASSESSMENT_TYPES = frozenset(
    kind.event_type
    for kind in (ev.AssessmentSubmitted, ev.AssessmentRevised, ev.AssessmentWithdrawn)
)
GRADUATE_FACT_TYPES = frozenset(
    kind.event_type
    for kind in (
        registry.GraduateRegistered,
        registry.GraduateUpdated,
        registry.EmploymentRecorded,
        registry.EmploymentEnded,
        registry.EmploymentStateChanged,
    )
)
STAGED_TYPES = ASSESSMENT_TYPES | GRADUATE_FACT_TYPES

UowFactory = Callable[[], SqlQualityUnitOfWork]
Consumed = tuple[CloudEvent, list[ConsumerSpec]]  # an event and the consumer groups taking it


def group_id(consumer: ConsumerSpec) -> str:
    """The consumer group's id, which names its inbox rows (as the runtime names it)."""
    return consumer.group_id(SERVICE)


@dataclass
class RebuildResult:
    events_read: int = 0
    events_applied: int = 0
    duplicates_skipped: int = 0
    events_ignored: int = 0  # types the quality service does not consume
    events_failed: int = 0  # not an event, or its handler fails: the live consumer dead-letters
    batches_one_by_one: int = 0  # batches a failing event made replay one event at a time
    scorecards: int = 0
    differences: list[str] = field(default_factory=list)
    # Facts about the live database that explain differences (e.g. it had not caught up).
    notes: list[str] = field(default_factory=list)

    def add(self, batch: "RebuildResult") -> None:
        """Count in one batch's events."""
        self.events_applied += batch.events_applied
        self.duplicates_skipped += batch.duplicates_skipped
        self.events_ignored += batch.events_ignored
        self.events_failed += batch.events_failed


async def replay(
    uow_factory: UowFactory,
    records: list[ConsumerRecord],
    *,
    consumers: Sequence[ConsumerSpec],
    progress: Callable[[str], None],
    batch_size: int,
) -> RebuildResult:
    """Apply ``records`` in order, ``batch_size`` a transaction, the STAGED_TYPES staged."""
    result = RebuildResult(events_read=len(records))
    # The cells read so far, as committed: a cell is read once, not once a batch.
    known: Tallies = {}
    for start in range(0, len(records), batch_size):
        batch = records[start : start + batch_size]
        try:
            result.add(await _replay_staged(uow_factory, batch, consumers, known))
        except Exception as error:
            known.clear()  # rolled back: some may have changed in memory only
            if is_outage(error):
                raise
            log.info("a batch replayed one event at a time", extra={"error": described(error)})
            result.add(await _replay_each(uow_factory, batch, consumers))
            result.batches_one_by_one += 1
        progress(f"{start + len(batch)} of {len(records)} records replayed")
    return result


async def replay_one_by_one(
    uow_factory: UowFactory,
    records: list[ConsumerRecord],
    *,
    consumers: Sequence[ConsumerSpec],
    progress: Callable[[str], None],
    batch_size: int,
) -> RebuildResult:
    """Apply ``records`` in order as the live consumer does, each event through the SQL
    repositories in its own savepoint, ``batch_size`` a transaction."""
    result = RebuildResult(events_read=len(records))
    for start in range(0, len(records), batch_size):
        batch = records[start : start + batch_size]
        result.add(await _replay_each(uow_factory, batch, consumers))
        progress(f"{start + len(batch)} of {len(records)} records replayed")
    return result


async def _replay_each(
    uow_factory: UowFactory, batch: list[ConsumerRecord], consumers: Sequence[ConsumerSpec]
) -> RebuildResult:
    counted = RebuildResult()
    async with uow_factory() as uow:
        for record in batch:
            if consumed := _consumed(record, consumers, counted):
                await _apply(uow, consumed, counted)
        await uow.commit()
    return counted


async def _replay_staged(
    uow_factory: UowFactory,
    batch: list[ConsumerRecord],
    consumers: Sequence[ConsumerSpec],
    known: Tallies,
) -> RebuildResult:
    counted = RebuildResult()
    async with uow_factory() as uow:
        run: list[Consumed] = []
        for record in batch:
            if not (consumed := _consumed(record, consumers, counted)):
                continue
            if consumed[0].type in STAGED_TYPES:
                run.append(consumed)
                continue
            # The staged rows are written before another handler reads the tables, and the cells
            # read again after it (only assessment events change them, but that is their rule).
            await _apply_run(uow.session, run, counted, known)
            run = []
            known.clear()
            await _apply(uow, consumed, counted)
        await _apply_run(uow.session, run, counted, known)
        await uow.commit()
    return counted


def _consumed(
    record: ConsumerRecord, consumers: Sequence[ConsumerSpec], counted: RebuildResult
) -> Consumed | None:
    """The record's event and the groups that consume it; None (counted) for a record that is
    not an event or that no group consumes."""
    try:
        event = decode(record.value)
    except InvalidEvent:
        counted.events_failed += 1
        return None
    groups = [c for c in consumers if record.topic in c.topics and event.type in c.handlers]
    if not groups:
        counted.events_ignored += 1
        return None
    return event, groups


async def _apply(uow: SqlQualityUnitOfWork, consumed: Consumed, counted: RebuildResult) -> None:
    """Apply one event through the SQL repositories, as the live consumer does."""
    event, groups = consumed
    for consumer in groups:
        try:
            # A savepoint per event: a failing handler leaves the rest of the batch intact.
            async with uow.session.begin_nested():
                applied = await apply_in(
                    uow,
                    consumer=group_id(consumer),
                    event=event,
                    handler=consumer.handlers[event.type],
                )
                await uow.write_tallies()  # inside the savepoint, which takes them back on failure
        except Exception as error:
            uow.open_repositories()  # what they held in memory went with the savepoint
            if is_outage(error):
                raise
            log.warning(
                "event not applied in the rebuild",
                extra={"event_id": event.id, "type": event.type, "error": described(error)},
            )
            counted.events_failed += 1
            return
        if applied:
            counted.events_applied += 1
        else:
            counted.duplicates_skipped += 1


async def _apply_run(
    session: AsyncSession, run: list[Consumed], counted: RebuildResult, known: Tallies
) -> None:
    """Apply a run of STAGED_TYPES events on staged rows, then write the rows. A failing
    handler raises: its batch is replayed one event at a time."""
    if not run:
        return
    staged = StagedUnitOfWork(session, known)
    await staged.load(run)
    for event, groups in run:
        for consumer in groups:
            name = group_id(consumer)
            if staged.inbox.has(name, event):
                counted.duplicates_skipped += 1
                continue
            await consumer.handlers[event.type](event, staged)
            staged.inbox.record(name, event)
            counted.events_applied += 1
    await staged.flush()


class StagedUnitOfWork(UnitOfWork, AbstractQualityUnitOfWork):
    """What a STAGED_TYPES event's handler is given in a batch: the staged repositories on the
    replay's session. It publishes and commits nothing (the replay commits), and has none of
    the other repositories: a handler reaching for one fails, and the batch goes one by one."""

    def __init__(self, session: AsyncSession, known: Tallies) -> None:
        self.session = session  # the replay's, already open
        self.inbox = StagedInbox(session)
        self.assessments = self._assessments = StagedAssessments(session)
        self.cells = self._cells = StagedCells(session, known)
        self.marks = self._marks = StagedMarks(session)
        self.backlog = self._backlog = StagedBacklog(session)
        self.frameworks = StagedFrameworks(session)
        self.exclusions = StagedExclusions(session)
        self.projection = self._projection = StagedProjection(session)

    async def load(self, run: list[Consumed]) -> None:
        """Read what the run's events will ask for in a few queries (the states of their
        assessments, the cells those count in now and will count in, the cohorts of their
        graduates): a hint only, anything not loaded is read when asked for."""
        taking: dict[str, list[CloudEvent]] = {}  # consumer group → its events
        for event, groups in run:
            for consumer in groups:
                taking.setdefault(group_id(consumer), []).append(event)
        for name, events in taking.items():
            await self.inbox.load(name, events)
        data = [event.data for event, _ in run]
        counted = await self._assessments.load(d["assessment_id"] for d in data if _names(d))
        await self._cells.load(
            [(d["program_id"], d["period"]) for d in data if _names(d)]
            + [(c.state["program_id"], c.state["period"]) for c in counted if c.active]
        )
        await self._projection.load(
            event.data["graduate_id"]
            for event, _ in run
            if event.type in GRADUATE_FACT_TYPES and "graduate_id" in event.data
        )

    async def flush(self) -> None:
        await self.inbox.flush()
        await self._assessments.flush()
        await self._cells.flush()
        await self._marks.flush()
        await self._backlog.flush()
        await self._projection.flush()

    publish = audit = commit = rollback = not_staged


def _names(data: dict[str, object]) -> bool:
    """Whether an assessment event's data names its assessment and cell (a malformed one fails
    in its handler, not here)."""
    return all(key in data for key in ("assessment_id", "program_id", "period"))
