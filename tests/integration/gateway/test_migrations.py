"""The gateway's history drops the outbox it never wrote (gateway_0003), and going back before
that creates it exactly as it was; on SQLite and PostgreSQL."""

from typing import Any

from sqlalchemy import inspect

from shared.platform.db.engine import create_engine
from shared.platform.db.migrations import downgrade, upgrade

BEFORE_THE_DROP = "gateway_0002"


async def outbox_shape(url: str) -> dict[str, Any] | None:
    """The outbox's columns and indexes as the database reports them; None without an outbox."""

    def read(sync: Any) -> dict[str, Any] | None:
        inspector = inspect(sync)
        if "outbox" not in inspector.get_table_names():
            return None
        columns = [
            (c["name"], str(c["type"]), c["nullable"], c.get("default"))
            for c in inspector.get_columns("outbox")
        ]
        indexes = sorted(
            (i["name"], tuple(i["column_names"]), bool(i["unique"]))
            for i in inspector.get_indexes("outbox")
        )
        unique = sorted(
            tuple(u["column_names"]) for u in inspector.get_unique_constraints("outbox")
        )
        return {"columns": columns, "indexes": indexes, "unique": unique}

    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(read)
    finally:
        await engine.dispose()


async def table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


async def test_the_outbox_is_gone_at_head_and_comes_back_as_it_was_on_the_way_down(
    make_database_url,
):
    original = await make_database_url("gateway-original")
    await upgrade("gateway", original, BEFORE_THE_DROP)
    as_it_was = await outbox_shape(original)
    assert as_it_was is not None

    url = await make_database_url("gateway")
    await upgrade("gateway", url)
    assert await outbox_shape(url) is None
    tables = await table_names(url)
    assert {"inbox", "messaging_state", "quality_events", "subscriptions", "deliveries"} <= tables
    assert "idempotency_keys" in tables

    await downgrade("gateway", url, BEFORE_THE_DROP)
    assert await outbox_shape(url) == as_it_was

    await downgrade("gateway", url, "base")
    assert await table_names(url) <= {"alembic_version"}
    await upgrade("gateway", url)
    assert await outbox_shape(url) is None
