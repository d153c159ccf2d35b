"""The rebuild's batched replay (assessment, graduate and employment events on staged rows,
written a batch at a time) leaves the quality database exactly as applying the history one
event at a time does."""

import json
import random
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from aiokafka.structs import ConsumerRecord
from quality.adapters.tables import (
    assessment_states,
    dirty_cells,
    exclusions,
    q_employments,
    q_graduates,
)
from quality.entrypoints.consumers import CONSUMERS
from quality.service_layer.replay import RebuildResult, replay, replay_one_by_one
from quality.service_layer.unit_of_work import SqlQualityUnitOfWork
from sqlalchemy import MetaData, func, inspect, select
from sqlalchemy.event import listen
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.contracts.catalogue import assessment as ev
from shared.contracts.catalogue import registry
from shared.platform.db.engine import create_engine, session_factory
from shared.platform.db.migrations import upgrade
from shared.platform.messaging.envelope import CloudEvent, encode, new_event
from shared.platform.messaging.payloads import EventPayload
from shared.platform.names import ASSESSMENT_TOPIC, REGISTRY_TOPIC

PROGRAMS = [f"p{n}" for n in range(6)]
EXCLUDED_EMPLOYER, EXCLUDED_ASSESSMENT = "e3", "a7"
WRITTEN_AT = {("inbox", "processed_at"), ("messaging_state", "updated_at")}  # when, not what


def _record(offset: int, topic: str, value: bytes) -> ConsumerRecord:
    return ConsumerRecord(topic, 0, offset, offset, 0, b"k", value, None, 0, 0, [])


def _event(payload: EventPayload, service: str) -> CloudEvent:
    return new_event(payload, service=service, subject=payload.subject())


def _framework() -> ev.FrameworkPublished:
    return ev.FrameworkPublished.model_validate(
        {
            "framework_id": "f1",
            "code": "F",
            "version": 1,
            "scale_min": 1,
            "scale_max": 5,
            "domains": [
                {
                    "code": "D1",
                    "name_en": "Domain",
                    "competencies": [
                        {"code": "F1", "name_en": "One"},
                        {"code": "T1", "name_en": "Two"},
                    ],
                }
            ],
        }
    )


def history(seed: int = 7) -> list[ConsumerRecord]:
    """A history exercising what the replay must get right: registry facts and a framework
    between assessment events, graduates and employments among them (graduates moved to another
    program or year, employments of graduates not registered yet, state changes and ends),
    revisions (some moving cell, one older than what was counted), withdrawals, excluded
    assessments, repeated event ids (next to each other and far apart), a record that is not an
    event, a type nobody consumes and an event its handler refuses."""
    rng = random.Random(seed)
    events: list[tuple[str, CloudEvent | bytes]] = []

    def add(topic: str, payload: EventPayload, service: str) -> None:
        events.append((topic, _event(payload, service)))

    for n in range(2):
        add(
            REGISTRY_TOPIC,
            registry.OrganizationRegistered(
                organization_id=f"i{n}",
                kind="education",
                subtype="university",
                name=f"Institute {n}",
                region_code="TK",
                tax_id=f"{100000000 + n}",
                active=True,
            ),
            "registry",
        )
    for p, program in enumerate(PROGRAMS):
        add(REGISTRY_TOPIC, _program(registry.ProgramRegistered, program, p), "registry")
    states: list[dict[str, Any]] = []
    for i in range(120):
        if i == 40:  # domains known from here on; every scored cell marked again
            add(ASSESSMENT_TOPIC, _framework(), "assessment")
        if i == 60:
            add(REGISTRY_TOPIC, _program(registry.ProgramUpdated, "p2", 2), "registry")
            for payload in _graduate_employed():
                add(REGISTRY_TOPIC, payload, "registry")
        program = rng.choice(PROGRAMS)
        rating = rng.randint(1, 5)
        state = {
            "assessment_id": f"a{i}",
            "revision": 1,
            "employer_id": f"e{rng.randrange(8)}",
            "graduate_id": f"g{i}",
            "program_id": program,
            "institution_id": f"i{int(program[1:]) % 2}",
            "field_code": "0613",
            "level": "6",
            "graduation_year": 2024,
            "period": rng.choice((2024, 2025)),
            "framework_id": "f1",
            "framework_version": 1,
            "ratings": {"F1": rating, "T1": rng.choice((None, rating))},
            "overall_satisfaction": rating,
            "preparedness": rng.randint(1, 5),
            "would_hire_again": rating >= 3,
        }
        add(ASSESSMENT_TOPIC, ev.AssessmentSubmitted(**state), "assessment")
        states.append(state)
        if i % 3 == 0:
            for payload in _graduate_facts(i, program=program, year=2023 + i % 2):
                add(REGISTRY_TOPIC, payload, "registry")
    revised = []
    for state in rng.sample(states, 30):
        moved = {"program_id": rng.choice(PROGRAMS), "period": 2026} if rng.random() < 0.3 else {}
        new = {**state, **moved, "revision": 2, "overall_satisfaction": rng.randint(1, 5)}
        add(ASSESSMENT_TOPIC, ev.AssessmentRevised(**new), "assessment")
        revised.append(new)
    older = ev.AssessmentRevised(**{**revised[0], "revision": 1})  # than counted: no effect
    add(ASSESSMENT_TOPIC, older, "assessment")
    for state in revised[:5]:
        add(ASSESSMENT_TOPIC, ev.AssessmentWithdrawn(**{**state, "revision": 3}), "assessment")
    for state in states[-5:]:
        add(ASSESSMENT_TOPIC, ev.AssessmentWithdrawn(**{**state, "revision": 2}), "assessment")

    refused = _event(ev.AssessmentSubmitted(**states[0]), "assessment")
    events.insert(90, (ASSESSMENT_TOPIC, refused.model_copy(update={"data": {"revision": 9}})))
    unknown = _event(ev.AssessmentSubmitted(**states[1]), "assessment")
    events.insert(50, (ASSESSMENT_TOPIC, unknown.model_copy(update={"type": "x.unknown.v1"})))
    events.insert(30, (ASSESSMENT_TOPIC, b"not an event"))
    events.insert(20, events[19])  # a repeat right after the first
    for _ in range(12):  # repeats long after the first, in later batches
        events.insert(rng.randrange(100, len(events)), events[rng.randrange(0, 100)])
    return [
        _record(offset, topic, item if isinstance(item, bytes) else encode(item))
        for offset, (topic, item) in enumerate(events)
    ]


