"""``Idempotency-Key`` for creates: a retried request returns the first result, creates nothing.

The key is remembered per caller with a fingerprint of the request, in the same transaction as
the creation, so "created" and "remembered" cannot disagree. The same key with a different
request is refused (422). The caller is the identity's ``principal`` (issuer, subject, role,
organization, region), not its ``sub``: a token of another organization or region with the same
subject gets the answer it would get without the key, never this caller's.
"""

import hashlib
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import (
    JSON,
    Column,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.platform.db.types import UtcDateTime
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.web.deps import ReadUnitOfWorkFactory, UnitOfWorkFactory
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.problems import ProblemError

idempotency_metadata = MetaData()
idempotency_keys = Table(
    "idempotency_keys",
    idempotency_metadata,
    Column("principal", String(200), nullable=False),  # Identity.principal (64 characters)
    Column("key", String(200), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=False),
    Column("body", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
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


async def create_once(
    uow_factory: Callable[[], UnitOfWork],
    *,
    principal: str,
    key: str | None,
    request_print: str,
    create: Callable[[UnitOfWork], Awaitable[Any]],
    public: type[BaseModel],
    status: int = 201,
) -> JSONResponse:
    """Run ``create`` in a unit of work, or replay the result first stored for ``key``."""
    for _ in range(2):  # a concurrent twin with the same key loses at commit, then replays
        try:
            async with uow_factory() as uow:
                if key is not None:
                    stored = await recall(
                        uow.session, principal=principal, key=key, print_=request_print
                    )
                    if stored is not None:
                        return _replay(stored)
                body = public.model_validate(await create(uow)).model_dump(mode="json")
                if key is not None:
                    await remember(
                        uow.session,
                        principal=principal,
                        key=key,
                        print_=request_print,
                        status=status,
                        body=body,
                    )
                await uow.commit()
                return JSONResponse(body, status_code=status)
        except IntegrityError:
            if key is None:
                raise
    raise ProblemError(409, "Conflict", "A concurrent request with this Idempotency-Key won.")


def _replay(stored: tuple[int, Any]) -> JSONResponse:
    return JSONResponse(stored[1], status_code=stored[0], headers={"Idempotent-Replayed": "true"})


class IdempotentCreate:
    """A route dependency that runs a create once per ``Idempotency-Key`` of the caller::

    async def register_program(body: ProgramCreate, create: CreateOnce):
        return await create(body, public=ProgramPublic, run=lambda uow: ...)
    """

    def __init__(
        self,
        request: Request,
        uow_factory: UnitOfWorkFactory,
        read_uow_factory: ReadUnitOfWorkFactory,
        identity: CurrentIdentity,
        idempotency_key: IdempotencyKey = None,
    ) -> None:
        self._path = request.url.path
        self._uow_factory = uow_factory
        self._read_uow_factory = read_uow_factory
        self._principal = identity.principal
        self._key = idempotency_key

    async def replayed(self, body: BaseModel) -> JSONResponse | None:
        """The first answer to this caller's key with this body, if it was sent before: for a
        create that checks its input before opening its write transaction."""
        if self._key is None:
            return None
        async with self._read_uow_factory() as uow:
            stored = await recall(
                uow.session,
                principal=self._principal,
                key=self._key,
                print_=fingerprint("POST", self._path, body.model_dump(mode="json")),
            )
        return _replay(stored) if stored is not None else None

    async def __call__(
        self,
        body: BaseModel,
        *,
        public: type[BaseModel],
        run: Callable[[UnitOfWork], Awaitable[Any]],
        status: int = 201,
    ) -> JSONResponse:
        """Run ``run`` in a unit of work, or replay the first result stored for this caller's
        key with this same ``body``."""
        return await create_once(
            self._uow_factory,
            principal=self._principal,
            key=self._key,
            request_print=fingerprint("POST", self._path, body.model_dump(mode="json")),
            public=public,
            create=run,
            status=status,
        )


async def _idempotent_create(
    request: Request,
    uow_factory: UnitOfWorkFactory,
    read_uow_factory: ReadUnitOfWorkFactory,
    identity: CurrentIdentity,
    idempotency_key: IdempotencyKey = None,
) -> IdempotentCreate:
    # Not ``Depends()`` on the class: FastAPI makes a class dependency in a worker thread.
    return IdempotentCreate(request, uow_factory, read_uow_factory, identity, idempotency_key)


CreateOnce = Annotated[IdempotentCreate, Depends(_idempotent_create)]
