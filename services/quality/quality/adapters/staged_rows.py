"""The rows an assessment event reads and writes, staged in memory for a replay that applies
thousands of events a transaction (service_layer/replay.py).

The repositories here answer the same calls as the SQL ones (sql_repositories.py) from rows
loaded for the whole batch in a few queries, keep what the handlers save, and write it back in
one multi-row statement a table (``flush``): the handlers stay the only place that decides what
an event changes. Only the calls an assessment event makes are staged; any other one raises
``NotStaged`` and the replay applies that batch one event at a time instead.
"""

from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, NoReturn, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from quality.adapters.repositories import (
    AssessmentStateRepository,
    CellRepository,
    DirtyMarkRepository,
    ExclusionRepository,
    FrameworkRepository,
    ReleaseBacklogRepository,
)
from quality.adapters.sql_repositories import SqlFrameworkRepository
from quality.adapters.tables import (
    assessment_states,
    cells,
    dirty_cells,
    exclusions,
    unreleased_changes,
)
from quality.domain.cells import ScopeTally
from quality.domain.model import CountedAssessment
from quality.domain.publication import CellKey
from shared.platform.db.queries import insert_or, upsert_many
from shared.platform.messaging.envelope import CloudEvent
from shared.platform.messaging.tables import inbox

_IN_LIST = 1000  # keys a query's IN list: bounded statements on both databases
T = TypeVar("T")


class NotStaged(RuntimeError):
    """A handler called a repository method this staging does not keep."""


def not_staged(*_: object, **__: object) -> NoReturn:
    raise NotStaged("a repository call the staged replay does not keep")


def chunks(items: Collection[T]) -> Iterator[list[T]]:
    """``items`` in lists short enough for one IN list."""
    ordered = list(items)
    for start in range(0, len(ordered), _IN_LIST):
        yield ordered[start : start + _IN_LIST]


