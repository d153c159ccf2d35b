"""A timeout never hides a commit: a request either commits and answers in time, or rolls back
and answers 503 with Retry-After — never a commit after the caller was told it failed.

Found in a load run: a bulk submission waited 30 s for SQLite's write lock, the gateway had
answered 504 by then, and the service committed 49 assessments afterwards.
"""

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from assessment.adapters.tables import assessments
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from tests.integration.assessment.conftest import running_assessment
from tests.integration.assessment.world import build_world
from tests.integration.registry.conftest import running_registry

# Generous guard against a hang (the old behaviour on PostgreSQL was to wait forever); the
# service itself answers after its 1 s lock timeout.
HANG_GUARD_S = 60


@asynccontextmanager
async def platform(make_database_url, broker, **assessment_settings):
    servers = broker.bootstrap_servers
    async with running_registry(await make_database_url("registry"), servers) as registry:
        url = await make_database_url("assessment")
        async with running_assessment(url, servers, **assessment_settings) as assessment:
            yield registry, assessment, url


async def saved_assessments(assessment) -> int:
    async with assessment.app.state.runtime.engine.connect() as conn:
        return await conn.scalar(select(func.count()).select_from(assessments))


@asynccontextmanager
async def write_lock_held(database_url: str) -> AsyncIterator[None]:
    """Another client holds the assessments table's write lock (readers still read)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        # Waits for a write the service may be committing, in a thread: the service runs on
        # this event loop, and a blocking wait here kept its open transaction from ever
        # committing (the test hung on "database is locked" about one run in three).
        holder = sqlite3.connect(
            url.database, isolation_level=None, timeout=30, check_same_thread=False
        )
        await asyncio.to_thread(holder.execute, "BEGIN IMMEDIATE")
        try:
            yield
        finally:
            await asyncio.to_thread(holder.execute, "ROLLBACK")
            holder.close()
        return
    connection = await asyncpg.connect(url.set(drivername="postgresql").render_as_string(False))
    try:
        async with connection.transaction():
            await connection.execute("LOCK TABLE assessments IN EXCLUSIVE MODE")
            yield
    finally:
        await connection.close()


async def test_a_bulk_submission_behind_a_held_write_lock_is_refused_503_and_saves_nothing(
    make_database_url, broker
):
    async with platform(make_database_url, broker, db_lock_timeout_s=1.0) as (
        registry,
        assessment,
        url,
    ):
        world = await build_world(registry, assessment, employed=3)
        body = {"items": [world.assessment_body(g) for g in world.graduates]}
        headers = {**world.as_employer, "Idempotency-Key": "bulk-behind-a-lock"}

        async with write_lock_held(url):
            async with asyncio.timeout(HANG_GUARD_S):
                refused = await assessment.post(
                    "/api/v1/assessments/bulk", headers=headers, json=body
                )
            # Reads do not wait for the writer.
            listed = await assessment.get("/api/v1/assessments", headers=world.as_employer)

        assert refused.status_code == 503, refused.text
        assert int(refused.headers["Retry-After"]) >= 1
        assert "nothing was saved" in refused.json()["detail"]
        assert listed.status_code == 200 and listed.json()["items"] == []
        assert await saved_assessments(assessment) == 0

        retried = await assessment.post("/api/v1/assessments/bulk", headers=headers, json=body)
        assert retried.status_code == 201, retried.text
        assert len(retried.json()["items"]) == 3


async def test_a_request_whose_budget_ran_out_before_its_commit_is_rolled_back_and_said_so(
    make_database_url, broker
):
    async with platform(make_database_url, broker, request_budget_s=0.001) as (
        registry,
        assessment,
        _url,
    ):
        world = await build_world(registry, assessment, employed=1)
        body = world.assessment_body(world.graduates[0])

        refused = await assessment.post("/api/v1/assessments", headers=world.as_employer, json=body)

        assert refused.status_code == 503, refused.text
        assert "Retry-After" in refused.headers
        assert await saved_assessments(assessment) == 0
