"""The graduate and employment rows of the registry projection, staged in memory for the
batched replay (service_layer/replay.py), as staged_rows.py stages an assessment's rows.

``StagedProjection`` answers what ``registry_events.graduate_changed`` and
``employment_changed`` call (``cohort_of``, ``save_graduate``, ``save_employment``) with
SqlRegistryProjection's row semantics: a saved row keeps the columns its table has and
overwrites those columns of the row with its id (the columns it does not name stay as they
were); ``cohort_of`` reads the graduate as last saved. The rows are written back in one
multi-row upsert a table (``flush``). Any other call raises ``NotStaged``.
"""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from quality.adapters.repositories import RegistryProjectionRepository, Row
from quality.adapters.staged_rows import chunks, not_staged
from quality.adapters.tables import q_employments, q_graduates
from shared.platform.db.queries import upsert_many

Cohort = tuple[str, int]  # (program id, graduation year)


class StagedProjection(RegistryProjectionRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._cohorts: dict[str, Cohort | None] = {}  # graduate id → cohort; None: not stored
        self._saved: dict[Table, dict[str, Row]] = {q_graduates: {}, q_employments: {}}

    async def load(self, graduate_ids: Iterable[str]) -> None:
        """Read the cohorts of ``graduate_ids`` not known yet."""
        missing = {g for g in graduate_ids if g not in self._cohorts}
        self._cohorts.update(dict.fromkeys(missing))
        g = q_graduates.c
        for chunk in chunks(missing):
            query = select(g.id, g.program_id, g.graduation_year).where(g.id.in_(chunk))
            for graduate_id, program_id, year in await self._session.execute(query):
                self._cohorts[graduate_id] = program_id, year

    async def cohort_of(self, graduate_id: str) -> Cohort | None:
        if graduate_id not in self._cohorts:
            await self.load([graduate_id])
        return self._cohorts[graduate_id]

    async def save_graduate(self, row: Row) -> None:
        saved = self._save(q_graduates, row)
        self._cohorts[saved["id"]] = saved["program_id"], saved["graduation_year"]

    async def save_employment(self, row: Row) -> None:
        self._save(q_employments, row)

    def _save(self, table: Table, row: Row) -> Row:
        """Keep the table's columns of ``row`` over what the run saved of its id before, as
        upserting each in turn would leave them."""
        kept = {k: v for k, v in row.items() if k in table.c}
        saved = self._saved[table]
        saved[kept["id"]] = {**saved.get(kept["id"], {}), **kept}
        return saved[kept["id"]]

    async def flush(self) -> None:
        for table, saved in self._saved.items():
            # Rows naming the same columns go in one statement (upsert_many sets those).
            by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for key in sorted(saved):
                by_columns.setdefault(tuple(sorted(saved[key])), []).append(saved[key])
            for rows in by_columns.values():
                await upsert_many(self._session, table, rows)
            saved.clear()

    save_organization = save_cluster = save_membership = save_program = not_staged
    programs_of = programs_of_cohort = program_kinds = cluster = census_jobs = not_staged
    employers = members_on = clusters_in = not_staged
