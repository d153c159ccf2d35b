"""JSON logs with the current request id on every line."""

import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

from pythonjsonlogger.json import JsonFormatter

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.__dict__.pop("color_message", None)  # uvicorn's ANSI copy of the message
        return True


class _UtcJsonFormatter(JsonFormatter):
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
