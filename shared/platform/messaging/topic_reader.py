"""Read a topic from its start without a consumer group: what is really on the broker."""

import asyncio

from aiokafka import TopicPartition
from aiokafka.structs import ConsumerRecord

from shared.platform.messaging.kafka import new_consumer, stop_client
from shared.platform.settings import KafkaSettings


async def read_topic(
    settings: KafkaSettings, topic: str, *, quiet_polls: int = 3, poll_ms: int = 300
) -> list[ConsumerRecord]:
    """Every record on ``topic`` until it has been quiet for ``quiet_polls`` polls.

    Not bounded by end offsets: the bundled broker reports a partition's end as the last
    batch's base offset + 1 when a produce request carried several records.
    """
    consumer = new_consumer(settings, group_id=None)
    try:
        await consumer.start()  # inside: an unreachable broker must not leak the client
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not partitions:
            return []
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        records: list[ConsumerRecord] = []
        quiet = 0
        while quiet < quiet_polls:
            async with asyncio.timeout(30):
                batches = await consumer.getmany(timeout_ms=poll_ms)
            quiet = 0 if batches else quiet + 1
            for batch in batches.values():
                records.extend(batch)
        return sorted(records, key=lambda r: (r.partition, r.offset))
    finally:
        await stop_client(consumer)