def _program(kind: type[registry._ProgramState], program: str, p: int) -> EventPayload:
    return kind(
        program_id=program,
        institution_id=f"i{p % 2}",
        code=program.upper(),
        name=program,
        field_code="0613",
        level="6",
        language="uz",
        active=True,
    )


def _graduate_employed() -> list[EventPayload]:
    graduate = {
        "graduate_id": "g1",
        "institution_id": "i1",
        "program_id": "p1",
        "graduation_year": 2024,
        "active": True,
    }
    return [
        registry.GraduateRegistered(**graduate),
        registry.EmploymentRecorded(
            employment_id="j1",
            employer_id="e1",
            start_date=date(2024, 9, 1),
            end_date=None,
            isco_code="2512",
            in_field=True,
            **{k: graduate[k] for k in ("graduate_id", "institution_id", "program_id")},
        ),
        registry.GraduateUpdated(**{**graduate, "program_id": "p4"}),  # moved: both cells
    ]


def _graduate_facts(i: int, *, program: str, year: int) -> list[EventPayload]:
    """Graduate ``g{i}``'s facts: some employed before being registered, some moved to
    another program and year, their jobs confirmed or ended (in the same run or in a later
    batch)."""
    graduate = {
        "graduate_id": f"g{i}",
        "institution_id": f"i{int(program[1:]) % 2}",
        "program_id": program,
        "graduation_year": year,
        "active": True,
    }
    job = registry.EmploymentRecorded(
        employment_id=f"j{i}",
        employer_id=f"e{i % 8}",
        start_date=date(year, 9, 1),
        end_date=None,
        isco_code="2512",
        in_field=i % 2 == 0,
        **{k: graduate[k] for k in ("graduate_id", "institution_id", "program_id")},
    )
    registered = registry.GraduateRegistered(**graduate)
    facts: list[EventPayload] = [job, registered] if i % 9 == 0 else [registered, job]
    if i % 4 == 0:
        moved = {"program_id": PROGRAMS[(i + 1) % len(PROGRAMS)], "graduation_year": year + 1}
        facts.append(registry.GraduateUpdated(**{**graduate, **moved}))
    if i % 5 == 0:
        facts.append(
            registry.EmploymentStateChanged(
                **{**job.model_dump(), "state": "confirmed"},
                previous_state="claimed",
                changed_by="institution",
            )
        )
    if i % 7 == 0:
        ended = {"end_date": date(year + 1, 6, 30), "state": "confirmed"}
        facts.append(registry.EmploymentEnded(**{**job.model_dump(), **ended}))
    if i % 11 == 0:
        followed = {"active": i % 2 == 0, "follow_up_outcome": "not_employed"}
        facts.append(
            registry.GraduateUpdated(**{**graduate, **followed}, follow_up_on=date(2025, 3, 1))
        )
    return facts


