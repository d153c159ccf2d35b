"""The assessment write path is lean (country-scale issue, ingestion): a submission's checks
read outside the write transaction, which on SQLite holds the one write lock for every
statement it runs; a bulk submission reads each kind of fact in a few queries, however many
items it holds."""

from collections.abc import Awaitable

import httpx
from sqlalchemy import event

from shared.platform.db.engine import READ_ONLY, reader
from tests.integration.assessment.world import build_world


async def statements_during(
    assessment, request: Awaitable[httpx.Response]
) -> tuple[list[str], list[str]]:
    """(statements in write transactions, statements in read-only ones) while answering
    ``request`` (answered 201)."""
    engine = assessment.app.state.runtime.engine
    # The writer and, on SQLite, the readers' engine of their own (db/engine.py).
    engines = {engine.sync_engine, reader(engine).sync_engine}
    written: list[str] = []
    read: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
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


async def test_a_submission_checks_before_its_write_transaction_and_only_writes_in_it(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=1)
    body = world.assessment_body(world.graduates[0])

    written, read = await statements_during(
        assessment, assessment.post("/api/v1/assessments", headers=world.as_employer, json=body)
    )

    # The audit trail's read of its subject's previous entry belongs in the write (db/audit.py).
    checks = [s for s in selects(written) if "FROM audit_trail" not in s]
    assert checks == [], written
    assert any("FROM projected_graduates" in s for s in read), read


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
