"""JSON logs with the current request id on every line, and the trace's ids while a span is
active (shared.platform.tracing)."""

import logging
import sys
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from types import TracebackType

from opentelemetry.trace import get_current_span
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy.exc import StatementError

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        span = get_current_span().get_span_context()
        if span.is_valid:  # the ids a tracing backend shows, to find a trace's log lines
            record.trace_id = format(span.trace_id, "032x")
            record.span_id = format(span.span_id, "016x")
        record.__dict__.pop("color_message", None)  # uvicorn's ANSI copy of the message
        return True


# Database errors quote what they were given: a row that broke a constraint (PostgreSQL's
# "Failing row contains (...)"), a value that did not fit. Their text never reaches a log; the
# frames, the error's kind and the database's code for it do.
_DRIVER_MODULES = ("asyncpg", "sqlite3", "aiosqlite", "psycopg", "sqlalchemy.dialects")
_NAMED_BY_THE_DATABASE = ("sqlstate", "sqlite_errorname", "table_name", "column_name")


def _chain(error: BaseException) -> list[BaseException]:
    """``error`` and the exceptions that led to it, the first cause first."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and not any(current is seen for seen in chain):
        chain.append(current)
        context = None if current.__suppress_context__ else current.__context__
        current = current.__cause__ or context
    return chain[::-1]


def _quotes_data(error: BaseException) -> bool:
    return isinstance(error, StatementError) or type(error).__module__.startswith(_DRIVER_MODULES)


def _withheld(error: BaseException) -> str:
    named = [
        f"{name}={getattr(error, name)}"
        for name in (*_NAMED_BY_THE_DATABASE, "constraint_name")
        if getattr(error, name, None)
    ]
    return f"(text withheld: it may quote personal data) {' '.join(named)}".rstrip()


def described(error: BaseException) -> str:
    """ "Kind: text" of ``error`` for a log field or a dead letter's header, with a database
    error's text withheld (a field bypasses the formatter's scrubbing of tracebacks)."""
    if any(_quotes_data(cause) for cause in _chain(error)):
        return f"{type(error).__name__}: {_withheld(error)}"
    return f"{type(error).__name__}: {error}"


def scrubbed_traceback(error: BaseException) -> str:
    """``error``'s traceback with the text of every database error in its chain withheld."""
    parts: list[str] = []
    for cause in _chain(error):
        if parts:
            parts.append("\nwhich led to:\n\n")
        kind = type(cause)
        text = _withheld(cause) if _quotes_data(cause) else str(cause)
        parts += ["Traceback (most recent call last):\n", *traceback.format_tb(cause.__traceback__)]
        parts.append(f"{kind.__module__}.{kind.__qualname__}: {text}\n")
    return "".join(parts).rstrip("\n")


class _UtcJsonFormatter(JsonFormatter):
    def formatException(  # type: ignore[override]  # noqa: N802
        self,
        ei: tuple[type[BaseException], BaseException, TracebackType | None]
        | tuple[None, None, None],
    ) -> str | list[str]:
        """The standard traceback, unless a database error is in it: then its text is withheld."""
        error = ei[1]
        if error is not None and any(_quotes_data(cause) for cause in _chain(error)):
            return scrubbed_traceback(error)
        return super().formatException(ei)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        """RFC 3339 in UTC with milliseconds (2026-12-05T18:49:05.300Z): unambiguous across
        nodes and time zones, and sortable as text."""
        stamped = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        return stamped.replace("+00:00", "Z")


def configure_logging(*, service: str, level: str = "INFO") -> None:
    """Send every log record to stderr as one JSON object per line."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        _UtcJsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            static_fields={"service": service},
        )
    )
    handler.addFilter(_RequestIdFilter())
    # Records propagated from loggers with their own level (uvicorn.access is INFO) still obey
    # EDUCLUSTER_LOG_LEVEL.
    handler.setLevel(level.upper())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # aiokafka logs every failed reconnect while a broker is away; keep those at WARNING.
    logging.getLogger("aiokafka").setLevel(max(logging.WARNING, root.level))
    # Readiness reads the migration state on every probe; Alembic would log that each time.
    logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        if name == "uvicorn.access" and not logger.handlers and not logger.propagate:
            continue  # uvicorn --no-access-log: keep it off
        logger.handlers[:] = []
        logger.propagate = True
