"""Async SQLAlchemy engines for SQLite (embedded default) and PostgreSQL."""

import os
import ssl
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


# The CA certificate that PostgreSQL's server certificate must chain to (empty: no TLS).
DB_SSL_ROOT_CERT_ENV = "EDUCLUSTER_DB_SSL_ROOT_CERT"

# An execution option: the transaction only reads, so on SQLite it need not take the write lock.
READ_ONLY = "educluster_read_only"
# An SQLite file's write engine → its readers' engine (create_engine).
_READERS: WeakKeyDictionary[Engine, AsyncEngine] = WeakKeyDictionary()


def create_engine(
    url: str,
    *,
    echo: bool = False,
    lock_timeout_s: float = 30.0,
    pool_size: int = 5,
    max_overflow: int = 5,
    ssl_root_cert: str | None = None,
    write_wait_s: float | None = None,
) -> AsyncEngine:
    """Build an engine; SQLite gets WAL, foreign keys and serialised (IMMEDIATE) writers.
    Statement parameters are kept out of error messages (``hide_parameters``).

    ``lock_timeout_s`` bounds how long a statement waits for a lock (PostgreSQL lock_timeout,
    SQLite busy timeout); past it the transaction fails with a contention error (a 503).
    ``write_wait_s`` (SQLite files; default ``lock_timeout_s``) bounds how long a write
    transaction waits its turn for the engine's one write connection. ``ssl_root_cert``
    (default: EDUCLUSTER_DB_SSL_ROOT_CERT, so migration Jobs and commands that only have a URL
    verify too) turns on TLS with verify-full for PostgreSQL.
    """
    lock_timeout_ms = str(int(lock_timeout_s * 1000))
    if not is_sqlite(url):
        if ssl_root_cert is None:
            ssl_root_cert = os.environ.get(DB_SSL_ROOT_CERT_ENV, "")
        return create_async_engine(
            url,
            echo=echo,
            # A statement's parameters are people's data: never in an error's text, nor a log.
            hide_parameters=True,
            pool_pre_ping=True,
            pool_size=pool_size,
            max_overflow=max_overflow,
            connect_args=postgres_connect_args(
                lock_timeout_ms=lock_timeout_ms, ssl_root_cert=ssl_root_cert
            ),
        )
    database = make_url(url).database
    options: dict[str, Any] = {
        "echo": echo,
        "hide_parameters": True,
        "connect_args": {"timeout": lock_timeout_s},
    }
    if not database or database == ":memory:":  # one connection is the whole database
        engine = create_async_engine(url, **options)
        _configure_sqlite(engine, busy_timeout_ms=lock_timeout_ms)
        return engine
    Path(database).parent.mkdir(parents=True, exist_ok=True)
    # SQLite has one writer. Writers queue for the engine's one write connection in the event
    # loop (first come, first served; the wait bounded by the lock timeout) instead of each
    # polling SQLite's busy handler, which sleeps up to 100 ms a turn: the lock sat idle between
    # writers and an unlucky one waited out the whole timeout (the load test's 503s). Readers
    # have a pool of their own and never wait for the writer (WAL).
    write_wait_s = lock_timeout_s if write_wait_s is None else write_wait_s
    writer = create_async_engine(
        url, pool_size=1, max_overflow=0, pool_timeout=write_wait_s, **options
    )
    readers = create_async_engine(url, pool_size=pool_size, max_overflow=max_overflow, **options)
    for engine in (writer, readers):
        _configure_sqlite(engine, busy_timeout_ms=lock_timeout_ms)
    _READERS[writer.sync_engine] = readers.execution_options(**{READ_ONLY: True})

    @event.listens_for(writer.sync_engine, "engine_disposed")
    def _dispose_readers(_engine: Any) -> None:
        readers.sync_engine.dispose()  # inside the writer's AsyncEngine.dispose: awaits there

    return writer


def postgres_connect_args(*, lock_timeout_ms: str, ssl_root_cert: str) -> dict[str, Any]:
    """asyncpg's connect arguments; with a root certificate (the CloudNativePG cluster's CA),
    TLS that checks the server's certificate and host name (libpq's sslmode verify-full)."""
    args: dict[str, Any] = {"server_settings": {"lock_timeout": lock_timeout_ms}}
    if ssl_root_cert:
        if not Path(ssl_root_cert).is_file():
            raise FileNotFoundError(f"{DB_SSL_ROOT_CERT_ENV}: no file at {ssl_root_cert}")
        # create_default_context: CERT_REQUIRED and check_hostname are its defaults.
        args["ssl"] = ssl.create_default_context(cafile=ssl_root_cert)
    return args


def _configure_sqlite(engine: AsyncEngine, *, busy_timeout_ms: str) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:  # the driver's own objects
        # Take transaction control from the driver so we can issue BEGIN IMMEDIATE below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            "foreign_keys=ON",
            f"busy_timeout={busy_timeout_ms}",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            # A reader sees a snapshot (WAL) and never waits for the writer, nor it for us.
            connection.exec_driver_sql("BEGIN DEFERRED")
            return
        # One writer at a time, taken up front: commit order equals outbox id order, and a
        # read-then-write transaction never fails half-way with SQLITE_BUSY.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(
    engine: AsyncEngine, *, read_only: bool = False
) -> async_sessionmaker[AsyncSession]:
    """Sessions on ``engine``; ``read_only`` ones take no write lock on SQLite."""
    bind = reader(engine) if read_only else engine
    return async_sessionmaker(bind, expire_on_commit=False)


def reader(engine: AsyncEngine) -> AsyncEngine:
    """``engine`` for reads only: on SQLite its transactions take no write lock, so a read
    neither waits for a writer nor, if its task is cancelled mid-way, can leave one waiting;
    an SQLite file's readers have connections of their own (create_engine)."""
    return _READERS.get(engine.sync_engine) or engine.execution_options(**{READ_ONLY: True})
