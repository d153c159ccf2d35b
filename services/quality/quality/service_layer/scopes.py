"""Which programs make up a scope, and which scopes a program's figures feed.

A program belongs to its institution, the institution's region, the nation, and every cluster
the institution was a member of at some time in the period (joined on or before 31 December,
not left before 1 January).
"""

from datetime import date

from sqlalchemy import Select, and_, or_, select

from quality.adapters.tables import q_memberships, q_organizations, q_programs
from shared.platform.messaging.unit_of_work import UnitOfWork

SCOPES = ("program", "organization", "cluster", "region", "national")
COUNTRY = "UZ"


def member_during(first_year: int, last_year: int):  # type: ignore[no-untyped-def]
    """Memberships overlapping the years ``first_year``..``last_year``."""
    return and_(
        q_memberships.c.joined_on <= date(last_year, 12, 31),
        or_(q_memberships.c.left_on.is_(None), q_memberships.c.left_on >= date(first_year, 1, 1)),
    )


def programs_in(scope: str, scope_id: str, *, first_year: int, last_year: int) -> Select:
    """A query of the ids of the programs a scope is made of."""
    ids = select(q_programs.c.id)
    if scope == "program":
        return ids.where(q_programs.c.id == scope_id)
    if scope == "organization":
        return ids.where(q_programs.c.institution_id == scope_id)
    if scope == "region":
        in_region = select(q_organizations.c.id).where(q_organizations.c.region_code == scope_id)
        return ids.where(q_programs.c.institution_id.in_(in_region))
    if scope == "cluster":
        members = select(q_memberships.c.organization_id).where(
            q_memberships.c.cluster_id == scope_id, member_during(first_year, last_year)
        )
        return ids.where(q_programs.c.institution_id.in_(members))
    if scope == "national":
        return ids
    raise ValueError(f"unknown scope {scope!r}")


async def scopes_of(uow: UnitOfWork, *, program_id: str, period: int) -> list[tuple[str, str]]:
    """Every (scope, scope_id) whose figures for ``period`` include this program."""
    program = (
        await uow.session.execute(
            select(q_programs.c.institution_id, q_organizations.c.region_code)
            .join(
                q_organizations, q_organizations.c.id == q_programs.c.institution_id, isouter=True
            )
            .where(q_programs.c.id == program_id)
        )
    ).first()
    if program is None:
        return [("program", program_id), ("national", COUNTRY)]
    clusters = await uow.session.scalars(
        select(q_memberships.c.cluster_id)
        .where(
            q_memberships.c.organization_id == program.institution_id,
            member_during(period - 2, period),  # the 3-year pool reaches back two years
        )
        .distinct()
    )
    found = [("program", program_id), ("organization", program.institution_id)]
    found += [("cluster", cluster_id) for cluster_id in clusters]
    if program.region_code is not None:
        found.append(("region", program.region_code))
    return [*found, ("national", COUNTRY)]
