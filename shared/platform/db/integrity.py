"""Telling a unique violation (a concurrent twin: the client's 409) from other integrity errors
(a foreign key or NOT NULL broken: our bug) by the database's own error code."""

from sqlalchemy.exc import IntegrityError

_PG_UNIQUE_VIOLATION = "23505"
_SQLITE_UNIQUE = {"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"}


def is_unique_violation(error: IntegrityError) -> bool:
    """True when ``error`` is a unique or primary-key violation on PostgreSQL or SQLite."""
    cause = error.orig
    # asyncpg's error (wrapped by SQLAlchemy's adapter) carries the SQLSTATE.
    sqlstate = getattr(cause, "sqlstate", None) or getattr(
        getattr(cause, "__cause__", None), "sqlstate", None
    )
    if sqlstate is not None:
        return bool(sqlstate == _PG_UNIQUE_VIOLATION)
    # sqlite3 (through aiosqlite) names the extended result code.
    name = getattr(cause, "sqlite_errorname", None)
    return name in _SQLITE_UNIQUE
