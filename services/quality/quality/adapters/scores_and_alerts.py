"""SQL implementations of what is published: the stored scorecards and the alerts."""

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    bindparam,
    delete,
    func,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from quality.adapters.repositories import (
    AlertFilter,
    AlertRepository,
    RankingRow,
    ScoreFilter,
    ScoreReader,
    ScoreRepository,
)
from quality.adapters.scoring_queries import member_during
from quality.adapters.tables import (
    alerts,
    publication_figures,
    publications,
    q_clusters,
    q_memberships,
    q_organizations,
    q_programs,
    scores,
)
from quality.domain.model import Alert, Card, ScopeKey, StoredScore
from quality.domain.ranking import RANKED_BY, UNRANKED, Place
from shared.platform.db.keyset import Page, fetch_page
from shared.platform.db.queries import upsert
from shared.platform.messaging.leadership import lock_id

SCORE_COLUMNS = (
    "scope",
    "scope_id",
    "period",
    "pooled",
    "methodology_version",
    "card",
    "computed_at",
    "rank",
    "rank_low",
    "rank_high",
)


def _in_region(table: Table, scope: str, region: str) -> ColumnElement[bool]:
    """Scores of ``scope`` units located in ``region``."""
    organizations = select(q_organizations.c.id).where(q_organizations.c.region_code == region)
    if scope == "program":
        programs = select(q_programs.c.id).where(q_programs.c.institution_id.in_(organizations))
        return table.c.scope_id.in_(programs)
    if scope == "organization":
        return table.c.scope_id.in_(organizations)
    if scope == "cluster":
        clusters = select(q_clusters.c.id).where(q_clusters.c.region_code == region)
        return table.c.scope_id.in_(clusters)
    return table.c.scope_id == region


def _in_cluster(table: Table, scope: str, cluster_id: str, period: int) -> ColumnElement[bool]:
    members = select(q_memberships.c.organization_id).where(
        q_memberships.c.cluster_id == cluster_id, member_during(period, period)
    )
    if scope == "program":
        programs = select(q_programs.c.id).where(q_programs.c.institution_id.in_(members))
        return table.c.scope_id.in_(programs)
    return table.c.scope_id.in_(members)


def _of_programs(table: Table, *, field: str | None, level: str | None) -> ColumnElement[bool]:
    programs = select(q_programs.c.id)
    if field is not None:
        programs = programs.where(q_programs.c.field_code == field)
    if level is not None:
        programs = programs.where(q_programs.c.level == level)
    return table.c.scope_id.in_(programs)


def _narrowed(table: Table, scope: str, period: int, by: ScoreFilter) -> list[ColumnElement[bool]]:
    filters = []
    if by.region is not None:
        filters.append(_in_region(table, scope, by.region))
    if by.cluster is not None:
        filters.append(_in_cluster(table, scope, by.cluster, period))
    if by.field is not None or by.level is not None:
        filters.append(_of_programs(table, field=by.field, level=by.level))
    return filters


def _of(table: Table, scope: str, *, period: int, pooled: bool) -> list[ColumnElement[bool]]:
    return [table.c.scope == scope, table.c.period == period, table.c.pooled.is_(pooled)]


