"""A batch of the live consumer (one unit of work, its events in order, one commit: the consumer
runner's `_apply_batch`) reads and writes each cell's tally once, however many of its events
change that cell — a large program's tally is hundreds of kilobytes of JSON, and writing it once
per event held the quality consumer to about ten events a second."""

from functools import partial

from quality.adapters.tables import cells
from quality.domain.cells import ScopeTally
from quality.entrypoints.consumers import CONSUMERS
from quality.service_layer.replay import group_id
from quality.service_layer.unit_of_work import SqlQualityUnitOfWork
from sqlalchemy import event, select

from shared.contracts.catalogue import assessment as ev
from shared.platform.db.engine import create_engine, session_factory
from shared.platform.db.migrations import upgrade
from shared.platform.messaging.inbox_apply import apply_in
from shared.platform.names import ASSESSMENT_TOPIC
from tests.integration.quality.test_batched_replay import _event, _framework

PROGRAM, PERIOD = "p0", 2025


def submitted(n: int) -> ev.AssessmentSubmitted:
    rating = 1 + n % 5
    return ev.AssessmentSubmitted(
        assessment_id=f"a{n}",
        revision=1,
        employer_id=f"e{n % 7}",
        graduate_id=f"g{n}",
        program_id=PROGRAM,
        institution_id="i0",
        field_code="0613",
        level="6",
        graduation_year=2024,
        period=PERIOD,
        framework_id="f1",
        framework_version=1,
        ratings={"F1": rating, "T1": None},
        overall_satisfaction=rating,
        preparedness=1 + n % 3,
        would_hire_again=rating >= 3,
    )


async def apply_batch(uow: SqlQualityUnitOfWork, payloads: list) -> None:
    """As the consumer runner applies one partition's batch: every event, then one commit."""
    for payload in payloads:
        cloud_event = _event(payload, "assessment")
        for consumer in CONSUMERS:
            if ASSESSMENT_TOPIC in consumer.topics and cloud_event.type in consumer.handlers:
                handler = consumer.handlers[cloud_event.type]
                await apply_in(uow, consumer=group_id(consumer), event=cloud_event, handler=handler)
    await uow.commit()


async def test_a_batch_writes_each_cell_once_and_counts_every_event(make_database_url):
    url = await make_database_url("live")
    await upgrade("quality", url)
    engine = create_engine(url)
    writes: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("INSERT INTO CELLS ", "UPDATE CELLS ")):
            writes.append(statement)

    try:
        uow = partial(SqlQualityUnitOfWork, session_factory(engine), service="quality")
        async with uow() as first:
            await apply_batch(first, [_framework()])
        states = [submitted(n) for n in range(60)]
        event.listen(engine.sync_engine, "before_cursor_execute", seen)
        try:
            async with uow() as batch:
                await apply_batch(batch, states[:40])
            async with uow() as batch:  # the next batch starts from what the first wrote
                await apply_batch(batch, states[40:])
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", seen)
        async with engine.connect() as conn:
            stored = await conn.scalar(
                select(cells.c.tally).where(cells.c.program_id == PROGRAM, cells.c.period == PERIOD)
            )
    finally:
        await engine.dispose()

    assert len(writes) == 2  # one per batch, not one per event
    expected = ScopeTally.from_states(
        {**s.model_dump(mode="json"), "rating_domains": {"F1": "D1", "T1": "D1"}} for s in states
    )
    assert ScopeTally.from_json(stored) == expected
