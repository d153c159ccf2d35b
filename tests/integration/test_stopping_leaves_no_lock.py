"""A service stopped at any moment leaves no SQLite write lock behind.

Found by the outbox tests under load: a service stopped while its start-up schema check was
reading left a connection holding the write lock (its task was cancelled mid-read; the
connection lingered until garbage collection), and the next process to migrate the same file
failed with "database is locked". Reads now take no write lock. Seen one run in two or three on
a busy machine before the fix; a quiet machine rarely shows it.
"""

import asyncio
import random
import sqlite3

import pytest
from sqlalchemy.engine import make_url

from tests.integration.ledger import start_publisher, stop

STOPS = 150


@pytest.mark.parametrize("database_kind", ["sqlite"])
async def test_a_service_stopped_at_any_moment_leaves_the_write_lock_free(
    make_database_url, broker
):
    url = await make_database_url("registry")
    path = make_url(url).database
    moments = random.Random(18)
    for attempt in range(STOPS):
        runtime = await start_publisher(url, broker.bootstrap_servers, relay=False)
        await asyncio.sleep(moments.uniform(0, 0.3))
        await stop(runtime)
        probe = sqlite3.connect(path, timeout=2, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
        except sqlite3.OperationalError as error:
            raise AssertionError(f"stop {attempt + 1}: {error}") from None
        finally:
            probe.close()
