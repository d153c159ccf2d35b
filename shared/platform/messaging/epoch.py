"""The broker's incarnation marker.

The bundled broker keeps everything in memory, so a restart silently gives an empty broker
with the same address (and clients reconnect to it without an error). The first record of the
one-partition topic ``educluster.epoch.v1`` holds a random id written by whoever first finds
the topic empty; when that id changes, the broker lost its log: relays re-publish their
outboxes and consumers re-read from the start.
"""

import asyncio
import logging
from uuid import uuid4

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from shared.platform.logging import described
from shared.platform.messaging.kafka import ensure_topics, new_consumer, new_producer
from shared.platform.names import EPOCH_TOPIC
from shared.platform.settings import KafkaSettings

_PARTITION = TopicPartition(EPOCH_TOPIC, 0)
log = logging.getLogger(__name__)


class EpochWatch:
    """Knows the running broker's incarnation, for everyone in this process.

    ``run()`` polls it; ``verify()`` reads it afresh (the relay calls it before each batch, so
    it never publishes to a broker whose loss it has not yet handled). Before a marker is
    written, missing topics are created, so a broker that came back empty gets the platform's
    topics (with the configured partitions) before clients ask for them again.
    """

    def __init__(self, settings: KafkaSettings) -> None:
        self._settings = settings
        self.epoch: str | None = None
        self.reachable = False
        self._known = asyncio.Event()
        self._reader: AIOKafkaConsumer | None = None
        self._lock = asyncio.Lock()

    async def wait_known(self) -> str:
        await self._known.wait()
        assert self.epoch is not None
        return self.epoch

    async def verify(self) -> str:
        """Read the marker now (creating topics and a marker if the broker is new)."""
        async with self._lock:
            try:
                async with asyncio.timeout(10):
                    epoch = await self._read_marker()
                if epoch is None:
                    await ensure_topics(self._settings)
                    async with asyncio.timeout(10):
                        await self._append_marker(uuid4().hex)
                    # Two writers may race; the first record wins for everybody.
                    async with asyncio.timeout(10):
                        epoch = await self._read_marker()
                if epoch is None:
                    raise KafkaError("the broker did not keep the epoch marker")
            except Exception:
                self.reachable = False
                await self.close()
                raise
        self.reachable = True
        if epoch != self.epoch:
            if self.epoch is not None:
                log.warning("broker restarted empty", extra={"old": self.epoch, "new": epoch})
            self.epoch = epoch
            self._known.set()
        return epoch

    async def run(self) -> None:
        try:
            while True:
                try:
                    await ensure_topics(self._settings)
                    await self.verify()
                except Exception as error:  # broker away: keep polling, readiness says so
                    self.reachable = False
                    log.info("broker not reachable", extra={"error": described(error)})
                await asyncio.sleep(self._settings.epoch_check_interval_s)
        finally:
            await self.close()

    async def close(self) -> None:
        if self._reader is not None:
            reader, self._reader = self._reader, None
            try:
                async with asyncio.timeout(5):
                    await reader.stop()
            except Exception:
                log.debug("epoch reader stop failed", exc_info=True)

    async def _read_marker(self) -> str | None:
        if self._reader is None:
            reader = new_consumer(self._settings, group_id=None)
            await reader.start()
            reader.assign([_PARTITION])
            self._reader = reader
        await self._reader.seek_to_beginning(_PARTITION)
        start = (await self._reader.beginning_offsets([_PARTITION]))[_PARTITION]
        end = (await self._reader.end_offsets([_PARTITION]))[_PARTITION]
        if not holds_a_record(start=start, end=end):
            if end:
                log.warning("the epoch marker expired; writing a new one", extra={"end": end})
            return None
        record = await self._reader.getone(_PARTITION)
        return record.value.decode() if record.value else None

    async def _append_marker(self, epoch: str) -> None:
        producer = new_producer(self._settings)
        await producer.start()
        try:
            await producer.send_and_wait(EPOCH_TOPIC, epoch.encode(), partition=0)
        finally:
            await producer.stop()


def holds_a_record(*, start: int, end: int) -> bool:
    """Whether a partition from ``start`` (its first kept offset) to ``end`` holds a record: a
    topic whose records expired has offsets, but nothing to read."""
    return end > start
