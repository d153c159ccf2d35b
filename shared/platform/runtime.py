"""Everything a service process runs besides its routes, wired the same way for all four.

A service describes itself with a ``ServiceSpec``; ``create_service_app`` builds the FastAPI
app whose lifespan opens the database, starts the broker watch, the outbox relay and the
consumers (each supervised: a crash is logged and the task restarts), and stops them cleanly.
"""

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any, Generic, TypeVar

from fastapi import APIRouter, FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from prometheus_client import (
    CollectorRegistry,
    Gauge,
    GCCollector,
    PlatformCollector,
    ProcessCollector,
)
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool
from starlette.types import Scope

from shared.platform.auth import TokenVerifier
from shared.platform.db.audit import purge_audit
from shared.platform.db.engine import create_engine, reader, session_factory
from shared.platform.db.migrations import script_directory
from shared.platform.db.queries import now
from shared.platform.logging import configure_logging
from shared.platform.messaging.consumer import ConsumerRunner, ConsumerSpec
from shared.platform.messaging.epoch import EpochWatch
from shared.platform.messaging.inbox_apply import is_outage
from shared.platform.messaging.metrics import MessagingMetrics
from shared.platform.messaging.relay import OutboxRelay
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.names import dead_letter_topic
from shared.platform.schema_compatibility import SchemaFit, schema_fit
from shared.platform.settings import ServiceSettings
from shared.platform.tracing import UNTRACED_PATHS, start_tracing, tracer_provider
from shared.platform.web.health import operations_app, operations_router
from shared.platform.web.middleware import (
    ConditionalGetMiddleware,
    HttpMetricsMiddleware,
    RequestBudgetMiddleware,
    RequestIdMiddleware,
    SchemaGateMiddleware,
)
from shared.platform.web.openapi_errors import install_problem_documentation
from shared.platform.web.ops_server import OperationsServer
from shared.platform.web.problems import install_problem_handlers

log = logging.getLogger(__name__)


S = TypeVar("S", bound=ServiceSettings)


@dataclass(frozen=True)
class ServiceSpec(Generic[S]):
    name: str
    title: str
    settings: S
    # The service's unit of work (its repositories on the session); the plain one by default.
    unit_of_work: type[UnitOfWork] = UnitOfWork
    routers: Sequence[APIRouter] = ()
    consumers: Sequence[ConsumerSpec] = ()
    publishes: bool = True
    # Run once in the background after start (retried until it succeeds), e.g. seeding.
    on_start: Callable[["Runtime[S]"], Awaitable[None]] | None = None
    # Named loops of the service's own, run and restarted like the relay and the consumers.
    loops: Sequence[tuple[str, Callable[["Runtime[S]"], Awaitable[None]]]] = ()
    # Awaited once as the service stops, before its background tasks and database close,
    # e.g. to close a client's connection pool.
    on_stop: Callable[["Runtime[S]"], Awaitable[None]] | None = None


@dataclass
class Runtime(Generic[S]):
    """The live parts of a running service, on ``app.state.runtime``."""

    spec: ServiceSpec[S]
    engine: AsyncEngine
    metrics: MessagingMetrics
    epochs: EpochWatch
    relay: OutboxRelay | None = None
    consumers: list[ConsumerRunner] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    # Set once the database's schema fits this code: until then nothing but the broker watch
    # runs, so no consumer takes a missing table for a bad event (wait_for_schema).
    schema_fits: asyncio.Event = field(default_factory=asyncio.Event)
    schema_asked_at: float = float("-inf")
    schema_asking: asyncio.Lock = field(default_factory=asyncio.Lock)
    uow_factory: Callable[[], UnitOfWork] = field(init=False)
    # Units of work of requests that only read (GET, HEAD): no write lock on SQLite.
    read_uow_factory: Callable[[], UnitOfWork] = field(init=False)

    def __post_init__(self) -> None:
        unit_of_work = self.spec.unit_of_work
        sessions = session_factory(self.engine)
        read_sessions = session_factory(self.engine, read_only=True)
        self.uow_factory = lambda: unit_of_work(
            sessions,
            service=self.spec.name,
            after_commit=self.relay.notify if self.relay else None,
        )
        self.read_uow_factory = lambda: unit_of_work(
            read_sessions, service=self.spec.name, read_only=True
        )

    @property
    def settings(self) -> S:
        return self.spec.settings


