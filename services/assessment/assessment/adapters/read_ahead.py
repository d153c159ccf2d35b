"""Rows read ahead for a unit of work's checks: the SQL repositories' single reads answer from
these, so a submission's checks cost a query per kind of fact (bulk) or one in all (single).

Each statement costs several hand-offs to the database driver's thread (aiosqlite: cursor,
execute, fetch, close), which is most of the CPU a single submission takes: its six facts are
read in one joined SELECT.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import RowMapping, Select, String, Table, and_, bindparam, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from assessment.adapters.tables import (
    assessments,
    frameworks,
    projected_employments,
    projected_graduates,
    projected_organizations,
    projected_programs,
)
from assessment.domain.eligibility import Employment
from assessment.domain.model import Framework, Graduate, Organization, Program

T = TypeVar("T")


@dataclass
class ReadAhead:
    """What one unit of work has read ahead; a key present with None was read and not found."""

    organizations: dict[str, Organization | None] = field(default_factory=dict)
    programs: dict[str, Program | None] = field(default_factory=dict)
    graduates: dict[str, Graduate | None] = field(default_factory=dict)
    frameworks: dict[str, Framework | None] = field(default_factory=dict)
    # (employer, graduate) → every employment of the graduate by the employer.
    employments: dict[tuple[str, str], list[Employment]] = field(default_factory=dict)
    # (employer, graduate, period) → its active assessment's id.
    twins: dict[tuple[str, str, int], str | None] = field(default_factory=dict)


# Each table's columns labelled with its prefix: one row holds them all side by side.
_WHOLE = {
    "o": projected_organizations,
    "g": projected_graduates,
    "p": projected_programs,
    "f": frameworks,
}


def _submission_facts() -> Select[Any]:
    o, g, p, f = (_WHOLE[k] for k in "ogpf")
    a, e = assessments, projected_employments
    employer_id = bindparam("employer_id", type_=String)
    graduate_id = bindparam("graduate_id", type_=String)
    # One row even when nothing is found; the employments (usually one) repeat it.
    anchor = select(literal_column("1").label("one")).subquery("anchor")
    joined = (
        anchor.outerjoin(o, o.c.id == employer_id)
        .outerjoin(g, g.c.id == graduate_id)
        .outerjoin(p, p.c.id == g.c.program_id)
        .outerjoin(f, f.c.id == bindparam("framework_id"))
        .outerjoin(
            a,
            and_(
                a.c.employer_id == employer_id,
                a.c.graduate_id == graduate_id,
                a.c.period == bindparam("period"),
                a.c.status == "active",
            ),
        )
        .outerjoin(e, and_(e.c.employer_id == employer_id, e.c.graduate_id == graduate_id))
    )
    columns = [c.label(f"{k}_{c.name}") for k, t in _WHOLE.items() for c in t.c]
    return select(
        *columns,
        a.c.id.label("twin_id"),
        e.c.id.label("e_id"),
        e.c.start_date,
        e.c.end_date,
        e.c.state,
    ).select_from(joined)


_SUBMISSION_FACTS = _submission_facts()


def _made(row: RowMapping, prefix: str, make: Callable[..., T]) -> T | None:
    table: Table = _WHOLE[prefix]
    if row[f"{prefix}_id"] is None:
        return None
    return make(**{c.name: row[f"{prefix}_{c.name}"] for c in table.c})


async def read_submission_ahead(
    session: AsyncSession,
    ahead: ReadAhead,
    *,
    employer_id: str,
    graduate_id: str,
    period: int,
    framework_id: str,
) -> None:
    """The employer, graduate, its program, framework, employments and active twin of one
    submission, in one query, into ``ahead``."""
    result = await session.execute(
        _SUBMISSION_FACTS,
        {
            "employer_id": employer_id,
            "graduate_id": graduate_id,
            "period": period,
            "framework_id": framework_id,
        },
    )
    rows = result.mappings().all()
    first = rows[0]
    ahead.organizations[employer_id] = _made(first, "o", Organization)
    graduate = ahead.graduates[graduate_id] = _made(first, "g", Graduate)
    if graduate is not None:
        ahead.programs[graduate.program_id] = _made(first, "p", Program)
    ahead.frameworks[framework_id] = _made(first, "f", Framework)
    ahead.twins[(employer_id, graduate_id, period)] = first["twin_id"]
    ahead.employments[(employer_id, graduate_id)] = [
        Employment(start_date=r["start_date"], end_date=r["end_date"], state=r["state"])
        for r in rows
        if r["e_id"] is not None
    ]
