"""The audit trail: who changed what and when, kept append-only beside a service's own data.

Every event a unit of work commits becomes one entry in the same transaction: the event's type
is the action, its subject the thing changed, its data the state after, and the previous
entry of the same subject the state before (none, and not looked for, when the event creates its
subject). Events carry ids and codes, never people's names or student references, so personal
data appears as references, not copies. A write that announces no event (a confirmation code
issued, an import's summary) records its entry itself.

Who: the verified caller of the request (``current_actor``, set by the web layer), with the
request id; ``system`` when a consumer or a background task wrote it, ``anonymous`` for a
request without a token (a graduate's confirmation code). Entries older than the service's
retention setting are purged by ``purge_audit``; nothing else deletes or changes them.
"""

from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from shared.platform.auth import Identity
from shared.platform.db.queries import now
from shared.platform.db.types import UtcDateTime
from shared.platform.logging import request_id_var

current_actor: ContextVar[Identity | None] = ContextVar("current_actor", default=None)

# SQLite numbers rows only through INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit sequence.
_SEQ = BigInteger().with_variant(Integer(), "sqlite")


def audit_table(metadata: MetaData) -> Table:
    """The service's ``audit_trail`` table (its migration creates the same)."""
    return Table(
        "audit_trail",
        metadata,
        Column("seq", _SEQ, primary_key=True, autoincrement=True),
        Column("at", UtcDateTime(), nullable=False),
        Column("actor_sub", String(255), nullable=True),
        Column("actor_role", String(32), nullable=False),
        Column("actor_org", String(36), nullable=True),
        Column("request_id", String(64), nullable=True),
        Column("action", String(120), nullable=False),
        Column("subject", String(255), nullable=False),
        Column("before", JSON, nullable=True),
        Column("after", JSON, nullable=True),
        Index("ix_audit_trail_subject", "subject", "seq"),
        Index("ix_audit_trail_at", "at"),
    )


@dataclass(frozen=True)
class AuditEntry:
    action: str
    subject: str
    after: dict[str, Any] | None
    # The entry's action creates its subject (a new id): it has no previous entry to read.
    creates_subject: bool = False


def _actor() -> dict[str, Any]:
    actor = current_actor.get()
    request_id = request_id_var.get()
    if actor is None:
        role = "system" if request_id is None else "anonymous"
        return {"actor_sub": None, "actor_role": role, "actor_org": None, "request_id": request_id}
    return {
        "actor_sub": actor.sub,
        "actor_role": actor.role,
        "actor_org": actor.org,
        "request_id": request_id,
    }


async def append_audit(session: AsyncSession, table: Table, entries: Sequence[AuditEntry]) -> None:
    """Add ``entries`` (in order) to the trail, each with the state its subject had before."""
    if not entries:
        return
    # Only subjects that may have an entry already are read: none on the hot path of creations.
    subjects = {e.subject for e in entries if not e.creates_subject}
    last: dict[str, Any] = {}
    if subjects:
        latest = (
            select(func.max(table.c.seq))
            .where(table.c.subject.in_(subjects))
            .group_by(table.c.subject)
        )
        result = await session.execute(
            select(table.c.subject, table.c.after).where(table.c.seq.in_(latest))
        )
        last = {subject: after for subject, after in result}
    actor, at = _actor(), now()
    rows = []
    for entry in entries:
        rows.append(
            {
                **actor,
                "at": at,
                "action": entry.action,
                "subject": entry.subject,
                "before": last.get(entry.subject),
                "after": entry.after,
            }
        )
        last[entry.subject] = entry.after
    await session.execute(table.insert(), rows)


@dataclass(frozen=True)
class AuditFilter:
    subject: str | None = None
    action: str | None = None
    actor_sub: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def read_audit(
    session: AsyncSession, table: Table, where: AuditFilter, *, limit: int, after_seq: int
) -> list[dict[str, Any]]:
    """Entries in the order written, from just after ``after_seq`` (a keyset page)."""
    c = table.c
    query = select(table).where(c.seq > after_seq).order_by(c.seq).limit(limit)
    if where.subject is not None:
        query = query.where(c.subject == where.subject)
    if where.action is not None:
        query = query.where(c.action == where.action)
    if where.actor_sub is not None:
        query = query.where(c.actor_sub == where.actor_sub)
    if where.since is not None:
        query = query.where(c.at >= where.since)
    if where.until is not None:
        query = query.where(c.at < where.until)
    return [dict(row) for row in (await session.execute(query)).mappings()]


async def purge_audit(session: AsyncSession, table: Table, *, before: datetime) -> int:
    """Delete the entries written before ``before`` (the retention setting); how many."""
    result = await session.execute(delete(table).where(table.c.at < before))
    return int(getattr(result, "rowcount", 0) or 0)  # a DML result: CursorResult
