"""Tells open event streams when newer quality events are stored: one poll per process.

Events are stored by the consumer of whichever gateway replica owns the partition, so a
stream cannot rely on its own process having seen them: it follows the table. Instead of every
stream polling, one task per process reads the newest event id every ``poll_s`` while at least
one stream is open, and wakes the streams when it moved; each stream then reads only the rows
it wants.
"""

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from gateway.service_layer.unit_of_work import AbstractGatewayUnitOfWork
from shared.platform.logging import described

log = logging.getLogger(__name__)


class EventFeed:
    def __init__(self, units: Callable[[], AbstractGatewayUnitOfWork], *, poll_s: float) -> None:
        self._units = units
        self._poll_s = poll_s
        self.latest = 0  # the newest stored event id seen
        self.streams = 0  # open streams following the feed
        self._moved = asyncio.Event()
        self._poller: asyncio.Task[None] | None = None

    async def read_latest(self) -> int:
        """The newest stored event id (and wake the streams if it moved)."""
        async with self._units() as uow:
            latest = await uow.quality_events.latest_id()
        self._advance(latest)
        return latest

    @asynccontextmanager
    async def following(self) -> AsyncIterator[None]:
        """Count a stream in for as long as it is open; the poll runs while any is."""
        self.streams += 1
        if self._poller is None or self._poller.done():
            self._poller = asyncio.create_task(self._poll(), name="quality-event-feed")
        try:
            yield
        finally:
            self.streams -= 1
            if self.streams == 0 and self._poller is not None:
                self._poller.cancel()
                self._poller = None

    async def wait_beyond(self, position: int, *, timeout_s: float) -> None:
        """Return once an event newer than ``position`` is known, or after ``timeout_s``."""
        if self.latest > position:
            return
        moved = self._moved
        try:
            await asyncio.wait_for(moved.wait(), timeout=timeout_s)
        except TimeoutError:
            pass

    def _advance(self, latest: int) -> None:
        if latest != self.latest:
            self.latest = latest
            # Wake everyone waiting now; later waiters wait for the next move.
            moved, self._moved = self._moved, asyncio.Event()
            moved.set()

    async def _poll(self) -> None:
        while True:
            try:
                await self.read_latest()
            except Exception as error:  # a database outage: streams wait, they do not fail
                log.warning("event feed poll failed", extra={"error": described(error)})
            await asyncio.sleep(self._poll_s)


class TooManyStreams(Exception):
    """A caller or client address already holds as many open streams as it may."""


class StreamQuota:
    """Open streams per caller (principal) and per client address, each kept under its cap."""

    def __init__(self, *, per_principal: int, per_address: int) -> None:
        self._caps = {"caller": per_principal, "client address": per_address}
        self._open: dict[str, Counter[str]] = {kind: Counter() for kind in self._caps}

    def take(self, *, principal: str, address: str) -> Callable[[], None]:
        """Count one more stream in; the function returned counts it out (once). TooManyStreams
        (saying which cap) when either is reached."""
        keys = {"caller": principal, "client address": address}
        for kind, key in keys.items():
            if self._open[kind][key] >= self._caps[kind]:
                raise TooManyStreams(f"at most {self._caps[kind]} open event streams per {kind}")
        for kind, key in keys.items():
            self._open[kind][key] += 1
        released = False

        def release() -> None:
            nonlocal released
            if released:
                return
            released = True
            for kind, key in keys.items():
                self._open[kind][key] -= 1
                if self._open[kind][key] <= 0:
                    del self._open[kind][key]

        return release
