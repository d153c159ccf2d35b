"""Kafka clients configured the way EduCluster needs them (see the handbook's KAFKA.md)."""

import asyncio
import logging
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
from aiokafka.helpers import create_ssl_context

from shared.platform.names import EPOCH_TOPIC, all_topics
from shared.platform.settings import KafkaSettings

log = logging.getLogger(__name__)


def connection_options(settings: KafkaSettings) -> dict[str, Any]:
    """How every client connects: plain text, or SCRAM over TLS verified against the cluster CA."""
    if settings.security_protocol == "PLAINTEXT":
        return {"security_protocol": "PLAINTEXT"}
    return {
        "security_protocol": settings.security_protocol,
        "ssl_context": create_ssl_context(cafile=settings.ssl_cafile),
        "sasl_mechanism": settings.sasl_mechanism,
        "sasl_plain_username": settings.sasl_username,
        "sasl_plain_password": settings.sasl_password,
    }


def new_producer(settings: KafkaSettings) -> AIOKafkaProducer:
    # Not idempotent on purpose: the bundled broker forgets producer ids when it restarts,
    # which is fatal for an idempotent producer. aiokafka keeps one batch in flight per
    # partition, so order per key holds; a duplicate after a retry is absorbed by the inbox.
    return AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers,
        acks="all",
        enable_idempotence=False,
        linger_ms=2,
        max_batch_size=1024 * 1024,  # a relay batch fits one record batch per partition
        request_timeout_ms=settings.request_timeout_ms,
        retry_backoff_ms=200,
        **connection_options(settings),
    )


def new_consumer(
    settings: KafkaSettings, *, group_id: str | None, topics: tuple[str, ...] = ()
) -> AIOKafkaConsumer:
    """A consumer that never commits by itself and reads a new group's topics from the start."""
    return AIOKafkaConsumer(
        *topics,
        bootstrap_servers=settings.bootstrap_servers,
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=settings.fetch_max_wait_ms,
        max_poll_records=settings.max_poll_records,
        request_timeout_ms=max(settings.request_timeout_ms, 40_000),
        rebalance_timeout_ms=settings.rebalance_timeout_ms,
        session_timeout_ms=settings.session_timeout_ms,
        heartbeat_interval_ms=settings.heartbeat_interval_ms,
        retry_backoff_ms=200,
        **connection_options(settings),
    )


def new_admin(settings: KafkaSettings) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(
        bootstrap_servers=settings.bootstrap_servers,
        request_timeout_ms=settings.request_timeout_ms,
        **connection_options(settings),
    )


def topic_configs(topic: str, settings: KafkaSettings) -> dict[str, str]:
    """Explicit configs for a topic the platform creates, never the broker's defaults: the
    epoch topic keeps its one record forever (without it the relays cannot tell a broker that
    lost its log), data and dead-letter topics keep ``topic_retention_days``."""
    day_ms = 86_400_000
    retention = "-1" if topic == EPOCH_TOPIC else str(settings.topic_retention_days * day_ms)
    return {
        "cleanup.policy": "delete",
        "retention.ms": retention,
        "retention.bytes": "-1",
        # With three replicas an acknowledged write survives one broker's loss.
        "min.insync.replicas": str(min(2, settings.replication_factor)),
    }


async def ensure_topics(settings: KafkaSettings, topics: list[str] | None = None) -> list[str]:
    """Create the platform's topics that are missing; returns the names it created.

    Must run before any producer or consumer asks for the topics: the bundled broker
    auto-creates an unknown topic (with other settings) on the first metadata request.
    """
    wanted = all_topics() if topics is None else topics
    admin = new_admin(settings)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in [*wanted, EPOCH_TOPIC] if t not in existing]
        if not missing:
            return []
        new_topics = [
            NewTopic(
                name=topic,
                num_partitions=1 if topic == EPOCH_TOPIC else settings.partitions,
                replication_factor=settings.replication_factor,
                topic_configs=topic_configs(topic, settings),
            )
            for topic in missing
        ]
        response = await admin.create_topics(new_topics)
        for topic, code, *_ in response.topic_errors:
            if code not in (0, TopicAlreadyExistsError.errno):
                raise KafkaError(f"creating topic {topic} failed with error code {code}")
        log.info("created topics", extra={"topics": missing})
        return missing
    finally:
        await admin.close()


async def stop_client(
    client: AIOKafkaConsumer | AIOKafkaProducer, *, timeout_s: float = 10.0
) -> None:
    """Stop a client, bounded in time. aiokafka may raise the CancelledError of one of its own
    background tasks from ``stop()`` (a consumer stopped right after it started): that one is
    swallowed; a cancellation of the calling task itself still propagates."""
    try:
        async with asyncio.timeout(timeout_s):
            await client.stop()
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise
        log.debug("aiokafka raised its own task's cancellation while stopping")
