"""Operators' view of a service's dead letters: list them, re-drive them.

Re-driving puts each pending dead letter back on its original topic with its original key and
headers; every consumer of that topic sees it again and the inboxes skip it where it was
already applied. A consumer group per service remembers what was re-driven already.
"""

import asyncio
from dataclasses import asdict, dataclass
from typing import Any

from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.structs import ConsumerRecord

from shared.platform.messaging import dead_letter as dl
from shared.platform.messaging.kafka import new_consumer, new_producer, stop_client
from shared.platform.messaging.topic_reader import read_topic
from shared.platform.names import dead_letter_topic
from shared.platform.settings import KafkaSettings


@dataclass(frozen=True)
class DeadLetter:
    partition: int
    offset: int
    original_topic: str | None
    original_partition: str | None
    original_offset: str | None
    consumer_group: str | None
    error: str | None
    attempts: str | None
    failed_at: str | None
    key: str | None
    pending: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def redrive_group(service: str) -> str:
    return f"educluster.{service}.dlq-redrive"


async def list_dead_letters(settings: KafkaSettings, service: str) -> list[DeadLetter]:
    topic = dead_letter_topic(service)
    records = await read_topic(settings, topic)
    redriven_up_to = await _committed(settings, service, topic)
    return [_describe(r, pending=r.offset >= redriven_up_to.get(r.partition, 0)) for r in records]


async def redrive_dead_letters(settings: KafkaSettings, service: str) -> int:
    """Re-publish every pending dead letter of ``service``; returns how many."""
    topic = dead_letter_topic(service)
    # Assigned, not subscribed: the group only stores how far re-driving got, so a one-shot
    # command does not wait for a group rebalance.
    consumer = new_consumer(settings, group_id=redrive_group(service))
    producer = new_producer(settings)
    await consumer.start()
    await producer.start()
    redriven = 0
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not partitions:
            return 0
        consumer.assign(partitions)
        quiet = 0
        while quiet < 3:
            async with asyncio.timeout(60):
                batches = await consumer.getmany(timeout_ms=300)
            quiet = 0 if batches else quiet + 1
            for tp, records in batches.items():
                for record in records:
                    await _republish(producer, record)
                    redriven += 1
                await consumer.commit({tp: records[-1].offset + 1})
        return redriven
    finally:
        await stop_client(consumer)
        await stop_client(producer)


async def _republish(producer: AIOKafkaProducer, record: ConsumerRecord) -> None:
    original_topic = dl.header_text(record.headers, dl.ORIGINAL_TOPIC)
    if original_topic is None:
        raise ValueError(f"dead letter at offset {record.offset} does not name its topic")
    await producer.send_and_wait(
        original_topic,
        value=record.value,
        key=record.key,
        headers=dl.original_headers(record.headers),
    )


async def _committed(settings: KafkaSettings, service: str, topic: str) -> dict[int, int]:
    consumer = new_consumer(settings, group_id=redrive_group(service))
    await consumer.start()
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        committed = {}
        for partition in partitions:
            offset = await consumer.committed(TopicPartition(topic, partition))
            committed[partition] = offset or 0
        return committed
    finally:
        await stop_client(consumer)


def _describe(record: ConsumerRecord, *, pending: bool) -> DeadLetter:
    headers = record.headers or ()
    return DeadLetter(
        partition=record.partition,
        offset=record.offset,
        original_topic=dl.header_text(headers, dl.ORIGINAL_TOPIC),
        original_partition=dl.header_text(headers, dl.ORIGINAL_PARTITION),
        original_offset=dl.header_text(headers, dl.ORIGINAL_OFFSET),
        consumer_group=dl.header_text(headers, dl.CONSUMER_GROUP),
        error=dl.header_text(headers, dl.ERROR),
        attempts=dl.header_text(headers, dl.ATTEMPTS),
        failed_at=dl.header_text(headers, dl.FAILED_AT),
        key=record.key.decode(errors="replace") if record.key else None,
        pending=pending,
    )
