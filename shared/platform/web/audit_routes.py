"""``GET /api/v1/audit/{service}``: a service's audit trail, for the ministry and operators."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from shared.platform.auth import forbidden
from shared.platform.db.audit import AuditFilter, read_audit
from shared.platform.db.keyset import invalid_cursor
from shared.platform.names import API_PREFIX
from shared.platform.web.deps import UnitOfWorkFactory
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor


class AuditEntryPublic(BaseModel):
    seq: int
    at: datetime
    actor_sub: str | None
    actor_role: str
    actor_org: str | None
    request_id: str | None
    action: str
    subject: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def audit_router(service: str) -> APIRouter:
    """The route reading ``service``'s audit trail (its unit of work names the table)."""
    router = APIRouter(prefix=f"{API_PREFIX}/audit/{service}", tags=["audit"])

    @router.get(
        "",
        response_model=Page[AuditEntryPublic],
        summary=f"The {service} service's audit trail (the ministry and operators)",
        description="Entries in the order written; filters combine. `before`/`after` are the "
        "state the subject had before and after (as its events state it: ids and codes, no "
        "names).",
    )
    async def read_audit_trail(
        identity: CurrentIdentity,
        uow_factory: UnitOfWorkFactory,
        subject: Annotated[
            str | None, Query(max_length=255, description="e.g. graduates/<id>")
        ] = None,
        action: Annotated[str | None, Query(max_length=120, description="an event type")] = None,
        actor: Annotated[str | None, Query(max_length=255, description="the caller's sub")] = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Page[AuditEntryPublic]:
        if not identity.is_("ministry", "operator"):
            raise forbidden("the audit trail is for the ministry and operators")
        after = decode_cursor(cursor) or "0"
        if not after.isdigit():
            raise invalid_cursor()
        where = AuditFilter(
            subject=subject, action=action, actor_sub=actor, since=since, until=until
        )
        async with uow_factory() as uow:
            assert uow.audit_trail is not None, f"{service} keeps no audit trail"
            rows = await read_audit(
                uow.session, uow.audit_trail, where, limit=limit + 1, after_seq=int(after)
            )
        more = len(rows) > limit
        items = [AuditEntryPublic(**row) for row in rows[:limit]]
        return Page(items=items, next_cursor=encode_cursor(str(items[-1].seq)) if more else None)

    return router
