"""The outbox relay: publishes committed events in commit order, apart from the request path."""

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.platform.db.engine import reader
from shared.platform.logging import described
from shared.platform.messaging import outbox
from shared.platform.messaging.envelope import kafka_headers
from shared.platform.messaging.epoch import EpochWatch
from shared.platform.messaging.kafka import new_producer
from shared.platform.messaging.leadership import LeadershipLost, Lease, relay_leadership
from shared.platform.messaging.metrics import MessagingMetrics
from shared.platform.messaging.state import get_state, set_state
from shared.platform.settings import KafkaSettings

log = logging.getLogger(__name__)
BROKER_EPOCH_KEY = "relay.broker_epoch"
# Not RuntimeError at large: LeadershipLost (a RuntimeError) must reach run().
_TRANSIENT = (KafkaError, OSError, TimeoutError, DBAPIError)


# Reported whenever the relay is idle or paused, and at least this often while it is busy.
_REPORT_EVERY_S = 5.0

# One produce request carries at most one batch per partition (max_batch_size in kafka.py), so
# a relay batch lands whole or not at all on each partition: per-key order survives failures.
MAX_BATCH_BYTES = 512 * 1024


def _within_one_request(
    rows: Sequence[outbox.OutboxRow],
) -> Sequence[outbox.OutboxRow]:
    total = 0
    for count, row in enumerate(rows):
        total += len(row.value) + len(row.key) + 64
        if total > MAX_BATCH_BYTES and count > 0:
            return rows[:count]
    return rows