class _SqlScoreReader(ScoreReader):
    """The read queries over a table of scorecards (``scores`` or ``publication_figures``),
    restricted by ``_restrict`` and selected by ``_select``."""

    def __init__(self, session: AsyncSession, table: Table) -> None:
        self._session = session
        self._table = table

    def _select(self) -> Select[Any]:
        return select(*(self._table.c[name] for name in SCORE_COLUMNS))

    def _restrict(self) -> list[ColumnElement[bool]]:
        return []

    async def _scores(self, *filters: ColumnElement[bool], order: Any = None) -> list[StoredScore]:
        statement = self._select().where(*self._restrict(), *filters)
        if order is not None:
            statement = statement.order_by(order)
        rows = (await self._session.execute(statement)).mappings()
        return [StoredScore(**row) for row in rows]

    async def get(self, key: ScopeKey, *, period: int, pooled: bool) -> StoredScore | None:
        found = await self._scores(
            *_of(self._table, key[0], period=period, pooled=pooled),
            self._table.c.scope_id == key[1],
        )
        return found[0] if found else None

    async def latest_period(self, key: ScopeKey) -> int | None:
        table = self._table
        period: int | None = await self._session.scalar(
            select(func.max(table.c.period)).where(
                *self._restrict(), table.c.scope == key[0], table.c.scope_id == key[1]
            )
        )
        return period

    async def history(self, key: ScopeKey, *, pooled: bool) -> list[StoredScore]:
        table = self._table
        return await self._scores(
            table.c.scope == key[0],
            table.c.scope_id == key[1],
            table.c.pooled.is_(pooled),
            order=table.c.period,
        )

    async def of_scope(
        self, scope: str, *, period: int, pooled: bool, region: str | None = None
    ) -> list[StoredScore]:
        filters = _of(self._table, scope, period=period, pooled=pooled)
        if region is not None:
            filters.append(_in_region(self._table, scope, region))
        return await self._scores(*filters)

    async def ranking_rows(
        self, scope: str, *, period: int, pooled: bool, region: str | None = None
    ) -> list[RankingRow]:
        table = self._table
        filters = _of(table, scope, period=period, pooled=pooled)
        if region is not None:
            filters.append(_in_region(table, scope, region))
        # The figure extracted by the database (JSON_EXTRACT, #>): decoding whole scorecards
        # was most of a ranking read's time.
        figure = table.c.card[("indicators", RANKED_BY)]
        rows = await self._session.execute(
            select(
                table.c.scope_id, figure, table.c.rank, table.c.rank_low, table.c.rank_high
            ).where(*self._restrict(), *filters)
        )
        return [
            RankingRow(scope_id, figure, Place(rank, low, high))
            for scope_id, figure, rank, low, high in rows
        ]

    async def page(
        self,
        scope: str,
        *,
        period: int,
        pooled: bool,
        narrowed: ScoreFilter,
        limit: int,
        cursor: str | None,
    ) -> Page[StoredScore]:
        filters = [
            *self._restrict(),
            *_of(self._table, scope, period=period, pooled=pooled),
            *_narrowed(self._table, scope, period, narrowed),
        ]
        # One scope and period: the scope id alone orders and identifies the rows.
        page = await fetch_page(
            self._session,
            self._table,
            filters=filters,
            limit=limit,
            cursor=cursor,
            statement=self._select(),
            key=self._table.c.scope_id,
        )
        return Page(items=[StoredScore(**row) for row in page.items], next_cursor=page.next_cursor)


class SqlPublishedScores(_SqlScoreReader):
    """The scorecards of one publication, or of the latest published one of each period."""

    def __init__(self, session: AsyncSession, number: int | None = None) -> None:
        super().__init__(session, publication_figures)
        self._number = number

    def _select(self) -> Select[Any]:
        figures = publication_figures
        return (
            select(
                *(figures.c[name] for name in SCORE_COLUMNS),
                figures.c.publication,
                publications.c.kind.label("publication_kind"),
            )
            .select_from(figures)
            .join(publications, publications.c.number == figures.c.publication)
        )

    def _restrict(self) -> list[ColumnElement[bool]]:
        if self._number is not None:
            return [publication_figures.c.publication == self._number]
        latest = (
            select(func.max(publications.c.number))
            .where(publications.c.status == "published")
            .group_by(publications.c.period)
        )
        return [publication_figures.c.publication.in_(latest)]


