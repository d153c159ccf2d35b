"""The operations port: a second HTTP server in the service's own process and event loop."""

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator

import uvicorn
from starlette.types import ASGIApp

log = logging.getLogger(__name__)


class _EmbeddedServer(uvicorn.Server):
    """A uvicorn server that leaves the signals to the process's main server: that one stops
    the service, whose lifespan then stops this one."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class OperationsServer:
    """Serves ``app`` on ``host``:``port`` from ``start()`` until ``stop()``."""

    def __init__(self, app: ASGIApp, *, host: str, port: int) -> None:
        config = uvicorn.Config(
            app, host=host, port=port, lifespan="off", access_log=False, log_config=None
        )
        self._server = _EmbeddedServer(config)
        self._host, self._port = host, port
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Binds the port now (an OSError if it is taken, as for the service's own port); the
        kernel queues connections until the server accepts them."""
        sock = socket.create_server((self._host, self._port))
        self._task = asyncio.create_task(self._server.serve([sock]), name="operations-server")

    async def stop(self, *, timeout_s: float = 5.0) -> None:
        if self._task is None:
            return
        self._server.should_exit = True
        try:
            async with asyncio.timeout(timeout_s):
                await self._task
        except TimeoutError:
            log.warning("the operations server did not stop in time")
            self._task.cancel()
