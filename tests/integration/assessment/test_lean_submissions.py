"""The assessment write path is lean (country-scale issue, ingestion): a submission's checks
read outside the write transaction, which on SQLite holds the one write lock for every
statement it runs; a bulk submission reads each kind of fact in a few queries, however many
items it holds."""

import asyncio
from collections.abc import Awaitable

import httpx
from sqlalchemy import event

from shared.platform.db.engine import READ_ONLY, reader
from tests.integration.assessment.world import build_world


async def statements_during(
    assessment, request: Awaitable[httpx.Response]
) -> tuple[list[str], list[str]]:
    """(statements in write transactions, statements in read-only ones) of answering
    ``request`` (answered 201): the app runs in this task (httpx.ASGITransport), the
    service's background work (the outbox relay) in others."""
    engine = assessment.app.state.runtime.engine
    # The writer and, on SQLite, the readers' engine of their own (db/engine.py).
    engines = {engine.sync_engine, reader(engine).sync_engine}
    written: list[str] = []
    read: list[str] = []

    task = asyncio.current_task()

    def seen(conn, cursor, statement, parameters, context, executemany):
        if asyncio.current_task() is not task:
            return
        (read if conn.get_execution_options().get(READ_ONLY) else written).append(statement)

    for each in engines:
        event.listen(each, "before_cursor_execute", seen)
    try:
        answer = await request
    finally:
        for each in engines:
            event.remove(each, "before_cursor_execute", seen)
    assert answer.status_code == 201, answer.text
    return written, read


def selects(statements: list[str]) -> list[str]:
    # PostgreSQL's per-key advisory locks of the outbox are SELECTs that read nothing.
    return [
        s
        for s in statements
        if s.lstrip().upper().startswith("SELECT") and "pg_advisory_xact_lock" not in s
    ]


async def test_a_bulk_submission_reads_each_kind_of_fact_in_one_query_whatever_its_size(
    platform,
):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=6)
    items = [world.assessment_body(g) for g in world.graduates]

    written, read = await statements_during(
        assessment,
        assessment.post(
            "/api/v1/assessments/bulk", headers=world.as_employer, json={"items": items}
        ),
    )

    reads = selects(written + read)
    for table in (
        "projected_graduates",
        "projected_employments",
        "projected_organizations",
        "projected_programs",
        "assessments",
    ):
        assert sum(f"FROM {table} " in s + " " for s in reads) == 1, (table, reads)


def executed(statements: list[str]) -> list[str]:
    """Each statement's first words, but what every transaction runs: SQLite's BEGIN, and
    PostgreSQL's statement timeout and the outbox's per-key lock (db/engine.py, outbox.py)."""
    return [
        " ".join(s.split()[:4])
        for s in statements
        if not s.lstrip().upper().startswith(("BEGIN", "SET LOCAL"))
        and "pg_advisory_xact_lock" not in s
    ]


async def test_a_single_submission_checks_in_one_query_before_it_writes_one_row_a_table(
    platform,
):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=1)
    body = world.assessment_body(world.graduates[0])

    written, read = await statements_during(
        assessment, assessment.post("/api/v1/assessments", headers=world.as_employer, json=body)
    )

    # The employer, graduate, program, framework, employments and active twin: one SELECT
    # (each statement is several hand-offs to the driver's thread, the CPU a submission costs).
    assert len(executed(read)) == 1, read
    assert "projected_graduates" in selects(read)[0], read
    # Checked before the write transaction, which only inserts (the audit trail reads no
    # previous entry of a new subject): on SQLite it holds the one write lock for less.
    assert [s.split()[2] for s in executed(written)] == [
        "assessments",
        "assessment_revisions",
        "audit_trail",
        "outbox",
    ], written
