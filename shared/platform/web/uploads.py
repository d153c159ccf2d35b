"""Uploads received in full before any work starts.

A slow client must not hold a database transaction (on SQLite: the one write lock) open while
it is still sending: the body is spooled first (in memory up to a limit, then to a temporary
file), and the request's time budget starts again once it has all arrived.
"""

import asyncio
import tempfile
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import asynccontextmanager

from shared.platform import deadline

IN_MEMORY_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 64 * 1024


@asynccontextmanager
async def received_in_full(stream: AsyncIterable[bytes]) -> AsyncIterator[AsyncIterator[bytes]]:
    """The whole of ``stream``, spooled, then offered again chunk by chunk::

    async with received_in_full(request.stream()) as chunks:
        await import_file(chunks)
    """
    spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)
    try:
        async for chunk in stream:
            # Past the in-memory limit the spool writes to disk: off the event loop.
            await asyncio.to_thread(spool.write, chunk)
        await asyncio.to_thread(spool.seek, 0)
        deadline.restart()  # the budget is for the work, not for the client's upload
        yield _chunks(spool)
    finally:
        spool.close()


async def _chunks(spool: "tempfile.SpooledTemporaryFile[bytes]") -> AsyncIterator[bytes]:
    while chunk := await asyncio.to_thread(spool.read, CHUNK_BYTES):
        yield chunk