class SqlScoreRepository(_SqlScoreReader, ScoreRepository):
    def __init__(self, session: AsyncSession) -> None:
        super().__init__(session, scores)

    async def cards(self, *, period: int, pooled: bool) -> dict[ScopeKey, Card]:
        result = await self._session.execute(
            select(scores.c.scope, scores.c.scope_id, scores.c.card).where(
                scores.c.period == period, scores.c.pooled.is_(pooled)
            )
        )
        return {(scope, scope_id): card for scope, scope_id, card in result}

    async def save(self, score: StoredScore) -> None:
        await upsert(
            self._session,
            scores,
            {
                "scope": score.scope,
                "scope_id": score.scope_id,
                "period": score.period,
                "pooled": score.pooled,
                "methodology_version": score.methodology_version,
                "card": score.card,
                "computed_at": score.computed_at,
            },
        )

    async def delete(self, key: ScopeKey, *, period: int, pooled: bool) -> None:
        await self._session.execute(
            delete(scores).where(
                *_of(scores, key[0], period=period, pooled=pooled), scores.c.scope_id == key[1]
            )
        )

    async def save_ranks(
        self,
        scope: str,
        *,
        period: int,
        pooled: bool,
        ranks: Mapping[str, Place],
        units: Collection[str] | None = None,
    ) -> None:
        of_scope = _of(scores, scope, period=period, pooled=pooled)
        c = scores.c
        of_units = [] if units is None else [c.scope_id.in_(units)]
        stored = await self._session.execute(
            select(c.scope_id, c.rank, c.rank_low, c.rank_high).where(*of_scope, *of_units)
        )
        changed = []
        for scope_id, *now in stored:
            place = ranks.get(scope_id, UNRANKED)
            if [place.rank, place.low, place.high] != now:
                changed.append(
                    {"unit": scope_id, "r": place.rank, "lo": place.low, "hi": place.high}
                )
        if changed:  # only the ranks that moved: one batched statement
            await self._session.execute(
                update(scores)
                .where(*of_scope, c.scope_id == bindparam("unit"))
                .values(rank=bindparam("r"), rank_low=bindparam("lo"), rank_high=bindparam("hi")),
                changed,
            )

    async def periods(self) -> list[int]:
        return list(await self._session.scalars(select(scores.c.period).distinct()))

    async def written(self, *, period: int, pooled: bool) -> tuple[int, str]:
        count, latest = (
            await self._session.execute(
                select(func.count(), func.max(scores.c.computed_at)).where(
                    scores.c.period == period, scores.c.pooled.is_(pooled)
                )
            )
        ).one()
        return count, "" if latest is None else latest.isoformat()

    async def claim_publication(self) -> bool:
        # SQLite serialises writers already; PostgreSQL takes a transaction-scoped advisory lock.
        if self._session.get_bind().dialect.name == "sqlite":
            return True
        return bool(
            await self._session.scalar(
                text("SELECT pg_try_advisory_xact_lock(:key)"),
                {"key": lock_id("quality-publisher")},
            )
        )

    async def hold_publication(self) -> None:
        if self._session.get_bind().dialect.name == "sqlite":
            return
        await self._session.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_id("quality-publisher")}
        )


class SqlAlertRepository(AlertRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, alert: Alert) -> None:
        await self._session.execute(
            alerts.insert().values(
                id=alert.id,
                scope=alert.scope,
                scope_id=alert.scope_id,
                period=alert.period,
                kind=alert.kind,
                detail=alert.detail,
                raised_at=alert.raised_at,
            )
        )

    async def details(self, key: ScopeKey, *, period: int, kind: str) -> list[dict[str, Any]]:
        result = await self._session.execute(
            select(alerts.c.detail).where(
                alerts.c.scope == key[0],
                alerts.c.scope_id == key[1],
                alerts.c.period == period,
                alerts.c.kind == kind,
            )
        )
        return [detail for (detail,) in result]

    async def page(
        self, narrowed: AlertFilter, *, limit: int, cursor: str | None
    ) -> Page[dict[str, Any]]:
        filters = [
            column == value
            for column, value in (
                (alerts.c.scope, narrowed.scope),
                (alerts.c.scope_id, narrowed.scope_id),
                (alerts.c.period, narrowed.period),
                (alerts.c.kind, narrowed.kind),
            )
            if value is not None
        ]
        return await fetch_page(self._session, alerts, filters=filters, limit=limit, cursor=cursor)
