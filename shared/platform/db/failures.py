"""What a database error means, told by the database's own error code.

A unique violation is a concurrent twin (the client's 409); other integrity errors (a foreign key
or NOT NULL broken) are our bug. Contention — a lock not granted in time, a statement cancelled
by its timeout, a serialisation failure or deadlock — is temporary: retry later (503).
"""

from asyncpg import InternalClientError
from sqlalchemy.exc import DBAPIError, IntegrityError

_PG_UNIQUE_VIOLATION = "23505"
_PG_CONTENTION = {
    "55P03",  # lock_not_available: lock_timeout expired
    "57014",  # query_canceled: statement_timeout expired
    "40001",  # serialization_failure
    "40P01",  # deadlock_detected
}
# The schema is not the one the code expects (a migration not applied yet, or one the code
# predates): an outage until the schema and the code match, never a fault of the data.
_PG_SCHEMA_MISMATCH = {
    "42P01",  # undefined_table
    "42703",  # undefined_column
}
_SQLITE_UNIQUE = {"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"}
# PostgreSQL refusing or ending connections, which asyncpg reports as plain DBAPIErrors:
# connection failures (class 08), too many connections, and a server terminating sessions or
# starting up. A database that does not allow connections (ALTER DATABASE … ALLOW_CONNECTIONS
# false) says 55000, which only means that while connecting (SQLAlchemy has no statement then).
_PG_REFUSING = ("08", "53300", "57P01", "57P02", "57P03")
_PG_NOT_ACCEPTING_CONNECTIONS = "55000"


def _sqlstate(error: DBAPIError) -> str | None:
    # asyncpg's error (wrapped by SQLAlchemy's adapter) carries the SQLSTATE.
    cause = error.orig
    state = getattr(cause, "sqlstate", None) or getattr(
        getattr(cause, "__cause__", None), "sqlstate", None
    )
    return str(state) if state is not None else None


def is_unique_violation(error: IntegrityError) -> bool:
    """True when ``error`` is a unique or primary-key violation on PostgreSQL or SQLite."""
    sqlstate = _sqlstate(error)
    if sqlstate is not None:
        return sqlstate == _PG_UNIQUE_VIOLATION
    # sqlite3 (through aiosqlite) names the extended result code.
    return getattr(error.orig, "sqlite_errorname", None) in _SQLITE_UNIQUE


def is_contention(error: DBAPIError) -> bool:
    """True when ``error`` says "busy, try again": nothing was written, nothing is wrong."""
    sqlstate = _sqlstate(error)
    if sqlstate is not None:
        return sqlstate in _PG_CONTENTION
    name = str(getattr(error.orig, "sqlite_errorname", ""))
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def refuses_connections(error: DBAPIError) -> bool:
    """True when ``error`` says PostgreSQL is not taking connections now: an outage, never the
    request's or the event's fault."""
    if error.connection_invalidated or _protocol_lost(error):
        return True
    sqlstate = _sqlstate(error) or ""
    if sqlstate == _PG_NOT_ACCEPTING_CONNECTIONS:
        return error.statement is None
    return sqlstate.startswith(_PG_REFUSING)


def _protocol_lost(error: DBAPIError) -> bool:
    # A session terminated while a statement was on the wire can leave asyncpg's protocol
    # confused: an InternalClientError with no SQLSTATE (SQLAlchemy's adapter wraps it, keeping
    # asyncpg's as the cause). The statement never completed; the connection is gone.
    cause = error.orig
    return isinstance(cause, InternalClientError) or isinstance(
        getattr(cause, "__cause__", None), InternalClientError
    )


def is_schema_mismatch(error: DBAPIError) -> bool:
    """True when ``error`` names a table or column the database does not have (PostgreSQL; on
    SQLite that is an OperationalError, already an outage)."""
    return _sqlstate(error) in _PG_SCHEMA_MISMATCH
