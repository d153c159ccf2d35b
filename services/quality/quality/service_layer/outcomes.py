"""Employment outcomes and coverage of a scope, counted from the registry projection.

A cohort is the active graduates of one graduation year; graduation is taken as 30 June of that
year (the registry keeps the year only). A graduate is "employed within 12 months" when one of
their employments started by 30 June of the next year and had not ended before graduation;
"in field" when such an employment is marked as in the graduate's field.
"""

from collections import defaultdict
from datetime import date

from sqlalchemy import and_, exists, func, or_, select

from quality.adapters.tables import q_employments, q_graduates
from quality.domain.scorecard import OutcomeCounts
from shared.platform.messaging.unit_of_work import UnitOfWork

# Coverage is measured against the graduates of the last five cohorts: the people employers
# are asked to assess.
COVERAGE_COHORTS = 5


def _employed_within_a_year(cohort: int, *, in_field: bool):  # type: ignore[no-untyped-def]
    conditions = [
        q_employments.c.graduate_id == q_graduates.c.id,
        q_employments.c.start_date <= date(cohort + 1, 6, 30),
        or_(q_employments.c.end_date.is_(None), q_employments.c.end_date >= date(cohort, 6, 30)),
    ]
    if in_field:
        conditions.append(q_employments.c.in_field.is_(True))
    return exists().where(and_(*conditions))


async def cohort_outcomes_by_program(
    uow: UnitOfWork, *, cohorts: range
) -> dict[str, OutcomeCounts]:
    """Program → outcomes of its graduates graduating in any year of ``cohorts``."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for cohort in cohorts:  # each cohort has its own 12-month window
        result = await uow.session.execute(
            select(
                q_graduates.c.program_id,
                func.count(),
                func.count().filter(_employed_within_a_year(cohort, in_field=False)),
                func.count().filter(_employed_within_a_year(cohort, in_field=True)),
            )
            .where(q_graduates.c.graduation_year == cohort, q_graduates.c.active.is_(True))
            .group_by(q_graduates.c.program_id)
        )
        for program_id, *counts in result:
            totals[program_id] = [a + b for a, b in zip(totals[program_id], counts, strict=True)]
    return {
        program_id: OutcomeCounts(graduates=g, employed_12m=e, employed_in_field=f)
        for program_id, (g, e, f) in totals.items()
    }
