"""Which (program, period) cells changed since scores were last computed.

Marked in the same transaction as the change; the publisher takes them each window, so many
events about one program in one window cost one recomputation and at most one score event.
Every mark bumps ``generation``: the publisher clears only the marks it read, so a change
committed while it computed stays marked for the next window.
"""

from sqlalchemy import Select, and_, delete, or_, select, update

from quality.adapters.tables import cells, dirty_cells, scores
from shared.platform.messaging.unit_of_work import UnitOfWork

Mark = tuple[str, int, int]  # program_id, period, generation


async def mark_dirty(uow: UnitOfWork, *, program_id: str, period: int) -> None:
    where = (dirty_cells.c.program_id == program_id, dirty_cells.c.period == period)
    bumped = await uow.session.execute(
        update(dirty_cells).where(*where).values(generation=dirty_cells.c.generation + 1)
    )
    if bumped.rowcount == 0:
        await uow.session.execute(
            dirty_cells.insert().values(program_id=program_id, period=period, generation=1)
        )


async def mark_programs_dirty(uow: UnitOfWork, cells_query: Select) -> None:
    """Mark every (program_id, period) that ``cells_query`` selects."""
    for program_id, period in (await uow.session.execute(cells_query)).all():
        await mark_dirty(uow, program_id=program_id, period=period)


async def mark_scored(uow: UnitOfWork, programs: Select | None = None) -> None:
    """Mark every period in which ``programs`` (default: all) have a tally or a scorecard."""
    tallied = select(cells.c.program_id, cells.c.period)
    scored = select(scores.c.scope_id, scores.c.period).where(scores.c.scope == "program")
    if programs is not None:
        tallied = tallied.where(cells.c.program_id.in_(programs))
        scored = scored.where(scores.c.scope_id.in_(programs))
    await mark_programs_dirty(uow, tallied.union(scored))


async def take_marks(uow: UnitOfWork) -> list[Mark]:
    result = await uow.session.execute(
        select(dirty_cells.c.program_id, dirty_cells.c.period, dirty_cells.c.generation)
    )
    return [tuple(row) for row in result]  # type: ignore[misc]


async def clear_marks(uow: UnitOfWork, marks: list[Mark]) -> None:
    """Clear the marks read, unless they were bumped since."""
    for start in range(0, len(marks), 200):  # bounded statements
        await uow.session.execute(
            delete(dirty_cells).where(
                or_(
                    *(
                        and_(
                            dirty_cells.c.program_id == program_id,
                            dirty_cells.c.period == period,
                            dirty_cells.c.generation == generation,
                        )
                        for program_id, period, generation in marks[start : start + 200]
                    )
                )
            )
        )
