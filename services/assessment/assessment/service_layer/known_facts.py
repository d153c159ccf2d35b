"""Registry facts as this service knows them from its projection, with honest refusals.

The projection follows registry events, so it may be a moment behind: an id it has not seen yet
is answered with 409 and Retry-After ("not known here yet"), never with "does not exist".
"""

from typing import Any

from sqlalchemy import Table, select

from assessment.adapters.tables import (
    frameworks,
    projected_clusters,
    projected_employments,
    projected_graduates,
    projected_organizations,
    projected_programs,
)
from assessment.domain.eligibility import Employment
from shared.platform.errors import NotKnownYet, RuleViolation
from shared.platform.messaging.unit_of_work import UnitOfWork

Path = tuple[str | int, ...]
RETRY_AFTER_S = 5


def not_known_yet(path: Path, what: str) -> NotKnownYet:
    return NotKnownYet(
        path,
        f"{what} is not known to the assessment service yet. If it was registered moments ago, "
        "retry shortly; otherwise register it in the registry first.",
        retry_after=RETRY_AFTER_S,
    )


async def _row(uow: UnitOfWork, table: Table, key: str) -> dict[str, Any] | None:
    row = (await uow.session.execute(select(table).where(table.c.id == key))).mappings().first()
    return dict(row) if row is not None else None


async def require_known(
    uow: UnitOfWork, table: Table, key: str, *, path: Path, what: str
) -> dict[str, Any]:
    """The projected row of ``key``: 409 + Retry-After if unknown, 422 if no longer active."""
    row = await _row(uow, table, key)
    if row is None:
        raise not_known_yet(path, f"{what} {key}")
    active = row["status"] == "active" if "status" in row else row["active"]
    if not active:
        raise RuleViolation(path, f"{what} {key} is not active")
    return row


async def require_employer(uow: UnitOfWork, employer_id: str, *, path: Path) -> dict[str, Any]:
    row = await require_known(uow, projected_organizations, employer_id, path=path, what="employer")
    if row["kind"] != "employer":
        raise RuleViolation(path, f"organization {employer_id} is not an employer")
    return row


async def require_graduate(uow: UnitOfWork, graduate_id: str, *, path: Path) -> dict[str, Any]:
    return await require_known(uow, projected_graduates, graduate_id, path=path, what="graduate")


async def require_program(uow: UnitOfWork, program_id: str, *, path: Path) -> dict[str, Any]:
    return await require_known(uow, projected_programs, program_id, path=path, what="program")


async def require_cluster(uow: UnitOfWork, cluster_id: str, *, path: Path) -> dict[str, Any]:
    return await require_known(uow, projected_clusters, cluster_id, path=path, what="cluster")


async def employments_of(uow: UnitOfWork, *, employer_id: str, graduate_id: str) -> list:
    result = await uow.session.execute(
        select(projected_employments.c.start_date, projected_employments.c.end_date).where(
            projected_employments.c.employer_id == employer_id,
            projected_employments.c.graduate_id == graduate_id,
        )
    )
    return [Employment(start_date=r.start_date, end_date=r.end_date) for r in result]


async def require_framework(uow: UnitOfWork, framework_id: str, *, path: Path) -> dict[str, Any]:
    """A published framework (frameworks are this service's own data: unknown means 422)."""
    row = await _row(uow, frameworks, framework_id)
    if row is None:
        raise RuleViolation(path, f"framework {framework_id} does not exist")
    return row