class OutboxRelay:
    """Reads unsent outbox rows in id order, publishes them keyed, and marks them sent.

    While the broker is away it backs off (doubling up to ``max_backoff_s``) and starts a new
    producer when it is back. When the broker's epoch changes (it restarted empty) every
    retained row is queued again, so consumers can rebuild what the broker lost.
    """

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        kafka: KafkaSettings,
        epoch_watch: EpochWatch,
        name: str,
        metrics: MessagingMetrics,
        batch_size: int = 500,
        idle_poll_s: float = 0.5,
        max_backoff_s: float = 5.0,
        retention: timedelta = timedelta(days=30),
    ) -> None:
        self._engine = engine
        # Its reads take no write lock on SQLite: writers commit one at a time, so a snapshot
        # holds every event committed before it, and writers never wait for the relay's polls.
        self._reader = reader(engine)
        self._kafka = kafka
        self._epochs = epoch_watch
        self._name = name
        self._metrics = metrics
        self._batch_size = batch_size
        self._idle_poll_s = idle_poll_s
        self._max_backoff_s = max_backoff_s
        self._retention = retention
        self._wakeup = asyncio.Event()
        self._producer: AIOKafkaProducer | None = None
        self._reconciled_epoch: str | None = None
        self._next_report = 0.0  # monotonic time the backlog is due to be reported again
        self.leader = False
        self.healthy = False

    def notify(self) -> None:
        """Called after a local commit so the relay does not wait for its next poll."""
        self._wakeup.set()

    async def run(self) -> None:
        await self._epochs.wait_known()
        while True:
            try:
                async with relay_leadership(
                    self._engine, name=f"outbox-relay:{self._name}"
                ) as lease:
                    self.leader = True
                    log.info("outbox relay is the leader", extra={"relay": self._name})
                    await self._publish_while_leader(lease)
            except LeadershipLost:
                log.warning("outbox relay lost its lock; standing by", extra={"relay": self._name})
            finally:
                self.leader = self.healthy = False
                # A standby reports nothing: the leader's figures are the backlog's.
                self._metrics.outbox_backlog.remove(self._name)
                self._metrics.outbox_oldest_age.remove(self._name)
                await self._close_producer()

    async def _publish_while_leader(self, lease: Lease) -> None:
        backoff = 0.1
        while True:
            try:
                await self._publish_until_failure(lease)
                backoff = 0.1
            except _TRANSIENT as error:
                self.healthy = False
                log.warning(
                    "outbox relay paused", extra={"error": described(error), "retry_s": backoff}
                )
                await self._close_producer()
                # While the broker is away is when the backlog grows: keep it reported.
                with contextlib.suppress(*_TRANSIENT):  # unless the database is what failed
                    async with asyncio.timeout(_REPORT_EVERY_S):
                        await self._report_backlog()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff_s)
            finally:
                await self._close_producer()

    async def _publish_until_failure(self, lease: Lease) -> None:
        await self._purge_expired()
        self._producer = new_producer(self._kafka)
        await self._producer.start()
        self.healthy = True
        while True:
            async with self._reader.connect() as conn:
                rows = _within_one_request(await outbox.unsent_batch(conn, limit=self._batch_size))
            # Read the broker's epoch afresh before publishing: clients reconnect silently to a
            # broker that restarted empty, and nothing may reach it before the re-publishing.
            epoch = await self._epochs.verify() if rows else self._epochs.epoch
            if epoch is not None and epoch != self._reconciled_epoch:
                await self._reconcile_epoch(epoch)
                return  # start over with a new producer on the new broker
            if rows:
                if not await lease.still_held():
                    raise LeadershipLost(self._name)
                await self._publish(rows)
                if time.monotonic() >= self._next_report:  # busy for long: report anyway
                    await self._report_backlog()
                continue
            await self._report_backlog()
            self._wakeup.clear()
            try:
                async with asyncio.timeout(self._idle_poll_s):
                    await self._wakeup.wait()
            except TimeoutError:
                pass

    async def _publish(self, rows: Sequence[outbox.OutboxRow]) -> None:
        assert self._producer is not None
        pending = [
            await self._producer.send(
                row.topic, value=row.value.encode(), key=row.key.encode(), headers=kafka_headers()
            )
            for row in rows
        ]
        # Wait for every send to settle (aiokafka fails a batch after request_timeout_ms), so
        # no send is left behind to land later, out of order, from a discarded producer.
        async with asyncio.timeout(3 * self._kafka.request_timeout_ms / 1000):
            results = await asyncio.gather(*pending, return_exceptions=True)
        acks: list[tuple[int, int, int]] = []
        failure: BaseException | None = None
        for row, result in zip(rows, results, strict=True):
            if isinstance(result, BaseException):
                failure = result
                break  # later rows may share a key: publish them again, after this one
            acks.append((row.id, result.partition, result.offset))
        async with self._engine.begin() as conn:
            await outbox.mark_sent(conn, acks)
        self._metrics.published.labels(self._name).inc(len(acks))
        if failure is not None:
            raise failure

    async def _reconcile_epoch(self, epoch: str) -> None:
        async with self._engine.begin() as conn:
            seen = await get_state(conn, BROKER_EPOCH_KEY)
            queued = 0
            if seen != epoch:
                queued = await outbox.mark_for_republish(conn) if seen is not None else 0
                await set_state(conn, BROKER_EPOCH_KEY, epoch)
        self._reconciled_epoch = epoch
        if queued:
            log.warning(
                "broker lost its log: re-publishing the retained outbox",
                extra={"relay": self._name, "events": queued},
            )
            self._metrics.republished.labels(self._name).inc(queued)

    async def _purge_expired(self) -> None:
        async with self._engine.begin() as conn:
            await outbox.purge_sent(conn, retention=self._retention)

    async def _report_backlog(self) -> None:
        async with self._reader.connect() as conn:
            backlog = await outbox.backlog(conn)
            oldest = await outbox.oldest_unsent(conn)
        age = (datetime.now(UTC) - oldest).total_seconds() if oldest else 0.0
        self._metrics.outbox_backlog.labels(self._name).set(backlog)
        self._metrics.outbox_oldest_age.labels(self._name).set(max(age, 0.0))
        self._next_report = time.monotonic() + _REPORT_EVERY_S

    async def _close_producer(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            try:
                async with asyncio.timeout(5):
                    await producer.stop()
            except Exception:  # a producer that cannot flush to a dead broker: drop it
                log.debug("producer stop failed", exc_info=True)
