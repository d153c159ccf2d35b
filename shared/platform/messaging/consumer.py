"""The consumer runner: at-least-once delivery turned into exactly-once effects.

For each record: decode the CloudEvent, skip it if the inbox has it, otherwise run the handler
and record the event id in one unit of work; Kafka offsets are committed only after that
database commit. A handler that keeps failing (or a record that is not an event) goes to the
service's dead-letter topic and the runner moves on. Database or broker outages are not the
event's fault: the runner backs off and resumes from the last committed offset instead.
Applying an event is a CONSUMER span continuing the trace the event was written in.
"""

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError
from aiokafka.structs import ConsumerRecord
from opentelemetry.context import Context
from opentelemetry.trace import SpanKind, Tracer
from opentelemetry.util.types import AttributeValue
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.platform.messaging.dead_letter import dead_letter_headers
from shared.platform.messaging.envelope import CloudEvent, InvalidEvent, decode, trace_context
from shared.platform.messaging.epoch import EpochWatch
from shared.platform.messaging.inbox_apply import EventHandler, apply_in, apply_once, is_outage

__all__ = ["ConsumerRunner", "ConsumerSpec", "EventHandler"]
from shared.platform.logging import described
from shared.platform.messaging.kafka import new_consumer, new_producer, stop_client
from shared.platform.messaging.metrics import MessagingMetrics
from shared.platform.messaging.state import get_state, set_state
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.names import (
    ASSESSMENT_TOPIC,
    QUALITY_LIVE_TOPIC,
    QUALITY_TOPIC,
    REGISTRY_TOPIC,
)
from shared.platform.settings import KafkaSettings

log = logging.getLogger(__name__)

_STUCK_AFTER_S = 90.0  # no assignment for this long: recreate the consumer (aiokafka #1154)

# The one service allowed to publish on each topic: an event from anyone else is refused.
_PRODUCERS = {
    REGISTRY_TOPIC: "/educluster/registry",
    ASSESSMENT_TOPIC: "/educluster/assessment",
    QUALITY_TOPIC: "/educluster/quality",
    QUALITY_LIVE_TOPIC: "/educluster/quality",
}


class _Restart(Exception):
    """Leave the current consumer and start a fresh one."""


@dataclass(frozen=True)
class ConsumerSpec:
    """One consumer group of a service: its topics and a handler per event type."""

    purpose: str
    topics: tuple[str, ...]
    handlers: Mapping[str, EventHandler]

    def group_id(self, service: str) -> str:
        """The group's id, which also names its inbox rows."""
        return f"educluster.{service}.{self.purpose}"


