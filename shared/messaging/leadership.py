"""One outbox relay per service database at a time.

Competing relays would publish one key's events out of order. PostgreSQL elects the relay with
a session advisory lock held on a dedicated connection; SQLite (one host, one file) with an
exclusive ``flock`` on a file beside the database. Both are released if the process dies.
"""

import asyncio
import fcntl
import hashlib
import logging
from contextlib import asynccontextmanager
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db.engine import is_sqlite

log = logging.getLogger(__name__)
RELAY_LOCK_NAMESPACE = 0x0EDC  # first half of the two-int advisory lock key


def lock_id(name: str) -> int:
    """A stable signed 32-bit id for a lock name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big", signed=True)


@asynccontextmanager
async def relay_leadership(
    engine: AsyncEngine, *, name: str, retry_s: float = 2.0
) -> AsyncIterator[None]:
    """Wait until this process is the only relay for ``engine``'s database, then hold it."""
    if is_sqlite(str(engine.url)):
        async with _file_lock(engine, retry_s=retry_s):
            yield
        return
    async with engine.connect() as conn:
        while True:
            acquired = await conn.scalar(
                text("SELECT pg_try_advisory_lock(:ns, :id)"),
                {"ns": RELAY_LOCK_NAMESPACE, "id": lock_id(name)},
            )
            await conn.commit()  # the lock is per session: it outlives this transaction
            if acquired:
                break
            log.info("another relay holds the outbox; standing by", extra={"relay": name})
            await asyncio.sleep(retry_s)
        try:
            yield
        finally:
            await conn.execute(
                text("SELECT pg_advisory_unlock(:ns, :id)"),
                {"ns": RELAY_LOCK_NAMESPACE, "id": lock_id(name)},
            )
            await conn.commit()


@asynccontextmanager
async def _file_lock(engine: AsyncEngine, *, retry_s: float) -> AsyncIterator[None]:
    database = make_url(str(engine.url)).database
    if not database or database == ":memory:":
        yield  # a private in-memory database has nobody to compete with
        return
    path = Path(f"{database}.relay.lock")
    with path.open("a") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                await asyncio.sleep(retry_s)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
