"""A submission reads each fact it checks once: the write path of the country-scale issue
(every statement is another round trip under the write lock on SQLite)."""

from sqlalchemy import event

from tests.integration.assessment.world import build_world


async def test_a_submission_reads_its_framework_and_its_graduate_once(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=2)
    engine = assessment.app.state.runtime.engine.sync_engine
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        answer = await assessment.post(
            "/api/v1/assessments",
            headers=world.as_employer,
            json=world.assessment_body(world.graduates[0]),
        )
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert answer.status_code == 201, answer.text

    def reads(table: str) -> int:
        return sum(
            s.lstrip().upper().startswith("SELECT") and f"FROM {table}" in s for s in statements
        )

    assert reads("frameworks") == 1, statements
    assert reads("projected_graduates") == 1, statements


async def test_a_bulk_submission_reads_its_framework_once(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=5)
    engine = assessment.app.state.runtime.engine.sync_engine
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        answer = await assessment.post(
            "/api/v1/assessments/bulk",
            headers=world.as_employer,
            json={"items": [world.assessment_body(g) for g in world.graduates[:5]]},
        )
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert answer.status_code == 201, answer.text
    framework_reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert sum("FROM frameworks" in s for s in framework_reads) == 1, statements
