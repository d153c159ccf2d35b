"""A tiny two-service world for testing the shared backbone on real parts.

"registry" writes ledger entries and publishes ``entry.added`` through its outbox; "quality"
consumes them into its own database. Both run the real runtime (relay, epoch watch, consumer
runner) against a real broker and real databases; only the domain is made up.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from prometheus_client import CollectorRegistry
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select

from shared.platform.db.migrations import upgrade
from shared.platform.messaging import outbox
from shared.platform.messaging.envelope import CloudEvent, new_event
from shared.platform.messaging.outbox import OutgoingEvent
from shared.platform.messaging.payloads import EventPayload
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.names import REGISTRY_TOPIC
from shared.platform.runtime import (
    ConsumerSpec,
    Runtime,
    ServiceSpec,
    build_runtime,
    close_runtime,
    start_background,
)
from shared.platform.settings import KafkaSettings, ServiceSettings


class EntryAdded(EventPayload):
    event_type = "educluster.testing.entry.added.v1"

    account: str
    seq: int
    amount: int = 1
    poison: bool = False


ledger_metadata = MetaData()
applied_entries = Table(
    "applied_entries",
    ledger_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account", String(50), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("event_id", String(64), nullable=False),
)


class PoisonedEntry(RuntimeError):
    pass


# Entries for these accounts fail while the account is listed (a fault an operator can fix).
blocked_accounts: set[str] = set()


async def apply_entry(event: CloudEvent, uow: UnitOfWork) -> None:
    entry = event.payload()
    assert isinstance(entry, EntryAdded)
    if entry.poison or entry.account in blocked_accounts:
        raise PoisonedEntry(f"entry {entry.account}/{entry.seq} is poisoned")
    await uow.session.execute(
        applied_entries.insert().values(account=entry.account, seq=entry.seq, event_id=event.id)
    )


def kafka_settings(bootstrap_servers: str) -> KafkaSettings:
    return KafkaSettings(
        bootstrap_servers=bootstrap_servers,
        partitions=3,
        fetch_max_wait_ms=50,
        epoch_check_interval_s=0.5,
        send_timeout_s=5.0,
        request_timeout_ms=5000,
        # A crashed member is noticed after the session timeout: keep it short in tests.
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
        rebalance_timeout_ms=10000,
    )


def settings_for(name: str, database_url: str, bootstrap_servers: str) -> ServiceSettings:
    return ServiceSettings(
        service_name=name,
        database_url=database_url,
        kafka=kafka_settings(bootstrap_servers),
        relay_idle_poll_s=0.1,
        relay_max_backoff_s=0.5,
        consumer_retry_backoff_s=0.05,
    )


def entry_event(entry: EntryAdded) -> OutgoingEvent:
    event = new_event(entry, service="registry", subject=f"accounts/{entry.account}")
    return OutgoingEvent(event=event, topic=REGISTRY_TOPIC, key=entry.account)


async def commit_entries(publisher: Runtime, entries: list[EntryAdded]) -> list[CloudEvent]:
    """Commit the entries' events in one unit of work; returns the events."""
    outgoing = [entry_event(e) for e in entries]
    async with publisher.uow_factory() as uow:
        for item in outgoing:
            uow.add_event(item)
        await uow.commit()
    return [item.event for item in outgoing]


@dataclass
class World:
    publisher: Runtime
    consumer: Runtime | None

    async def commit_entries(self, entries: list[EntryAdded]) -> list[CloudEvent]:
        return await commit_entries(self.publisher, entries)

    async def outbox_backlog(self) -> int:
        async with self.publisher.engine.connect() as conn:
            return await outbox.backlog(conn)

    async def applied(self) -> list[tuple[str, int, str]]:
        """(account, seq, event id) of every applied entry, in the order they were applied."""
        assert self.consumer is not None
        async with self.consumer.engine.connect() as conn:
            rows = await conn.execute(
                select(
                    applied_entries.c.account, applied_entries.c.seq, applied_entries.c.event_id
                ).order_by(applied_entries.c.id)
            )
            return [tuple(r) for r in rows]

    async def applied_count(self) -> int:
        assert self.consumer is not None
        async with self.consumer.engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(applied_entries)))


async def start_publisher(
    database_url: str, bootstrap_servers: str, *, relay: bool = True
) -> Runtime:
    await upgrade("registry", database_url)
    settings = settings_for("registry", database_url, bootstrap_servers)
    settings.relay_enabled = relay
    runtime = build_runtime(
        ServiceSpec(name="registry", title="test", settings=settings), CollectorRegistry()
    )
    start_background(runtime)
    return runtime


async def start_consumer(
    database_url: str, bootstrap_servers: str, *, purpose: str = "ledger"
) -> Runtime:
    await upgrade("quality", database_url)
    settings = settings_for("quality", database_url, bootstrap_servers)
    spec = ServiceSpec(
        name="quality",
        title="test",
        settings=settings,
        publishes=False,
        consumers=[
            ConsumerSpec(
                purpose=purpose,
                topics=(REGISTRY_TOPIC,),
                handlers={EntryAdded.event_type: apply_entry},
            )
        ],
    )
    runtime = build_runtime(spec, CollectorRegistry())
    async with runtime.engine.begin() as conn:
        await conn.run_sync(ledger_metadata.create_all)
    start_background(runtime)
    return runtime


async def stop(runtime: Runtime | None) -> None:
    if runtime is not None:
        await close_runtime(runtime)


@asynccontextmanager
async def world(
    make_database_url, broker, *, consumer: bool = True, relay: bool = True
) -> AsyncIterator[World]:
    publisher = await start_publisher(
        await make_database_url("registry"), broker.bootstrap_servers, relay=relay
    )
    consuming = (
        await start_consumer(await make_database_url("quality"), broker.bootstrap_servers)
        if consumer
        else None
    )
    try:
        yield World(publisher=publisher, consumer=consuming)
    finally:
        await stop(consuming)
        await stop(publisher)