class StagedAssessments(AssessmentStateRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._rows: dict[str, CountedAssessment | None] = {}  # None: not seen yet
        self._changed: set[str] = set()

    async def load(self, assessment_ids: Iterable[str]) -> list[CountedAssessment]:
        """Read the states of ``assessment_ids`` not loaded yet; returns those found."""
        missing = {a for a in assessment_ids if a not in self._rows}
        found = []
        for chunk in chunks(missing):
            query = select(assessment_states).where(assessment_states.c.assessment_id.in_(chunk))
            for row in (await self._session.execute(query)).mappings():
                found.append(CountedAssessment(**row))
        self._rows.update(dict.fromkeys(missing))
        self._rows.update((counted.assessment_id, counted) for counted in found)
        return found

    async def get(self, assessment_id: str) -> CountedAssessment | None:
        if assessment_id not in self._rows:
            await self.load([assessment_id])
        return self._rows[assessment_id]

    async def save(self, counted: CountedAssessment) -> None:
        self._rows[counted.assessment_id] = counted
        self._changed.add(counted.assessment_id)

    async def flush(self) -> None:
        saved = [self._rows[a] for a in sorted(self._changed)]
        rows = [
            {
                "assessment_id": c.assessment_id,
                "revision": c.revision,
                "active": c.active,
                "state": c.state,
            }
            for c in saved
            if c is not None
        ]
        await upsert_many(self._session, assessment_states, rows)
        self._changed.clear()

    active_of_employer = active_of_period = not_staged


Tallies = dict[CellKey, ScopeTally | None]  # None: no such cell


class StagedCells(CellRepository):
    """The live cells' tallies; ``known``: those already read and still as stored (the caller
    keeps them from one transaction to the next, and forgets them when that stops being so)."""

    def __init__(self, session: AsyncSession, known: Tallies | None = None) -> None:
        self._session = session
        self._tallies = {} if known is None else known
        self._changed: set[CellKey] = set()

    async def load(self, keys: Iterable[CellKey]) -> None:
        missing = {key for key in keys if key not in self._tallies}
        programs = {program_id for program_id, _ in missing}
        periods = {period for _, period in missing}
        self._tallies.update(dict.fromkeys(missing))
        for chunk in chunks(programs):
            query = select(cells.c.program_id, cells.c.period, cells.c.tally).where(
                cells.c.program_id.in_(chunk), cells.c.period.in_(periods)
            )
            for program_id, period, tally in await self._session.execute(query):
                if (program_id, period) in missing:
                    self._tallies[program_id, period] = ScopeTally.from_json(tally)

    async def get(self, program_id: str, period: int) -> ScopeTally | None:
        if (program_id, period) not in self._tallies:
            await self.load([(program_id, period)])
        return self._tallies[program_id, period]

    async def save(self, tally: ScopeTally, *, program_id: str, period: int) -> None:
        self._tallies[program_id, period] = tally
        self._changed.add((program_id, period))

    async def flush(self) -> None:
        rows = []
        for program_id, period in sorted(self._changed):
            tally = self._tallies[program_id, period]
            assert tally is not None  # only saved cells are changed
            rows.append({"program_id": program_id, "period": period, "tally": tally.to_json()})
        await upsert_many(self._session, cells, rows)
        self._changed.clear()

    in_years = by_program = combined = not_staged


class StagedMarks(DirtyMarkRepository):
    """Dirty marks, counted: n marks of a cell bump its generation by n, as n statements would."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._marks: Counter[CellKey] = Counter()

    async def mark(self, *, program_id: str, period: int) -> None:
        self._marks[program_id, period] += 1

    async def flush(self) -> None:
        if not self._marks:
            return
        statement = insert_or(self._session, dirty_cells)
        bumped = statement.on_conflict_do_update(
            index_elements=["program_id", "period"],
            set_={"generation": dirty_cells.c.generation + statement.excluded.generation},
        )
        rows = [
            {"program_id": program_id, "period": period, "generation": times}
            for (program_id, period), times in sorted(self._marks.items())
        ]
        await self._session.execute(bumped, rows)
        self._marks.clear()

    mark_scored = take = clear = pending = not_staged


class StagedBacklog(ReleaseBacklogRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._employers: dict[tuple[str, int, str], str] = {}  # the last one recorded wins

    async def record(
        self, *, program_id: str, period: int, assessment_id: str, employer_id: str
    ) -> None:
        self._employers[program_id, period, assessment_id] = employer_id

    async def flush(self) -> None:
        rows = [
            {"program_id": p, "period": y, "assessment_id": a, "employer_id": employer}
            for (p, y, a), employer in sorted(self._employers.items())
        ]
        await upsert_many(self._session, unreleased_changes, rows)
        self._employers.clear()

    pending = clear = not_staged


class StagedFrameworks(FrameworkRepository):
    """Frameworks as they were when the batch began: assessment events never change them."""

    def __init__(self, session: AsyncSession) -> None:
        self._sql = SqlFrameworkRepository(session)
        self._domains: dict[str, dict[str, str] | None] = {}

    async def domains_of(self, framework_id: str) -> dict[str, str] | None:
        if framework_id not in self._domains:
            self._domains[framework_id] = await self._sql.domains_of(framework_id)
        known = self._domains[framework_id]
        return None if known is None else dict(known)

    save = domains = not_staged


class StagedExclusions(ExclusionRepository):
    """The exclusions as they were when the batch began (the ministry adds them, not events):
    read once, they are few."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._named: tuple[set[str], set[str]] | None = None  # (assessments, employers)

    async def covers(self, *, assessment_id: str, employer_id: str) -> bool:
        if self._named is None:
            rows = await self._session.execute(
                select(exclusions.c.assessment_id, exclusions.c.employer_id)
            )
            assessments: set[str] = set()
            employers: set[str] = set()
            for excluded_assessment, excluded_employer in rows:
                assessments.add(excluded_assessment)
                employers.add(excluded_employer)
            self._named = assessments, employers
        return assessment_id in self._named[0] or employer_id in self._named[1]

    add = all = not_staged


class StagedInbox:
    """The inbox rule of shared.platform.messaging.inbox on staged rows: an event id already
    recorded (in the database or earlier in the batch) is not applied again."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._seen: set[tuple[str, str, str]] = set()  # (consumer, source, event id)
        self._new: list[dict[str, Any]] = []

    async def load(self, consumer: str, events: Collection[CloudEvent]) -> None:
        c = inbox.c
        for chunk in chunks({event.id for event in events}):
            query = select(c.source, c.event_id).where(
                c.consumer == consumer, c.event_id.in_(chunk)
            )
            self._seen.update((consumer, s, e) for s, e in await self._session.execute(query))

    def has(self, consumer: str, event: CloudEvent) -> bool:
        return (consumer, event.source, event.id) in self._seen

    def record(self, consumer: str, event: CloudEvent) -> None:
        self._seen.add((consumer, event.source, event.id))
        self._new.append(
            {
                "consumer": consumer,
                "source": event.source,
                "event_id": event.id,
                "event_type": event.type,
                "processed_at": datetime.now(UTC),
            }
        )

    async def flush(self) -> None:
        if self._new:
            await self._session.execute(inbox.insert(), self._new)
            self._new = []
