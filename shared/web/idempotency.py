"""``Idempotency-Key`` for creates: a retried request returns the first result, creates nothing.

The key is remembered per caller with a fingerprint of the request, in the same transaction as
the creation, so "created" and "remembered" cannot disagree. The same key with a different
request is refused (422).
"""

import hashlib
import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Header
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from shared.web.problems import ProblemError

idempotency_metadata = MetaData()
idempotency_keys = Table(
    "idempotency_keys",
    idempotency_metadata,
    Column("principal", String(200), nullable=False),
    Column("key", String(200), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=False),
    Column("body", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("principal", "key", name="pk_idempotency_keys"),
)

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="retrying with the same key returns the first result",
    ),
]


def fingerprint(method: str, path: str, body: Any) -> str:
    text = json.dumps([method, path, body], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


async def recall(
    session: AsyncSession, *, principal: str, key: str, print_: str
) -> tuple[int, Any] | None:
    """The stored (status, body) for this key, or None; 422 if the key served another request."""
    row = (
        await session.execute(
            select(
                idempotency_keys.c.fingerprint, idempotency_keys.c.status, idempotency_keys.c.body
            ).where(idempotency_keys.c.principal == principal, idempotency_keys.c.key == key)
        )
    ).first()
    if row is None:
        return None
    if row.fingerprint != print_:
        raise ProblemError(
            422,
            "Idempotency-Key reused",
            "This Idempotency-Key was used for a different request.",
            errors=[{"loc": ["header", "Idempotency-Key"], "msg": "used for another request"}],
        )
    return row.status, row.body


async def remember(
    session: AsyncSession, *, principal: str, key: str, print_: str, status: int, body: Any
) -> None:
    await session.execute(
        idempotency_keys.insert().values(
            principal=principal,
            key=key,
            fingerprint=print_,
            status=status,
            body=body,
            created_at=datetime.now(UTC),
        )
    )