def build_runtime(spec: ServiceSpec[S], registry: CollectorRegistry) -> Runtime[S]:
    settings = spec.settings
    engine = create_engine(
        settings.resolved_database_url(),
        lock_timeout_s=settings.db_lock_timeout_s,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        ssl_root_cert=settings.db_ssl_root_cert,
        # On SQLite a write queues for the one writer in turn (fairly, in the event loop): it
        # may wait as long as a request may take (at least the lock timeout: consumers and
        # loops have no budget); a request's budget still ends it in time (503).
        write_wait_s=max(settings.request_budget_s, settings.db_lock_timeout_s),
    )
    metrics = MessagingMetrics(registry)
    epochs = EpochWatch(settings.kafka)
    runtime = Runtime(spec=spec, engine=engine, metrics=metrics, epochs=epochs)
    metrics.broker_reachable.set_function(lambda: float(epochs.reachable))
    metrics.consumers_down.set_function(
        lambda: float(sum(not c.healthy for c in runtime.consumers))
    )
    export_pool_metrics(engine, registry)
    if spec.publishes and settings.relay_enabled:
        runtime.relay = OutboxRelay(
            engine=engine,
            kafka=settings.kafka,
            epoch_watch=epochs,
            name=spec.name,
            metrics=metrics,
            batch_size=settings.relay_batch_size,
            idle_poll_s=settings.relay_idle_poll_s,
            max_backoff_s=settings.relay_max_backoff_s,
            retention=timedelta(days=settings.outbox_retention_days),
        )
    tracing = tracer_provider()
    if settings.consumers_enabled:
        runtime.consumers = [
            ConsumerRunner(
                group_id=consumer.group_id(spec.name),
                topics=consumer.topics,
                handlers=consumer.handlers,
                uow_factory=runtime.uow_factory,
                engine=engine,
                kafka=settings.kafka,
                epoch_watch=epochs,
                dead_letter_topic=dead_letter_topic(spec.name),
                metrics=metrics,
                max_attempts=settings.consumer_max_attempts,
                retry_backoff_s=settings.consumer_retry_backoff_s,
                tracer=tracing.get_tracer("educluster.consumer") if tracing else None,
            )
            for consumer in spec.consumers
        ]
    return runtime


def export_pool_metrics(engine: AsyncEngine, registry: CollectorRegistry) -> None:
    """The database pool's capacity and the connections checked out of it, read at scrape
    time; 0 and 0 for pools that keep no count (SQLite in memory: StaticPool)."""
    size = Gauge(
        "educluster_db_pool_size",
        "Connections the database pool may hand out at once (pool size plus overflow)",
        registry=registry,
    )
    checked_out = Gauge(
        "educluster_db_pool_checked_out",
        "Database connections in use (checked out of the pool)",
        registry=registry,
    )
    # An SQLite file's engine has two pools: its one writer and its readers' (db/engine.py).
    pools = {id(p): p for p in (engine.pool, reader(engine).pool) if isinstance(p, QueuePool)}
    counted = list(pools.values())
    # SQLAlchemy has no public accessor for max_overflow.
    size.set_function(lambda: float(sum(p.size() + p._max_overflow for p in counted)))
    checked_out.set_function(lambda: float(sum(p.checkedout() for p in counted)))


def export_process_metrics(registry: CollectorRegistry) -> None:
    """Memory, CPU, open files (process_*), the Python version (python_info) and the garbage
    collector (python_gc_*), on the service's own registry like everything else it exports."""
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)


_STEADY_S = 60.0  # a loop that ran this long before crashing starts again at the first delay


