"""Uploads received in full before any work starts.

A slow client must not hold a database transaction (on SQLite: the one write lock) open while
it is still sending: the body is spooled first (in memory up to a limit, then to a temporary
file), and the request's time budget starts again once it has all arrived.
"""

import asyncio
import tempfile
from collections.abc import AsyncIterable, AsyncIterator, Collection
from contextlib import asynccontextmanager

from shared.platform import deadline
from shared.platform.web.problems import ProblemError

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


def upload_media_type(content_type: str, accepted: Collection[str]) -> str:
    """The upload's media type, one of ``accepted`` in UTF-8; else a 415 naming the header."""
    media_type, _, params = content_type.partition(";")
    media_type = media_type.strip().lower()
    charset = params.strip().lower().removeprefix("charset=").strip('"') if params else "utf-8"
    if media_type not in accepted or charset not in ("utf-8", "utf8"):
        expected = " or ".join(accepted)
        raise ProblemError(
            415,
            "Unsupported Media Type",
            f"Send the file as {expected} in UTF-8.",
            errors=[{"loc": ["header", "Content-Type"], "msg": f"expected {expected}"}],
        )
    return media_type
