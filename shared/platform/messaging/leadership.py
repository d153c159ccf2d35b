"""One outbox relay per service database at a time.

Competing relays would publish one key's events out of order. PostgreSQL elects the relay with
a session advisory lock held on a dedicated connection; SQLite (one host, one file) with an
exclusive ``flock`` on a file beside the database. Both are released if the process dies.
A PostgreSQL lock also goes with its connection (a restart, a killed backend), so the relay
asks ``Lease.still_held()`` before each batch and steps down when it is gone.
"""

import asyncio
import fcntl
import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.platform.db.engine import is_sqlite

log = logging.getLogger(__name__)
RELAY_LOCK_NAMESPACE = 0x0EDC  # first half of the two-int advisory lock key


class LeadershipLost(RuntimeError):
    """The relay's lock went away with its connection: stop publishing at once."""


def lock_id(name: str) -> int:
    """A stable signed 32-bit id for a lock name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big", signed=True)


class Lease:
    """Held leadership; ``still_held`` is True for as long as the lock is ours."""

    def __init__(self, conn: AsyncConnection | None = None, lock: int = 0) -> None:
        self._conn = conn
        self._lock = lock

    async def still_held(self) -> bool:
        if self._conn is None:
            return True  # a flock lives as long as this process holds the file open
        try:
            held = await self._conn.scalar(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND pid = pg_backend_pid() AND classid = :ns AND objid = :id"
                ),
                {"ns": RELAY_LOCK_NAMESPACE, "id": self._lock & 0xFFFFFFFF},
            )
            await self._conn.commit()
            return bool(held)
        except Exception:
            return False


@asynccontextmanager
async def relay_leadership(
    engine: AsyncEngine, *, name: str, retry_s: float = 2.0
) -> AsyncIterator[Lease]:
    """Wait until this process is the only relay for ``engine``'s database, then hold it."""
    if is_sqlite(str(engine.url)):
        async with _file_lock(engine, retry_s=retry_s):
            yield Lease()
        return
    lock = lock_id(name)
    async with engine.connect() as conn:
        while True:
            acquired = await conn.scalar(
                text("SELECT pg_try_advisory_lock(:ns, :id)"),
                {"ns": RELAY_LOCK_NAMESPACE, "id": lock},
            )
            await conn.commit()  # the lock is per session: it outlives this transaction
            if acquired:
                break
            log.info("another relay holds the outbox; standing by", extra={"relay": name})
            await asyncio.sleep(retry_s)
        try:
            yield Lease(conn, lock)
        finally:
            try:
                await conn.execute(
                    text("SELECT pg_advisory_unlock(:ns, :id)"),
                    {"ns": RELAY_LOCK_NAMESPACE, "id": lock},
                )
                await conn.commit()
            except Exception:  # the connection is gone, and the lock with it
                log.debug("relay lock already released", exc_info=True)


@asynccontextmanager
async def _file_lock(engine: AsyncEngine, *, retry_s: float) -> AsyncIterator[None]:
    database = make_url(str(engine.url)).database
    if not database or database == ":memory:":
        yield  # a private in-memory database has nobody to compete with
        return
    path = Path(f"{database}.relay.lock")
    with path.open("a") as handle:  # noqa: ASYNC230 (a local lock file, opened once)
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
