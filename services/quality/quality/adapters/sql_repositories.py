"""SQL implementations of the event-side repositories (adapters/repositories.py has the ports):
assessment states, cell tallies, dirty marks, frameworks, requirements and methodologies."""

from collections.abc import AsyncIterator, Collection
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    delete,
    func,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from quality.adapters.repositories import (
    AssessmentStateRepository,
    CellRepository,
    DirtyMarkRepository,
    ExclusionRepository,
    FrameworkRepository,
    MethodologyRepository,
    RequirementRepository,
)
from quality.adapters.scoring_queries import programs_in
from quality.adapters.tables import (
    assessment_states,
    cells,
    dirty_cells,
    exclusions,
    methodologies,
    q_frameworks,
    q_programs,
    q_requirements,
    scores,
)
from quality.domain.cells import ScopeTally
from quality.domain.model import CountedAssessment, Exclusion, Mark, Requirement
from quality.domain.publication import CellKey
from shared.platform.db.queries import insert_or, upsert, upsert_many

_CLEAR_BATCH = 200  # marks per DELETE: bounded statements


class SqlAssessmentStateRepository(AssessmentStateRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, assessment_id: str) -> CountedAssessment | None:
        row = (
            (
                await self._session.execute(
                    select(assessment_states).where(
                        assessment_states.c.assessment_id == assessment_id
                    )
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else CountedAssessment(**row)

    async def save(self, counted: CountedAssessment) -> None:
        await upsert(
            self._session,
            assessment_states,
            {
                "assessment_id": counted.assessment_id,
                "revision": counted.revision,
                "active": counted.active,
                "state": counted.state,
            },
        )

    async def active_of_employer(self, employer_id: str) -> AsyncIterator[CountedAssessment]:
        # The employer is inside the state's JSON: a scan, for the rare exclusion of one.
        async for counted in self._active():
            if counted.state.get("employer_id") == employer_id:
                yield counted

    async def active_of_period(self, period: int) -> AsyncIterator[CountedAssessment]:
        # A scan too: once per publication, beside its far costlier disclosure audit.
        async for counted in self._active():
            if counted.state.get("period") == period:
                yield counted

    async def _active(self) -> AsyncIterator[CountedAssessment]:
        query = select(assessment_states).where(assessment_states.c.active.is_(True))
        stream = await self._session.stream(query.execution_options(yield_per=5000))
        async for partition in stream.mappings().partitions():
            for row in partition:
                yield CountedAssessment(**row)


class SqlExclusionRepository(ExclusionRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, exclusion: Exclusion) -> None:
        await self._session.execute(exclusions.insert().values(**asdict(exclusion)))

    async def covers(self, *, assessment_id: str, employer_id: str) -> bool:
        c = exclusions.c
        found = await self._session.scalar(
            select(c.id)
            .where(or_(c.assessment_id == assessment_id, c.employer_id == employer_id))
            .limit(1)
        )
        return found is not None

    async def all(self) -> list[Exclusion]:
        rows = await self._session.execute(select(exclusions).order_by(exclusions.c.excluded_at))
        return [Exclusion(**row) for row in rows.mappings()]


class SqlCellRepository(CellRepository):
    """The tallies of ``table``: the live ``cells`` (default) or the ``released_cells``.

    A saved tally is written when the unit of work commits (``flush``), and read back from
    memory until then: a consumer's batch of events on one cell parses and writes its tally
    once, not once per event (a large program's tally is hundreds of kilobytes of JSON). The
    readers of many cells flush first, so they see what this unit of work saved.
    """

    def __init__(self, session: AsyncSession, table: Table = cells) -> None:
        self._session = session
        self._table = table
        self._saved: dict[CellKey, ScopeTally] = {}  # not yet written

    async def get(self, program_id: str, period: int) -> ScopeTally | None:
        if (saved := self._saved.get((program_id, period))) is not None:
            return saved
        t = self._table
        stored = await self._session.scalar(
            select(t.c.tally).where(t.c.program_id == program_id, t.c.period == period)
        )
        return None if stored is None else ScopeTally.from_json(stored)

    async def save(self, tally: ScopeTally, *, program_id: str, period: int) -> None:
        self._saved[program_id, period] = tally

    async def flush(self) -> None:
        rows = [
            {"program_id": program_id, "period": period, "tally": tally.to_json()}
            for (program_id, period), tally in sorted(self._saved.items())
        ]
        self._saved.clear()
        await upsert_many(self._session, self._table, rows)

    async def in_years(self, years: range) -> dict[CellKey, ScopeTally]:
        await self.flush()
        t = self._table
        result = await self._session.execute(
            select(t.c.program_id, t.c.period, t.c.tally).where(
                t.c.period.between(years[0], years[-1])
            )
        )
        return {(p, y): ScopeTally.from_json(tally) for p, y, tally in result}

    async def by_program(
        self, years: range, programs: Collection[str] | None = None
    ) -> dict[str, ScopeTally]:
        await self.flush()
        t = self._table
        by_program: dict[str, list[ScopeTally]] = {}
        query = select(t.c.program_id, t.c.tally).where(t.c.period.between(years[0], years[-1]))
        if programs is not None:
            query = query.where(t.c.program_id.in_(programs))
        result = await self._session.execute(query)
        for program_id, tally in result:
            by_program.setdefault(program_id, []).append(ScopeTally.from_json(tally))
        return {p: ScopeTally.combine(ts) for p, ts in by_program.items()}

    async def combined(self, program_ids: Collection[str], years: range) -> ScopeTally:
        await self.flush()
        t = self._table
        result = await self._session.execute(
            select(t.c.tally).where(
                t.c.program_id.in_(program_ids), t.c.period.between(years[0], years[-1])
            )
        )
        return ScopeTally.combine(ScopeTally.from_json(tally) for (tally,) in result)


class SqlDirtyMarkRepository(DirtyMarkRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def mark(self, *, program_id: str, period: int) -> None:
        marked = insert_or(self._session, dirty_cells).values(
            program_id=program_id, period=period, generation=1
        )
        await self._session.execute(
            marked.on_conflict_do_update(
                index_elements=["program_id", "period"],
                set_={"generation": dirty_cells.c.generation + 1},
            )
        )

    async def mark_scored(self, program_ids: Collection[str] | None = None) -> None:
        tallied = select(cells.c.program_id, cells.c.period)
        scored = select(scores.c.scope_id, scores.c.period).where(scores.c.scope == "program")
        # Marked already: a window may be computing them right now, with what it read before
        # this change; bumping their generation keeps them marked for the next window.
        pending = select(dirty_cells.c.program_id, dirty_cells.c.period)
        if program_ids is not None:
            if not program_ids:
                return
            tallied = tallied.where(cells.c.program_id.in_(program_ids))
            scored = scored.where(scores.c.scope_id.in_(program_ids))
            pending = pending.where(dirty_cells.c.program_id.in_(program_ids))
        every = tallied.union(scored, pending)
        for program_id, period in (await self._session.execute(every)).all():
            await self.mark(program_id=program_id, period=period)

    async def take(self) -> list[Mark]:
        result = await self._session.execute(
            select(dirty_cells.c.program_id, dirty_cells.c.period, dirty_cells.c.generation)
        )
        return [(program_id, period, generation) for program_id, period, generation in result]

    async def clear(self, marks: list[Mark]) -> None:
        for start in range(0, len(marks), _CLEAR_BATCH):
            batch = marks[start : start + _CLEAR_BATCH]
            await self._session.execute(
                delete(dirty_cells).where(
                    or_(
                        *(
                            and_(
                                dirty_cells.c.program_id == program_id,
                                dirty_cells.c.period == period,
                                dirty_cells.c.generation == generation,
                            )
                            for program_id, period, generation in batch
                        )
                    )
                )
            )

    async def pending(self) -> int:
        return int(await self._session.scalar(select(func.count()).select_from(dirty_cells)) or 0)


class SqlFrameworkRepository(FrameworkRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save(self, *, framework_id: str, version: int, domains: dict[str, str]) -> None:
        await upsert(
            self._session,
            q_frameworks,
            {"id": framework_id, "version": version, "domains": domains},
        )

    async def domains_of(self, framework_id: str) -> dict[str, str] | None:
        found = await self._session.scalar(
            select(q_frameworks.c.domains).where(q_frameworks.c.id == framework_id)
        )
        return None if found is None else dict(found)

    async def domains(self) -> dict[str, str]:
        merged: dict[str, str] = {}
        for (domains,) in await self._session.execute(
            select(q_frameworks.c.domains).order_by(q_frameworks.c.version)
        ):
            merged.update(domains)
        return merged


class SqlRequirementRepository(RequirementRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def has_version_from(self, series: str, version: int) -> bool:
        newer = await self._session.scalar(
            select(q_requirements.c.id).where(
                q_requirements.c.series == series, q_requirements.c.version >= version
            )
        )
        return newer is not None

    async def replace(self, requirement: Requirement) -> None:
        await self._session.execute(
            delete(q_requirements).where(q_requirements.c.series == requirement.series)
        )
        await self._session.execute(
            q_requirements.insert().values(
                id=requirement.id,
                series=requirement.series,
                version=requirement.version,
                employer_id=requirement.employer_id,
                cluster_id=requirement.cluster_id,
                field_code=requirement.field_code,
                program_id=requirement.program_id,
                importance=requirement.importance,
            )
        )

    async def importance_for(
        self, *, scope: str, scope_id: str, years: range
    ) -> list[tuple[str, dict[str, int]]]:
        programs = programs_in(scope, scope_id, first_year=years[0], last_year=years[-1])
        fields = select(q_programs.c.field_code).where(q_programs.c.id.in_(programs))
        applies: list[ColumnElement[bool]] = [
            q_requirements.c.program_id.in_(programs),
            q_requirements.c.field_code.in_(fields),
        ]
        if scope == "cluster":
            applies.append(q_requirements.c.cluster_id == scope_id)
        c = q_requirements.c
        stater = func.coalesce(c.employer_id, c.cluster_id)
        result = await self._session.execute(select(stater, c.importance).where(or_(*applies)))
        return [(by, importance) for by, importance in result]


class SqlMethodologyRepository(MethodologyRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def latest(self) -> dict[str, Any] | None:
        content: dict[str, Any] | None = await self._session.scalar(
            select(methodologies.c.content).order_by(methodologies.c.version.desc()).limit(1)
        )
        return content

    async def latest_version(self) -> int | None:
        version: int | None = await self._session.scalar(select(func.max(methodologies.c.version)))
        return version

    async def add(self, content: dict[str, Any], *, published_at: datetime) -> None:
        await self._session.execute(
            methodologies.insert().values(
                version=content["version"], content=content, published_at=published_at
            )
        )
