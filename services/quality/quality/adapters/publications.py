"""SQL implementations of the publication side: the release backlog and the publications."""

from collections.abc import Collection, Mapping
from dataclasses import asdict
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from quality.adapters.repositories import (
    PublicationRepository,
    ReleaseBacklogRepository,
    Row,
    ScoreReader,
)
from quality.adapters.scores_and_alerts import SqlPublishedScores
from quality.adapters.tables import (
    publication_cells,
    publication_comparisons,
    publication_figures,
    publication_flows,
    publication_intensity,
    publication_queries,
    publication_structures,
    publications,
    unreleased_changes,
)
from quality.domain.model import (
    Card,
    Families,
    StoredScore,
    families_from_json,
    families_to_json,
)
from quality.domain.publication import (
    CellKey,
    FigureKey,
    FigureQuery,
    Kind,
    PendingChanges,
    Publication,
    ReleasedCell,
)
from shared.platform.db.keyset import Page, fetch_page
from shared.platform.db.queries import upsert


class SqlReleaseBacklogRepository(ReleaseBacklogRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(
        self, *, program_id: str, period: int, assessment_id: str, employer_id: str
    ) -> None:
        await upsert(
            self._session,
            unreleased_changes,
            {
                "program_id": program_id,
                "period": period,
                "assessment_id": assessment_id,
                "employer_id": employer_id,
            },
        )

    async def pending(self, years: range | None = None) -> dict[CellKey, PendingChanges]:
        t = unreleased_changes
        statement = select(t.c.program_id, t.c.period, t.c.assessment_id, t.c.employer_id)
        if years is not None:
            statement = statement.where(t.c.period.between(years[0], years[-1]))
        assessments: dict[CellKey, set[str]] = {}
        employers: dict[CellKey, set[str]] = {}
        for program_id, period, assessment_id, employer_id in await self._session.execute(
            statement
        ):
            assessments.setdefault((program_id, period), set()).add(assessment_id)
            employers.setdefault((program_id, period), set()).add(employer_id)
        return {
            cell: PendingChanges(frozenset(ids), frozenset(employers[cell]))
            for cell, ids in assessments.items()
        }

    async def clear(self, cell: CellKey, assessment_ids: Collection[str]) -> None:
        t = unreleased_changes
        await self._session.execute(
            delete(t).where(
                t.c.program_id == cell[0],
                t.c.period == cell[1],
                t.c.assessment_id.in_(list(assessment_ids)),
            )
        )


def _publication(row: Any) -> Publication:
    return Publication(**row)


def _query(row: Any) -> FigureQuery:
    return FigureQuery(**row)


class SqlPublicationRepository(PublicationRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def next_number(self) -> int:
        highest = await self._session.scalar(select(func.max(publications.c.number)))
        return (highest or 0) + 1

    async def add(self, publication: Publication) -> None:
        await self._session.execute(publications.insert().values(**_columns(publication)))

    async def update(self, publication: Publication) -> None:
        await self._session.execute(
            update(publications)
            .where(publications.c.number == publication.number)
            .values(**_columns(publication))
        )

    async def get(self, number: int) -> Publication | None:
        row = (
            (
                await self._session.execute(
                    select(publications).where(publications.c.number == number)
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else _publication(row)

    async def draft_of(self, period: int) -> Publication | None:
        row = (
            (
                await self._session.execute(
                    select(publications).where(
                        publications.c.period == period,
                        publications.c.kind == "official",
                        publications.c.status == "draft",
                    )
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else _publication(row)

    async def latest(
        self, period: int, *, kind: Kind | None = None, before: int | None = None
    ) -> Publication | None:
        statement = select(publications).where(
            publications.c.period == period, publications.c.status == "published"
        )
        if kind is not None:
            statement = statement.where(publications.c.kind == kind)
        if before is not None:
            statement = statement.where(publications.c.number < before)
        statement = statement.order_by(publications.c.number.desc()).limit(1)
        row = (await self._session.execute(statement)).mappings().first()
        return None if row is None else _publication(row)

    async def page(
        self, *, period: int | None, with_drafts: bool, limit: int, cursor: str | None
    ) -> Page[Publication]:
        filters = []
        if period is not None:
            filters.append(publications.c.period == period)
        if not with_drafts:
            filters.append(publications.c.status == "published")
        page = await fetch_page(
            self._session,
            publications,
            filters=filters,
            limit=limit,
            cursor=cursor,
            key_type=int,
            descending=True,
        )
        return Page(items=[_publication(r) for r in page.items], next_cursor=page.next_cursor)

    async def periods(self) -> list[int]:
        published = select(publications.c.period).where(publications.c.status == "published")
        return list(await self._session.scalars(published.distinct()))

    async def published(self) -> list[Publication]:
        statement = (
            select(publications)
            .where(publications.c.status == "published")
            .order_by(publications.c.number)
        )
        return [_publication(r) for r in (await self._session.execute(statement)).mappings()]

    async def release_history(self) -> dict[CellKey, list[int]]:
        c = publication_cells
        statement = (
            select(c.c.program_id, c.c.period, c.c.publication)
            .join(publications, publications.c.number == c.c.publication)
            .where(publications.c.status == "published")
            .order_by(c.c.publication)
        )
        history: dict[CellKey, list[int]] = {}
        for program_id, period, number in await self._session.execute(statement):
            history.setdefault((program_id, period), []).append(number)
        return history

    async def cell_states(self, upto: int) -> dict[CellKey, dict[str, Any]]:
        c = publication_cells
        statement = (
            select(c.c.program_id, c.c.period, c.c.tally)
            .join(publications, publications.c.number == c.c.publication)
            .where(publications.c.status == "published", c.c.publication <= upto)
            .order_by(c.c.publication)
        )
        return {
            (program_id, period): tally  # later releases overwrite earlier ones
            for program_id, period, tally in await self._session.execute(statement)
        }

    async def save_figures(self, number: int, figures: list[StoredScore]) -> None:
        if figures:
            await self._session.execute(
                publication_figures.insert(),
                [
                    {
                        "publication": number,
                        "scope": f.scope,
                        "scope_id": f.scope_id,
                        "period": f.period,
                        "pooled": f.pooled,
                        "methodology_version": f.methodology_version,
                        "card": f.card,
                        "computed_at": f.computed_at,
                        "rank": f.rank,
                        "rank_low": f.rank_low,
                        "rank_high": f.rank_high,
                    }
                    for f in figures
                ],
            )

    async def cards(self, number: int) -> dict[FigureKey, Card]:
        f = publication_figures
        result = await self._session.execute(
            select(f.c.scope, f.c.scope_id, f.c.pooled, f.c.card).where(f.c.publication == number)
        )
        return {((scope, scope_id), bool(pooled)): card for scope, scope_id, pooled, card in result}

    def figures(self, number: int | None = None) -> ScoreReader:
        return SqlPublishedScores(self._session, number)

    async def save_comparisons(
        self, number: int, comparisons: Mapping[tuple[str, bool], dict[str, Any]]
    ) -> None:
        if comparisons:
            await self._session.execute(
                publication_comparisons.insert(),
                [
                    {"publication": number, "cluster_id": c, "pooled": pooled, "content": doc}
                    for (c, pooled), doc in comparisons.items()
                ],
            )

    async def comparison(self, number: int, cluster_id: str, *, pooled: bool) -> Row | None:
        t = publication_comparisons
        content: Row | None = await self._session.scalar(
            select(t.c.content).where(
                t.c.publication == number, t.c.cluster_id == cluster_id, t.c.pooled.is_(pooled)
            )
        )
        return content

    async def save_flows(self, number: int, flows: Mapping[tuple[str, str], Row]) -> None:
        if flows:
            await self._session.execute(
                publication_flows.insert(),
                [
                    {"publication": number, "scope": scope, "scope_id": scope_id, "content": doc}
                    for (scope, scope_id), doc in flows.items()
                ],
            )

    async def flows(self, number: int) -> dict[tuple[str, str], Row]:
        t = publication_flows
        rows = await self._session.execute(
            select(t.c.scope, t.c.scope_id, t.c.content).where(t.c.publication == number)
        )
        return {(scope, scope_id): content for scope, scope_id, content in rows}

    async def flow(self, number: int, scope: str, scope_id: str) -> Row | None:
        t = publication_flows
        content: Row | None = await self._session.scalar(
            select(t.c.content).where(
                t.c.publication == number, t.c.scope == scope, t.c.scope_id == scope_id
            )
        )
        return content

    async def save_intensity(self, number: int, intensity: Mapping[str, Row]) -> None:
        if intensity:
            await self._session.execute(
                publication_intensity.insert(),
                [
                    {"publication": number, "cluster_id": cluster_id, "content": doc}
                    for cluster_id, doc in intensity.items()
                ],
            )

    async def intensity(self, number: int, cluster_id: str) -> Row | None:
        t = publication_intensity
        content: Row | None = await self._session.scalar(
            select(t.c.content).where(t.c.publication == number, t.c.cluster_id == cluster_id)
        )
        return content

    async def save_structure(self, number: int, structure: Mapping[bool, Families]) -> None:
        await self._session.execute(
            publication_structures.insert(),
            [
                {"publication": number, "pooled": pooled, "families": families_to_json(families)}
                for pooled, families in structure.items()
            ],
        )

    async def structure(self, number: int) -> dict[bool, Families] | None:
        t = publication_structures
        rows = await self._session.execute(
            select(t.c.pooled, t.c.families).where(t.c.publication == number)
        )
        stored = {pooled: families_from_json(families) for pooled, families in rows}
        return stored or None

    async def save_cells(self, number: int, cells: list[ReleasedCell]) -> None:
        if cells:
            await self._session.execute(
                publication_cells.insert(),
                [
                    {
                        "publication": number,
                        "program_id": c.program_id,
                        "period": c.period,
                        "tally": c.tally,
                        "changes": sorted(c.changes),
                    }
                    for c in cells
                ],
            )

    async def cells(self, number: int) -> list[ReleasedCell]:
        c = publication_cells
        result = await self._session.execute(
            select(c.c.program_id, c.c.period, c.c.tally, c.c.changes).where(
                c.c.publication == number
            )
        )
        return [
            ReleasedCell(program_id, period, tally, frozenset(changes))
            for program_id, period, tally, changes in result
        ]

    async def add_query(self, query: FigureQuery) -> None:
        await self._session.execute(publication_queries.insert().values(**asdict(query)))

    async def get_query(self, number: int, query_id: str) -> FigureQuery | None:
        q = publication_queries
        row = (
            (
                await self._session.execute(
                    select(q).where(q.c.publication == number, q.c.id == query_id)
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else _query(row)

    async def answer_query(self, query: FigureQuery) -> None:
        q = publication_queries
        await self._session.execute(
            update(q)
            .where(q.c.id == query.id)
            .values(answer=query.answer, answered_at=query.answered_at)
        )

    async def queries(self, number: int, *, raised_by: str | None = None) -> list[FigureQuery]:
        q = publication_queries
        statement = select(q).where(q.c.publication == number)
        if raised_by is not None:
            statement = statement.where(q.c.raised_by == raised_by)
        rows = await self._session.execute(statement.order_by(q.c.raised_at, q.c.id))
        return [_query(row) for row in rows.mappings()]


def _columns(publication: Publication) -> dict[str, Any]:
    return asdict(publication)
