"""An interim round computes and audits each publication from a read-only snapshot and takes
the write lock only to store it (country-scale issue: "publication and audit as background work
that never starves the consumers").

Found: the round held SQLite's one write connection from its first read to its commit, every
period's computation and audit included (minutes at the country's size), so the consumer, the
outbox relay and the scoring windows queued behind it and gave up after the lock timeout (the
reads benchmark logged "QueuePool limit of size 1 overflow 0 reached" from the outbox relay and
"scoring window skipped: TimeoutError" while its world was published)."""

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from quality.service_layer.publications import publish_interim as interim_round
from quality.service_layer.unit_of_work import quality_uow
from sqlalchemy import event
from sqlalchemy.engine import make_url

from shared.platform.db.engine import reader
from tests.integration.assessment.world import PERIOD
from tests.integration.quality.test_publications import satisfaction
from tests.integration.quality.test_rebuild import url_of
from tests.integration.quality.test_scores import assessed_program, scorecard
from tests.integration.registry.conftest import MINISTRY


async def attempts_while(quality, work: Callable[[], Awaitable[Any]]) -> tuple[Any, list[str]]:
    """What ``work`` gives, and how another connection's write fared each time ``work`` (not
    the service's own consumer or scoring window) read the live tallies, computing a
    publication's released cells: as the consumer would, it tries to write at once."""
    runtime = quality.app.state.runtime
    database = make_url(url_of(quality)).database
    attempts: list[str] = []

    def another_writer(conn, cursor, statement, parameters, context, executemany):
        if asyncio.current_task() is not working or "FROM cells" not in statement:
            return
        other = sqlite3.connect(database, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            attempts.append("wrote")
        except sqlite3.OperationalError as error:
            attempts.append(str(error))
        finally:
            other.close()

    engines = [runtime.engine.sync_engine, reader(runtime.engine).sync_engine]
    for engine in engines:
        event.listen(engine, "before_cursor_execute", another_writer)
    working = asyncio.create_task(work())
    try:
        return await working, attempts
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", another_writer)


async def scored_program(services):
    """The quality service, once a program's twelve assessments count in its live figures."""
    registry, assessment, quality = services
    world, _ = await assessed_program(registry, assessment)
    await scorecard(
        quality, "program", world.program["id"], until=lambda c: satisfaction(c)["n"] == 12
    )
    return quality


@pytest.mark.parametrize("database_kind", ["sqlite"])
async def test_another_writer_commits_while_a_publication_is_computed(services):
    quality = await scored_program(services)
    runtime = quality.app.state.runtime

    made, attempts = await attempts_while(
        quality,
        lambda: interim_round(
            lambda: quality_uow(runtime.uow_factory()),
            lambda: quality_uow(runtime.read_uow_factory()),
        ),
    )

    assert made, "nothing was published"
    assert attempts and set(attempts) == {"wrote"}, attempts


@pytest.mark.parametrize("database_kind", ["sqlite"])
async def test_another_writer_commits_while_the_ministrys_publication_is_computed(services):
    # It was computed inside the request's write transaction.
    quality = await scored_program(services)

    answer, attempts = await attempts_while(
        quality,
        lambda: quality.post(
            "/api/v1/quality/publications",
            headers=MINISTRY,
            json={"period": PERIOD, "kind": "interim"},
        ),
    )
    assert answer.status_code == 201, answer.text
    assert attempts and set(attempts) == {"wrote"}, attempts
