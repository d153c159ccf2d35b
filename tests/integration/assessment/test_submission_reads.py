"""A submission reads each fact it checks once: the write path of the country-scale issue
(every statement is another round trip under the write lock on SQLite)."""

from collections.abc import Awaitable

import httpx
from sqlalchemy import event

from shared.platform.db.engine import reader
from tests.integration.assessment.world import build_world


async def statements_during(assessment, request: Awaitable[httpx.Response]) -> list[str]:
    """The SELECTs the assessment service ran while answering ``request`` (answered 201)."""
    runtime_engine = assessment.app.state.runtime.engine
    # The writer and, on SQLite, the readers' engine of their own (db/engine.py).
    engines = {runtime_engine.sync_engine, reader(runtime_engine).sync_engine}
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    for engine in engines:
        event.listen(engine, "before_cursor_execute", seen)
    try:
        answer = await request
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", seen)
    assert answer.status_code == 201, answer.text
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")]


def reads(selects: list[str], table: str) -> int:
    # A single submission's facts are one joined SELECT (adapters/read_ahead.py).
    return sum(f"FROM {table}" in s or f"JOIN {table} " in s for s in selects)


async def test_a_submission_reads_its_framework_and_its_graduate_once(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=2)
    body = world.assessment_body(world.graduates[0])

    selects = await statements_during(
        assessment, assessment.post("/api/v1/assessments", headers=world.as_employer, json=body)
    )

    assert reads(selects, "frameworks") == 1, selects
    assert reads(selects, "projected_graduates") == 1, selects


async def test_a_bulk_submission_reads_its_framework_once(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=5)
    items = [world.assessment_body(g) for g in world.graduates[:5]]

    selects = await statements_during(
        assessment,
        assessment.post(
            "/api/v1/assessments/bulk", headers=world.as_employer, json={"items": items}
        ),
    )

    assert reads(selects, "frameworks") == 1, selects