class ConsumerRunner:
    def __init__(
        self,
        *,
        group_id: str,
        topics: tuple[str, ...],
        handlers: Mapping[str, EventHandler],
        uow_factory: Callable[[], UnitOfWork],
        engine: AsyncEngine,
        kafka: KafkaSettings,
        epoch_watch: EpochWatch,
        dead_letter_topic: str,
        metrics: MessagingMetrics,
        max_attempts: int = 3,
        retry_backoff_s: float = 0.2,
        tracer: Tracer | None = None,
    ) -> None:
        self.group_id = group_id
        self._topics = topics
        self._handlers = handlers
        self._uow_factory = uow_factory
        self._engine = engine
        self._kafka = kafka
        self._epochs = epoch_watch
        self._dead_letter_topic = dead_letter_topic
        self._metrics = metrics
        self._max_attempts = max_attempts
        self._retry_backoff_s = retry_backoff_s
        self._tracer = tracer  # None: tracing is off
        self._processed: dict[TopicPartition, int] = {}
        self._consumer: AIOKafkaConsumer | None = None
        self.healthy = False

    @property
    def assignment(self) -> set[TopicPartition]:
        return set(self._consumer.assignment()) if self._consumer else set()

    async def run(self) -> None:
        backoff = 0.2
        while True:
            try:
                await self._consume_while_epoch_holds()
                backoff = 0.2
            except _Restart as reason:
                log.warning(
                    "restarting consumer", extra={"group": self.group_id, "why": str(reason)}
                )
            except Exception as error:
                if not is_outage(error):
                    raise
                log.warning(
                    "consumer paused", extra={"group": self.group_id, "error": described(error)}
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
            finally:
                self.healthy = False

    async def _consume_while_epoch_holds(self) -> None:
        epoch = await self._epochs.wait_known()
        epoch_key = f"consumer.{self.group_id}.broker_epoch"
        async with self._engine.connect() as conn:
            seen_epoch = await get_state(conn, epoch_key)
        # The broker restarted empty since we last read: committed offsets are gone or belong
        # to the new log, so re-read every partition from its start (the inbox skips repeats).
        rewind = seen_epoch is not None and seen_epoch != epoch
        consumer = new_consumer(self._kafka, group_id=self.group_id)
        listener = _Listener(self, rewind=rewind)
        consumer.subscribe(list(self._topics), listener=listener)
        dead_letters = new_producer(self._kafka)
        self._consumer, self._processed = consumer, {}
        try:
            await consumer.start()
            await dead_letters.start()
            self.healthy = True
            started = time.monotonic()
            while self._epochs.epoch == epoch:
                batches = await consumer.getmany(timeout_ms=500)
                await self._report_lag(consumer, batches)
                for records in batches.values():
                    await self._handle_batch(records, dead_letters)
                await self._commit(consumer)
                if seen_epoch != epoch and consumer.assignment():
                    async with self._engine.begin() as conn:
                        await set_state(conn, epoch_key, epoch)
                    seen_epoch, listener.rewind = epoch, False
                if not consumer.assignment() and time.monotonic() - started > _STUCK_AFTER_S:
                    raise _Restart("no partitions assigned")
            raise _Restart("the broker restarted empty")
        finally:
            self._consumer = None
            # Whoever owns the partitions next reports their lag; none stays frozen here.
            self._metrics.consumer_lag.remove_by_labels({"group": self.group_id})
            await _stop_quietly(consumer, dead_letters)

    async def _report_lag(
        self, consumer: AIOKafkaConsumer, fetched: Mapping[TopicPartition, list[ConsumerRecord]]
    ) -> None:
        """Each assigned partition's lag: its high watermark minus the next offset this group
        processes (the first fetched record not handled yet, else the consumer's position)."""
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            if highwater is None:
                continue  # no fetch answered for it yet
            records = fetched.get(tp)
            try:
                next_offset = records[0].offset if records else await consumer.position(tp)
            except IllegalStateError:
                continue  # revoked meanwhile
            self._metrics.consumer_lag.labels(self.group_id, tp.topic, str(tp.partition)).set(
                max(highwater - next_offset, 0)
            )

    async def _handle_batch(
        self, records: list[ConsumerRecord], dead_letters: AIOKafkaProducer
    ) -> None:
        """A partition's batch in one transaction (in order; the inbox skips repeats), so the
        database commits once per batch, not once per event. If any event of it fails, the
        batch rolls back and its events go one by one, with retries and dead letters."""
        if len(records) == 1:
            await self._handle(records[0], dead_letters)
            return
        try:
            outcomes = await self._apply_batch(records)
        except Exception as error:
            if is_outage(error):
                raise
            log.info(
                "batch failed; applying its events one by one",
                extra={"group": self.group_id, "events": len(records), "error": described(error)},
            )
            for record in records:
                await self._handle(record, dead_letters)
            return
        self._metrics.transactions.labels(self.group_id).inc()
        for outcome in outcomes:
            self._metrics.consumed.labels(self.group_id, outcome).inc()
        last = records[-1]
        self._processed[TopicPartition(last.topic, last.partition)] = last.offset + 1

    async def _apply_batch(self, records: list[ConsumerRecord]) -> list[str]:
        """Apply every record in one unit of work; the outcome of each, or raise (nothing kept).

        An undecodable event raises here too: the one-by-one path dead-letters it."""
        outcomes = []
        async with self._uow_factory() as uow:
            for record in records:
                event = decode(record.value)
                handler = self._handler_for(record, event)
                if handler is None:
                    outcomes.append("ignored")
                    continue
                with self._span(record, event):
                    applied = await apply_in(
                        uow, consumer=self.group_id, event=event, handler=handler
                    )
                outcomes.append("processed" if applied else "duplicate")
            await uow.commit()
        return outcomes

    async def _handle(self, record: ConsumerRecord, dead_letters: AIOKafkaProducer) -> None:
        tp = TopicPartition(record.topic, record.partition)
        try:
            event = decode(record.value)
            handler = self._handler_for(record, event)
        except InvalidEvent as error:
            await self._dead_letter(record, dead_letters, error=error, attempts=1)
        else:
            if handler is None:
                self._metrics.consumed.labels(self.group_id, "ignored").inc()
            else:
                await self._apply_with_retries(record, event, handler, dead_letters)
        self._processed[tp] = record.offset + 1

    def _handler_for(self, record: ConsumerRecord, event: CloudEvent) -> EventHandler | None:
        """The event's handler; None for a type this group does not follow. Raises InvalidEvent
        for an event from a service that does not publish on the topic, or for a version of a
        followed type that this code does not know (skipping it would lose its effect)."""
        producer = _PRODUCERS.get(record.topic)
        if producer is not None and event.source != producer:
            raise InvalidEvent(
                f"source {event.source!r} does not publish on {record.topic} (only {producer})"
            )
        handler = self._handlers.get(event.type)
        if handler is None:
            family = event.type.rpartition(".v")[0]
            if family and any(t.rpartition(".v")[0] == family for t in self._handlers):
                raise InvalidEvent(f"unknown version of {family}: {event.type!r}")
        return handler

    async def _apply_with_retries(
        self,
        record: ConsumerRecord,
        event: CloudEvent,
        handler: EventHandler,
        dead_letters: AIOKafkaProducer,
    ) -> None:
        for attempt in range(1, self._max_attempts + 1):
            try:
                with self._span(record, event):
                    applied = await self._apply(event, handler)
            except Exception as error:
                if is_outage(error):
                    raise
                log.warning(
                    "event handler failed",
                    extra={
                        "group": self.group_id,
                        "event_id": event.id,
                        "attempt": attempt,
                        "error": described(error),
                    },
                )
                if attempt == self._max_attempts:
                    await self._dead_letter(record, dead_letters, error=error, attempts=attempt)
                    return
                await asyncio.sleep(self._retry_backoff_s * attempt)
            else:
                self._metrics.transactions.labels(self.group_id).inc()
                self._metrics.consumed.labels(
                    self.group_id, "processed" if applied else "duplicate"
                ).inc()
                return

    def _span(self, record: ConsumerRecord, event: CloudEvent) -> AbstractContextManager[object]:
        """Applying ``event``, as a child of the span that wrote it (messaging and CloudEvents
        semantic conventions). A failed attempt's span records its error; when a batch rolls
        back, the one-by-one pass that follows traces its events again."""
        if self._tracer is None:
            return nullcontext()
        attributes: dict[str, AttributeValue] = {
            "messaging.system": "kafka",
            "messaging.operation.type": "process",
            "messaging.operation.name": "process",
            "messaging.destination.name": record.topic,
            "messaging.destination.partition.id": str(record.partition),
            "messaging.kafka.offset": record.offset,
            "messaging.consumer.group.name": self.group_id,
            "messaging.message.id": event.id,
            "cloudevents.event_id": event.id,
            "cloudevents.event_source": event.source,
            "cloudevents.event_type": event.type,
        }
        return self._tracer.start_as_current_span(
            f"process {record.topic}",
            context=trace_context(event) or Context(),  # without one: a trace of its own
            kind=SpanKind.CONSUMER,
            attributes=attributes,
        )

    async def _apply(self, event: CloudEvent, handler: EventHandler) -> bool:
        """Run the handler once; False when the inbox says the event was already applied."""
        return await apply_once(
            self._uow_factory, consumer=self.group_id, event=event, handler=handler
        )

    async def _dead_letter(
        self,
        record: ConsumerRecord,
        producer: AIOKafkaProducer,
        *,
        error: BaseException,
        attempts: int,
    ) -> None:
        headers = dead_letter_headers(
            record, group_id=self.group_id, error=error, attempts=attempts
        )
        async with asyncio.timeout(self._kafka.send_timeout_s):
            await producer.send_and_wait(
                self._dead_letter_topic, value=record.value, key=record.key, headers=headers
            )
        self._metrics.dead_lettered.labels(self.group_id).inc()
        log.error(
            "event dead-lettered",
            extra={
                "group": self.group_id,
                "topic": record.topic,
                "partition": record.partition,
                "offset": record.offset,
                "error": described(error),
            },
        )

    async def _commit(
        self, consumer: AIOKafkaConsumer, only: set[TopicPartition] | None = None
    ) -> None:
        assigned = consumer.assignment()
        offsets = {
            tp: offset
            for tp, offset in self._processed.items()
            if tp in assigned and (only is None or tp in only)
        }
        if not offsets:
            return
        try:
            await consumer.commit(offsets)
        except (CommitFailedError, IllegalStateError) as error:
            # Expected during a rebalance: the next owner re-reads and the inbox dedups.
            log.info(
                "offset commit skipped", extra={"group": self.group_id, "error": described(error)}
            )
        for tp in offsets:
            self._processed.pop(tp, None)


class _Listener(ConsumerRebalanceListener):  # type: ignore[misc]  # aiokafka ships no types
    def __init__(self, runner: ConsumerRunner, *, rewind: bool) -> None:
        self._runner = runner
        self.rewind = rewind
        self._rewound: set[TopicPartition] = set()

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        consumer = self._runner._consumer
        if consumer is not None and revoked:
            await self._runner._commit(consumer, only=set(revoked))
        for tp in revoked:  # their next owner reports their lag
            self._runner._metrics.consumer_lag.remove(
                self._runner.group_id, tp.topic, str(tp.partition)
            )

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        consumer = self._runner._consumer
        log.info(
            "partitions assigned",
            extra={"group": self._runner.group_id, "partitions": len(assigned)},
        )
        fresh = set(assigned) - self._rewound
        if self.rewind and consumer is not None and fresh:
            await consumer.seek_to_beginning(*fresh)
            self._rewound |= fresh


async def _stop_quietly(*clients: AIOKafkaConsumer | AIOKafkaProducer) -> None:
    for client in clients:
        try:
            await stop_client(client)
        except Exception:
            log.debug("client stop failed", exc_info=True)
