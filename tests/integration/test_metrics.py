"""What operators watch: consumer lag, the outbox's oldest event, the database pool and the
process itself, read from the service's own registry (or its /metrics) on real parts."""

import asyncio

import httpx
from prometheus_client import CollectorRegistry, Gauge

from shared.platform.db.migrations import upgrade
from shared.platform.messaging.envelope import CloudEvent, encode
from shared.platform.messaging.kafka import ensure_topics
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.names import REGISTRY_TOPIC
from shared.platform.runtime import (
    ConsumerSpec,
    ServiceSpec,
    build_runtime,
    close_runtime,
    start_background,
)
from tests.integration.ledger import (
    EntryAdded,
    entry_event,
    kafka_settings,
    settings_for,
    stop,
    world,
)
from tests.integration.test_consumer_delivery import produce_raw
from tests.integration.test_operations_port import ready, with_ops_port
from tests.integration.test_service_app import running
from tests.support import eventually

GROUP = "educluster.quality.lag"


def samples(registry: CollectorRegistry, name: str) -> list[float]:
    return [s.value for m in registry.collect() for s in m.samples if s.name == name]


async def test_consumer_lag_counts_the_events_a_group_has_not_processed_until_it_catches_up(
    make_database_url, broker
):
    # Found: no consumer lag anywhere: a stuck or slow consumer was invisible until its
    # effects were missed.
    await ensure_topics(kafka_settings(broker.bootstrap_servers))
    events = [entry_event(EntryAdded(account="a", seq=seq)).event for seq in range(1, 6)]
    for event in events:  # all on one partition (one key), before any consumer runs
        await produce_raw(broker.bootstrap_servers, value=encode(event), key=b"a")
    release = asyncio.Event()

    async def held(_event: CloudEvent, _uow: UnitOfWork) -> None:
        await release.wait()  # the consumer is busy: what it has not processed is its lag

    url = await make_database_url("quality")
    await upgrade("quality", url)
    spec = ServiceSpec(
        name="quality",
        title="test",
        settings=settings_for("quality", url, broker.bootstrap_servers),
        publishes=False,
        consumers=[
            ConsumerSpec(
                purpose="lag", topics=(REGISTRY_TOPIC,), handlers={EntryAdded.event_type: held}
            )
        ],
    )
    registry = CollectorRegistry()
    runtime = build_runtime(spec, registry)
    start_background(runtime)
    try:

        async def lag() -> dict[tuple[str, str], float]:
            return {
                (s.labels["topic"], s.labels["partition"]): s.value
                for m in registry.collect()
                for s in m.samples
                if s.name == "educluster_consumer_lag" and s.labels["group"] == GROUP
            }

        behind = await eventually(
            lag, until=lambda by_tp: sum(by_tp.values()) == 5, what="a lag of 5"
        )
        assert {topic for topic, _ in behind} == {REGISTRY_TOPIC}
        release.set()
        caught_up = await eventually(
            lag, until=lambda by_tp: sum(by_tp.values()) == 0, what="no lag"
        )
        assert set(caught_up) == set(behind)  # reported as 0, not dropped
    finally:
        release.set()
        await close_runtime(runtime)


async def test_the_outbox_reports_how_old_its_oldest_unpublished_event_is(
    make_database_url, broker
):
    # Found: only the backlog's size was exported, and not while the broker was away; a
    # trickle of events stuck for hours looked like no problem.
    async with world(make_database_url, broker, consumer=False) as w:
        metrics = w.publisher.metrics

        async def reported() -> tuple[float | None, float | None]:
            return gauge(metrics.outbox_backlog), gauge(metrics.outbox_oldest_age)

        await w.commit_entries([EntryAdded(account="a", seq=1)])
        await eventually(reported, until=lambda r: r == (0, 0), what="nothing waiting")
        broker.stop()
        await w.commit_entries([EntryAdded(account="a", seq=2)])
        backlog, age = await eventually(
            reported,
            until=lambda r: r[0] == 1,
            what="the backlog reported while the broker is away",
        )
        assert age is not None and age > 0


def gauge(metric: Gauge) -> float | None:
    """The relay's value of a gauge, None while it has reported none."""
    values = [
        s.value for m in metric.collect() for s in m.samples if s.labels == {"relay": "registry"}
    ]
    return values[0] if values else None


async def test_the_database_pool_reports_its_size_and_the_connections_checked_out(
    make_database_url, database_kind
):
    # Found: no database pool metrics: a pool exhausted by slow queries showed only as 503s.
    url = await make_database_url("registry")
    settings = settings_for("registry", url, "127.0.0.1:9")
    registry = CollectorRegistry()
    runtime = build_runtime(ServiceSpec(name="registry", title="t", settings=settings), registry)
    try:
        # Pool plus overflow; an SQLite file has one writer besides its readers' pool.
        capacity = settings.db_pool_size + settings.db_max_overflow
        expected = {"postgresql": capacity, "sqlite": 1 + capacity}[database_kind]
        assert samples(registry, "educluster_db_pool_size") == [expected]
        async with runtime.engine.connect():
            assert samples(registry, "educluster_db_pool_checked_out") == [1.0]
        assert samples(registry, "educluster_db_pool_checked_out") == [0.0]
    finally:
        await stop(runtime)


async def test_the_ops_port_exports_process_and_python_runtime_metrics(make_database_url):
    # Found: no process metrics (memory, CPU, open files, garbage collection) on any service.
    url = await make_database_url("gateway")
    await upgrade("gateway", url)
    settings, port = with_ops_port("gateway", url)

    async with running("gateway", settings) as public:
        await ready(public)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as ops:
            metrics = (await ops.get("/metrics")).text

    for name in ("process_resident_memory_bytes", "process_open_fds", "python_info"):
        assert f"\n{name}" in metrics, name
    assert "python_gc_collections_total" in metrics
