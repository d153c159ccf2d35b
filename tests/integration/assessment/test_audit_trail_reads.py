"""The audit trail reads a subject's previous entry only when it can have one (country-scale
issue, ingestion): an event that creates its subject (an assessment submitted, a graduate
registered) has nothing before it, so a unit of work committing only such events issues no
SELECT on the trail; any other event still records the state its subject had before."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import MetaData, event, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from shared.contracts.catalogue.assessment import AssessmentRevised, AssessmentSubmitted
from shared.platform.db.audit import audit_table
from shared.platform.db.engine import create_engine
from shared.platform.messaging.payloads import registered_types
from shared.platform.messaging.tables import messaging_metadata
from shared.platform.messaging.unit_of_work import CREATING_EVENTS, UnitOfWork

trail = audit_table(MetaData())


class TrailUnitOfWork(UnitOfWork):
    audit_trail = trail


@pytest.fixture
async def engine(tmp_path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'audit.db'}")
    async with engine.begin() as conn:
        await conn.run_sync(messaging_metadata.create_all)
        await conn.run_sync(trail.metadata.create_all)
    yield engine
    await engine.dispose()


def state(assessment_id: str, *, revision: int = 1, satisfaction: int = 4) -> dict[str, Any]:
    return {
        "assessment_id": assessment_id,
        "revision": revision,
        "employer_id": "e1",
        "graduate_id": "g1",
        "program_id": "p1",
        "institution_id": "i1",
        "field_code": "0613",
        "level": "bachelor",
        "graduation_year": 2024,
        "period": 2025,
        "framework_id": "f1",
        "framework_version": 1,
        "ratings": {"C1": 4},
        "overall_satisfaction": satisfaction,
        "preparedness": 4,
        "would_hire_again": True,
    }


async def trail_reads(engine: AsyncEngine, *payloads: Any) -> list[tuple[Any, ...]]:
    """Publish ``payloads`` in one unit of work and commit; the parameters (the subjects) of
    each SELECT it ran on the trail."""
    seen: list[tuple[Any, ...]] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and "audit_trail" in statement:
            seen.append(tuple(parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        async with TrailUnitOfWork(async_sessionmaker(engine)) as uow:
            for payload in payloads:
                uow.publish(payload)
            await uow.commit()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    return seen


async def entries(engine: AsyncEngine) -> list[tuple[str, Any, Any]]:
    async with engine.connect() as conn:
        rows = await conn.execute(select(trail.c.action, trail.c.before, trail.c.after))
        return [tuple(row) for row in rows]


async def test_a_unit_of_work_of_creations_only_reads_nothing_from_the_trail(engine):
    reads = await trail_reads(
        engine, AssessmentSubmitted(**state("a1")), AssessmentSubmitted(**state("a2"))
    )

    assert reads == []
    assert [(action, before) for action, before, _ in await entries(engine)] == [
        (AssessmentSubmitted.event_type, None),
        (AssessmentSubmitted.event_type, None),
    ]


async def test_an_event_that_does_not_create_its_subject_still_records_its_before(engine):
    submitted = AssessmentSubmitted(**state("a1"))
    await trail_reads(engine, submitted)

    reads = await trail_reads(engine, AssessmentRevised(**state("a1", revision=2, satisfaction=2)))

    assert reads == [("assessments/a1",)]
    (_, (action, before, after)) = await entries(engine)
    assert action == AssessmentRevised.event_type
    assert before == submitted.model_dump(mode="json")
    assert after["overall_satisfaction"] == 2


async def test_a_creation_beside_a_change_reads_only_the_changed_subject(engine):
    submitted = AssessmentSubmitted(**state("a1"))
    await trail_reads(engine, submitted)

    reads = await trail_reads(
        engine,
        AssessmentSubmitted(**state("a2")),
        AssessmentRevised(**state("a1", revision=2)),
    )

    assert reads == [("assessments/a1",)]  # not a2, which it creates
    befores = [(action, before) for action, before, _ in (await entries(engine))[1:]]
    assert befores == [
        (AssessmentSubmitted.event_type, None),
        (AssessmentRevised.event_type, submitted.model_dump(mode="json")),
    ]


def test_the_creating_event_types_are_catalogue_types():
    import shared.contracts.catalogue  # noqa: F401  (registers every type)

    assert CREATING_EVENTS <= set(registered_types())
