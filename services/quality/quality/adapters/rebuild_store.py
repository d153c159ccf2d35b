"""What a rebuild reads from and writes to whole databases: the live one's state in one
consistent view, the rebuild's scores, inbox and outbox."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, inspect, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from quality.adapters.tables import dirty_cells, exclusions, methodologies, scores
from shared.platform.messaging.tables import inbox, outbox

ScoreKey = tuple[str, str, int, bool]  # scope, scope_id, period, pooled
Scores = dict[ScoreKey, tuple[int, dict[str, Any]]]  # → methodology version, card


@dataclass
class LiveSnapshot:
    scores: Scores
    applied: set[tuple[str, str]]  # (source, id) in the live consumers' inbox
    pending_cells: int
    methodologies: list[dict[str, Any]]
    exclusions: list[dict[str, Any]]  # the ministry's decisions: on no topic a rebuild reads


async def table_names(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        return await conn.run_sync(lambda sync: inspect(sync).get_table_names())


async def snapshot(engine: AsyncEngine, *, consumers: set[str]) -> LiveSnapshot:
    """The live database's scores, applied events, marks, methodologies and exclusions, read
    together."""
    async with engine.connect() as conn:
        if conn.dialect.name == "postgresql":  # one consistent view of a database in use
            conn = await conn.execution_options(isolation_level="REPEATABLE READ")
        async with conn.begin():
            return LiveSnapshot(
                scores=await _scores_of(conn),
                applied=await _applied_of(conn, consumers),
                pending_cells=await conn.scalar(select(func.count()).select_from(dirty_cells)) or 0,
                methodologies=[
                    dict(row) for row in (await conn.execute(select(methodologies))).mappings()
                ],
                exclusions=[
                    dict(row) for row in (await conn.execute(select(exclusions))).mappings()
                ],
            )


async def copy_methodologies(engine: AsyncEngine, rows: list[dict[str, Any]]) -> None:
    if rows:
        async with engine.begin() as conn:
            await conn.execute(methodologies.insert(), rows)


async def copy_exclusions(engine: AsyncEngine, rows: list[dict[str, Any]]) -> None:
    if rows:
        async with engine.begin() as conn:
            await conn.execute(exclusions.insert(), rows)


async def drop_outbox(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(delete(outbox))


async def read_scores(engine: AsyncEngine) -> Scores:
    async with engine.connect() as conn:
        return await _scores_of(conn)


async def applied_events(engine: AsyncEngine, *, consumers: set[str]) -> set[tuple[str, str]]:
    async with engine.connect() as conn:
        return await _applied_of(conn, consumers)


async def _scores_of(conn: AsyncConnection) -> Scores:
    rows = await conn.execute(
        select(
            scores.c.scope,
            scores.c.scope_id,
            scores.c.period,
            scores.c.pooled,
            scores.c.methodology_version,
            scores.c.card,
        )
    )
    return {(s, i, p, bool(pooled)): (v, card) for s, i, p, pooled, v, card in rows}


async def _applied_of(conn: AsyncConnection, consumers: set[str]) -> set[tuple[str, str]]:
    rows = await conn.execute(
        select(inbox.c.source, inbox.c.event_id).where(inbox.c.consumer.in_(consumers))
    )
    return {(source, event_id) for source, event_id in rows}
