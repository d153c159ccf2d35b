"""The body of every service's migrations/env.py (online, async engine; offline SQL too)."""

import asyncio
from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from shared.platform.db.engine import create_engine
from shared.platform.messaging.tables import messaging_metadata
from shared.platform.schema_compatibility import record_floors
from shared.platform.web.idempotency import idempotency_metadata


def run_migrations(context: Any, service_metadata: MetaData) -> None:
    """Run the service's migrations with the URL the caller put in the Alembic config."""
    config = context.config
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    target_metadata = [service_metadata, messaging_metadata, idempotency_metadata]
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return

    def run(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
        )
        with context.begin_transaction():
            context.run_migrations()
            record_floors(connection, context.script)

    async def run_async() -> None:
        engine = create_engine(url)
        try:
            async with engine.begin() as connection:
                await connection.run_sync(run)
        finally:
            await engine.dispose()

    asyncio.run(run_async())
