"""The broker's incarnation marker.

The bundled broker keeps everything in memory, so a restart silently gives an empty broker
with the same address. The first record of the one-partition topic ``educluster.epoch.v1``
holds a random id written by whoever first finds the topic empty; when that id changes, the
broker lost its log: relays re-publish their outboxes and consumers re-read from the start.
"""

import asyncio
import logging
from uuid import uuid4

from aiokafka import TopicPartition

from shared.messaging.kafka import new_consumer, new_producer
from shared.settings import EPOCH_TOPIC, KafkaSettings

_PARTITION = TopicPartition(EPOCH_TOPIC, 0)
log = logging.getLogger(__name__)


async def current_epoch(settings: KafkaSettings, *, timeout_s: float = 10.0) -> str:
    """The id of the running broker's incarnation, creating it if the broker is new."""
    epoch = await asyncio.wait_for(_read_first_record(settings), timeout_s)
    if epoch is None:
        await asyncio.wait_for(_append(settings, uuid4().hex), timeout_s)
        # Two writers may race; the first record wins for everybody.
        epoch = await asyncio.wait_for(_read_first_record(settings), timeout_s)
    if epoch is None:
        raise RuntimeError("the broker did not keep the epoch marker")
    return epoch


async def _read_first_record(settings: KafkaSettings) -> str | None:
    consumer = new_consumer(settings, group_id=None)
    await consumer.start()
    try:
        consumer.assign([_PARTITION])
        end = (await consumer.end_offsets([_PARTITION]))[_PARTITION]
        if end == 0:
            return None
        await consumer.seek_to_beginning(_PARTITION)
        record = await consumer.getone(_PARTITION)
        return record.value.decode() if record.value else None
    finally:
        await consumer.stop()


async def _append(settings: KafkaSettings, epoch: str) -> None:
    producer = new_producer(settings)
    await producer.start()
    try:
        await producer.send_and_wait(EPOCH_TOPIC, epoch.encode(), partition=0)
    finally:
        await producer.stop()


class EpochWatch:
    """Polls the broker's incarnation for everyone in this process.

    Before each read it re-creates missing topics, so a broker that came back empty gets the
    platform's topics (with the configured partitions) before clients ask for them again.
    """

    def __init__(self, settings: KafkaSettings) -> None:
        self._settings = settings
        self.epoch: str | None = None
        self.reachable = False
        self._known = asyncio.Event()

    async def wait_known(self) -> str:
        await self._known.wait()
        assert self.epoch is not None
        return self.epoch

    async def check_once(self) -> str:
        from shared.messaging.kafka import ensure_topics  # local: kafka imports settings only

        try:
            await ensure_topics(self._settings)
            epoch = await current_epoch(self._settings)
        except Exception:
            self.reachable = False
            raise
        self.reachable = True
        if epoch != self.epoch:
            if self.epoch is not None:
                log.warning("broker restarted empty", extra={"old": self.epoch, "new": epoch})
            self.epoch = epoch
            self._known.set()
        return epoch

    async def run(self) -> None:
        while True:
            try:
                await self.check_once()
            except Exception as error:  # broker away: keep polling, readiness says so
                log.info("broker not reachable", extra={"error": repr(error)})
            await asyncio.sleep(self._settings.epoch_check_interval_s)