async def supervise(
    name: str,
    run: Callable[[], Awaitable[None]],
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Run a background loop forever; an unexpected crash is logged and the loop restarts
    after a delay that doubles (to 30 s) while it keeps crashing, and starts over once it ran
    steadily: one crash an hour must not leave it 30 s behind each time."""
    delay = 1.0
    while True:
        started = clock()
        try:
            await run()
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            if clock() - started >= _STEADY_S:
                delay = 1.0
            log.exception(
                "background task crashed; restarting", extra={"task": name, "retry_s": delay}
            )
            await sleep(delay)
            delay = min(delay * 2, 30.0)


async def _schema_fit(runtime: Runtime[Any]) -> SchemaFit:
    try:
        return await schema_fit(reader(runtime.engine), script_directory(runtime.spec.name))
    except Exception as error:
        if not is_outage(error):
            raise
        return SchemaFit(False, f"database unreachable: {error!r}")


async def schema_fits_now(runtime: Runtime[Any], *, every_s: float = 1.0) -> bool:
    """Whether requests may be served (SchemaGateMiddleware): once the schema fits, always;
    until then asked of the database at most once per ``every_s``, concurrent requests sharing
    the answer. A fit found here also lets the loops start, without waiting for the next poll."""
    if runtime.schema_fits.is_set():
        return True
    async with runtime.schema_asking:
        if (
            not runtime.schema_fits.is_set()
            and time.monotonic() - runtime.schema_asked_at >= every_s
        ):
            runtime.schema_asked_at = time.monotonic()
            if (await _schema_fit(runtime)).ok:
                runtime.schema_fits.set()
    return runtime.schema_fits.is_set()


async def wait_for_schema(runtime: Runtime[Any], *, poll_s: float = 2.0) -> None:
    """Hold until the database's schema fits this code (migrated to its head, or to a newer
    compatible revision), then let the relay, the consumers and the service's loops start."""
    waiting = False
    while True:
        fit = await _schema_fit(runtime)
        if fit.ok:
            break
        if not waiting:
            log.warning("waiting for the database schema", extra={"detail": fit.detail})
            waiting = True
        await asyncio.sleep(poll_s)
    if waiting:
        log.info("database schema fits; starting", extra={"detail": fit.detail})
    runtime.schema_fits.set()


def _after_schema(
    runtime: Runtime[Any], run: Callable[[], Awaitable[None]]
) -> Callable[[], Awaitable[None]]:
    async def gated() -> None:
        await runtime.schema_fits.wait()
        await run()

    return gated


def start_background(runtime: Runtime[Any]) -> None:
    loops: list[tuple[str, Callable[[], Awaitable[None]]]] = []
    if runtime.relay:
        loops.append(("outbox-relay", runtime.relay.run))
    loops += [(f"consumer:{c.group_id}", c.run) for c in runtime.consumers]
    if runtime.spec.on_start is not None:
        on_start = runtime.spec.on_start
        loops.append(("on-start", lambda: on_start(runtime)))
    loops += [(name, partial(loop, runtime)) for name, loop in runtime.spec.loops]
    if runtime.spec.unit_of_work.audit_trail is not None:
        loops.append(("audit-retention", partial(keep_audit_retention, runtime)))
    loops = [(name, _after_schema(runtime, run)) for name, run in loops]
    loops += [
        ("epoch-watch", runtime.epochs.run),
        ("schema-wait", partial(wait_for_schema, runtime)),
    ]
    runtime.tasks = [asyncio.create_task(supervise(n, r), name=n) for n, r in loops]


async def keep_audit_retention(runtime: Runtime[Any], *, every_s: float = 3600.0) -> None:
    """Purge audit entries older than the retention setting, now and then every ``every_s``."""
    while True:
        days = runtime.settings.audit_retention_days
        async with runtime.uow_factory() as uow:
            assert uow.audit_trail is not None
            purged = await purge_audit(
                uow.session, uow.audit_trail, before=now() - timedelta(days=days)
            )
            await uow.commit()
        if purged:
            log.info("audit entries purged", extra={"entries": purged, "retention_days": days})
        await asyncio.sleep(every_s)


async def stop_background(runtime: Runtime[Any], *, timeout_s: float = 15.0) -> None:
    """Cancel the background loops and wait (bounded) for them to clean up.

    Cancelled again every half second: a client library that swallows one cancellation
    (aiokafka does, in places) must not keep a loop alive.
    """
    pending = set(runtime.tasks)
    deadline = asyncio.get_running_loop().time() + timeout_s
    while pending and asyncio.get_running_loop().time() < deadline:
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=0.5)
    if pending:
        log.warning(
            "background tasks did not stop in time",
            extra={"tasks": sorted(t.get_name() for t in pending)},
        )
    runtime.tasks = []


async def close_runtime(runtime: Runtime[Any]) -> None:
    await stop_background(runtime)
    try:
        async with asyncio.timeout(15):
            await runtime.engine.dispose()
    except TimeoutError:
        log.warning("database connections did not close in time")