async def replayed(url: str, records: list[ConsumerRecord], *, batched: bool) -> RebuildResult:
    await upgrade("quality", url)
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:  # the ministry's, as an exclusion reaches a rebuild
            await conn.execute(
                exclusions.insert(),
                [
                    _exclusion("x1", employer_id=EXCLUDED_EMPLOYER),
                    _exclusion("x2", assessment_id=EXCLUDED_ASSESSMENT),
                ],
            )
        uow_factory = partial(SqlQualityUnitOfWork, session_factory(engine), service="quality")
        how = replay if batched else replay_one_by_one
        return await how(
            uow_factory,
            records,
            consumers=CONSUMERS,
            progress=lambda _: None,
            batch_size=40 if batched else 7,
        )
    finally:
        await engine.dispose()


def _exclusion(id_: str, **named: str) -> dict[str, Any]:
    return {
        "id": id_,
        "assessment_id": None,
        "employer_id": None,
        **named,
        "reason": "test",
        "excluded_by": "ministry",
        "excluded_at": datetime(2026, 1, 1, tzinfo=UTC),
    }


async def every_row(url: str) -> dict[str, list[str]]:
    """Each table of the database → its rows (as sorted JSON text), without write times."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
            schema = MetaData()
            await conn.run_sync(lambda sync: schema.reflect(sync, only=names))
            tables: dict[str, list[str]] = {}
            for name in sorted(names):
                table = schema.tables[name]
                rows = (await conn.execute(select(table))).mappings()
                tables[name] = sorted(
                    json.dumps(
                        {k: v for k, v in row.items() if (name, k) not in WRITTEN_AT},
                        sort_keys=True,
                        default=str,
                    )
                    for row in rows
                )
            return tables
    finally:
        await engine.dispose()


async def count(url: str, *conditions: Any, table: Any = assessment_states) -> int:
    engine: AsyncEngine = create_engine(url)
    try:
        async with engine.connect() as conn:
            query = select(func.count()).select_from(table)
            return int(await conn.scalar(query.where(*conditions)) or 0)
    finally:
        await engine.dispose()


async def test_the_batched_replay_leaves_every_row_as_the_one_by_one_replay(make_database_url):
    records = history()
    one_by_one_url, batched_url = await make_database_url("each"), await make_database_url("batch")

    each = await replayed(one_by_one_url, records, batched=False)
    batched = await replayed(batched_url, records, batched=True)

    expected, got = await every_row(one_by_one_url), await every_row(batched_url)
    assert list(got) == list(expected)
    for table in expected:
        assert got[table] == expected[table], table
    counts = ("events_applied", "duplicates_skipped", "events_ignored", "events_failed")
    assert {c: getattr(batched, c) for c in counts} == {c: getattr(each, c) for c in counts}
    # The history exercised what it means to: repeats, a refused event, a bad record, a type
    # nobody consumes, the exclusions, cells marked more than once.
    assert each.duplicates_skipped == 13 and each.events_ignored == 1 and each.events_failed == 2
    assert await count(batched_url, assessment_states.c.active.is_(False)) > 10
    assert await count(batched_url, dirty_cells.c.generation > 1, table=dirty_cells) > 0
    # Only the batch with the refused event went one event at a time.
    assert batched.batches_one_by_one == 1 < len(records) // 40


async def test_a_run_of_graduate_and_employment_events_is_applied_in_a_few_statements(
    make_database_url,
):
    facts = [fact for i in range(150) for fact in _graduate_facts(i, program="p1", year=2024)]
    records = [
        _record(offset, REGISTRY_TOPIC, encode(_event(fact, "registry")))
        for offset, fact in enumerate(facts)
    ]
    url = await make_database_url("facts")
    await upgrade("quality", url)
    engine = create_engine(url)
    statements: list[str] = []
    listen(engine.sync_engine, "before_cursor_execute", lambda *call: statements.append(call[2]))
    try:
        uow_factory = partial(SqlQualityUnitOfWork, session_factory(engine), service="quality")
        result = await replay(
            uow_factory, records, consumers=CONSUMERS, progress=lambda _: None, batch_size=1000
        )
    finally:
        await engine.dispose()

    assert result.events_applied == len(records) > 400 and result.batches_one_by_one == 0
    assert await count(url, table=q_graduates) == await count(url, table=q_employments) == 150
    # The inbox ids and graduates read, the inbox, graduates, employments and marks written:
    # the same few statements for any run (one by one, this run took ~6 an event).
    assert len(statements) <= 10, statements
