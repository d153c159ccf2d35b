"""Stand-in services on raw sockets: one that echoes what reached it, one that never answers.

Each runs an asyncio server on its own thread, so it keeps serving while test event loops and
service processes come and go.
"""

import asyncio
import hashlib
import json
import threading
from collections.abc import AsyncIterator, Awaitable, Callable

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


class StubServer:
    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "StubServer":
        self._thread.start()
        start = asyncio.start_server(self._handler, "127.0.0.1", 0)
        self._server = asyncio.run_coroutine_threadsafe(start, self._loop).result(timeout=5)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def __exit__(self, *_exc: object) -> None:
        async def stop() -> None:
            self._server.close()
            for task in asyncio.all_tasks() - {asyncio.current_task()}:
                task.cancel()

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)


async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answers with what it received (method, target, headers, body size and hash), or, asked
    for ``?answer_bytes=N``, with N bytes of unknown length."""
    try:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        request_line, *lines = head.split("\r\n")[:-2]
        method, target, _version = request_line.split(" ", 2)
        headers = [[part.strip() for part in line.split(":", 1)] for line in lines]
        fields = {name.lower(): value for name, value in headers}
        digest, size = hashlib.sha256(), 0
        async for chunk in _body(reader, fields):
            digest.update(chunk)
            size += len(chunk)
        if "answer_bytes=" in target:
            await _answer_chunked(writer, int(target.rsplit("answer_bytes=", 1)[1]))
            return
        answer = json.dumps(
            {
                "method": method,
                "target": target,
                "headers": headers,
                "body_bytes": size,
                "body_sha256": digest.hexdigest(),
            }
        ).encode()
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(answer), answer)
        )
        await writer.drain()
    finally:
        writer.close()


async def _answer_chunked(writer: asyncio.StreamWriter, size: int) -> None:
    """An answer of unknown length: ``size`` bytes of a repeating pattern, chunked."""
    writer.write(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n"
    )
    pattern = bytes(range(256)) * 256
    while size:
        piece = pattern[: min(size, len(pattern))]
        writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        await writer.drain()
        size -= len(piece)
    writer.write(b"0\r\n\r\n")
    await writer.drain()


async def _body(reader: asyncio.StreamReader, fields: dict[str, str]) -> AsyncIterator[bytes]:
    if fields.get("transfer-encoding", "").lower() == "chunked":
        while size := int((await reader.readline()).split(b";")[0], 16):
            yield await reader.readexactly(size)
            await reader.readexactly(2)
        while await reader.readline() not in (b"\r\n", b""):
            pass  # trailers
        return
    remaining = int(fields.get("content-length", "0"))
    while remaining:
        chunk = await reader.read(min(remaining, 65_536))
        if not chunk:
            raise ConnectionError("body ended early")
        remaining -= len(chunk)
        yield chunk


async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Accepts the connection, reads whatever comes, and never answers."""
    try:
        while await reader.read(65_536):
            pass
    finally:
        writer.close()


def serving_json(documents: dict[str, object]) -> Handler:
    """Answers ``GET <path>`` with ``documents[path]`` as JSON, looked up per request (a test may
    change the dict while the stub runs); for a path it lacks, closes without an answer."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            target = head.split(" ", 2)[1]
            document = documents.get(target)
            if document is None:
                return
            body = json.dumps(document).encode()
            writer.write(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(body), body)
            )
            await writer.drain()
        finally:
            writer.close()

    return handler