Checks = dict[str, Callable[[], Awaitable[tuple[bool, str]]]]


def readiness_checks(runtime: Runtime[Any]) -> tuple[Checks, Checks]:
    """What /readyz requires (database, migrations) and what it reports (broker, consumers)."""
    script = script_directory(runtime.spec.name)

    async def database() -> tuple[bool, str]:
        async with reader(runtime.engine).connect() as conn:
            await conn.execute(text("SELECT 1"))
        return True, runtime.engine.dialect.name

    async def migrations() -> tuple[bool, str]:
        fit = await schema_fit(reader(runtime.engine), script)
        return fit.ok, fit.detail

    async def broker() -> tuple[bool, str]:
        if runtime.epochs.reachable:
            return True, runtime.spec.settings.kafka.bootstrap_servers
        return False, f"{runtime.spec.settings.kafka.bootstrap_servers} not reachable"

    async def consumers() -> tuple[bool, str]:
        if not runtime.schema_fits.is_set():
            return False, "waiting for the database schema to fit this code"
        down = [c.group_id for c in runtime.consumers if not c.healthy]
        if down:
            return False, f"not running: {', '.join(down)}"
        return True, f"{len(runtime.consumers)} running"

    required: Checks = {
        "database": database,
        "migrations": migrations,
    }
    # Reported, not required: without the broker, writes still commit to the outbox and reads
    # still answer; events wait (educluster_broker_reachable, educluster_outbox_backlog).
    reported: Checks = {"broker": broker}
    if runtime.consumers:
        reported["consumers"] = consumers
    return required, reported


async def _schema_fits_for(scope: Scope) -> bool:
    runtime = getattr(scope["app"].state, "runtime", None)  # None before the lifespan started
    return runtime is None or await schema_fits_now(runtime)


def create_service_app(spec: ServiceSpec[Any]) -> FastAPI:
    configure_logging(service=spec.name, level=spec.settings.log_level)
    start_tracing(spec.name)  # if OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/deploy.md)
    registry = CollectorRegistry()
    export_process_metrics(registry)
    ops_port = spec.settings.ops_port
    # With an operations port, /metrics and the checks' details are served there only.
    ops = operations_app(title=spec.title, registry=registry) if ops_port else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = build_runtime(spec, registry)
        app.state.runtime = runtime
        app.state.readiness_checks, app.state.reported_checks = readiness_checks(runtime)
        start_background(runtime)
        ops_server = None
        try:
            if ops is not None:
                ops.state.readiness_checks = app.state.readiness_checks
                ops.state.reported_checks = app.state.reported_checks
                ops_server = OperationsServer(ops, host=spec.settings.ops_host, port=ops_port)
                await ops_server.start()
            log.info("service started", extra={"ops_port": ops_port or None})
            yield
        finally:
            try:
                if ops_server is not None:
                    await ops_server.stop()
                if spec.on_stop is not None:
                    await spec.on_stop(runtime)
            finally:
                await close_runtime(runtime)
            log.info("service stopped")

    app = FastAPI(title=spec.title, version="1.0.0", lifespan=lifespan)
    app.state.metrics_registry = registry
    app.state.token_verifier = TokenVerifier(spec.settings.auth, spec.settings.oidc)
    install_problem_handlers(app)
    app.add_middleware(ConditionalGetMiddleware)
    app.add_middleware(RequestBudgetMiddleware, budget_s=spec.settings.request_budget_s)
    app.add_middleware(SchemaGateMiddleware, fits=_schema_fits_for, exempt=UNTRACED_PATHS)
    app.add_middleware(HttpMetricsMiddleware, registry=registry)
    app.add_middleware(RequestIdMiddleware)
    app.include_router(operations_router(detailed=ops is None))
    for router in spec.routers:
        app.include_router(router)
    install_problem_documentation(app)
    tracing = tracer_provider()
    if tracing is not None:
        # A SERVER span for each request, continuing the caller's trace: outermost, around
        # every middleware (the gateway's proxy too), so their log lines carry its trace id.
        FastAPIInstrumentor.instrument_app(
            app,
            tracer_provider=tracing,
            excluded_urls=UNTRACED_PATHS,
            exclude_spans=["receive", "send"],
        )
    return app
