"""Read scores: one scope, its history, lists with filters, rankings and alerts — from the
publications, or live (the ministry's view)."""

from dataclasses import asdict, dataclass, replace
from typing import Any

from quality.adapters.repositories import (
    AlertFilter,
    CellReader,
    RankingRow,
    ScoreFilter,
    ScoreReader,
)
from quality.domain.alerts import as_published
from quality.domain.funnel import Unit, funnel
from quality.domain.methodology import from_json
from quality.domain.model import Scope, ScopeKey, StoredScore
from quality.domain.periods import years_of
from quality.domain.ranking import RANK_LEVEL, RANKED_BY, Ranked, rank_figures, ranked_as_stored
from quality.domain.scorecard import interval_stated, successes
from quality.service_layer.comparable import comparable_groups
from quality.service_layer.comparison import compare_cluster
from quality.service_layer.methodology import current_content
from quality.service_layer.scoreboard import compute_scorecards
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.platform.db.keyset import Page
from shared.platform.errors import NotFound

Document = dict[str, Any]


@dataclass(frozen=True)
class View:
    """Which figures a read shows: the live ones (the ministry's alone), those of one
    publication, or (by default) those of the latest publication of each period."""

    live: bool = False
    publication: int | None = None

    def scores(self, uow: AbstractQualityUnitOfWork) -> ScoreReader:
        return uow.scores if self.live else uow.publications.figures(self.publication)

    def cells(self, uow: AbstractQualityUnitOfWork) -> CellReader:
        """The cells analyses are computed from: live, or as released."""
        return uow.cells if self.live else uow.released


LIVE = View(live=True)
PUBLISHED = View()


async def checked(uow: AbstractQualityUnitOfWork, view: View) -> View:
    """``view``, once its publication is known to be published (drafts are read through the
    publication's own figures, by its reviewers)."""
    if view.publication is not None:
        publication = await uow.publications.get(view.publication)
        if publication is None or publication.status != "published":
            raise NotFound("publication", str(view.publication))
    return view


def document(score: StoredScore) -> Document:
    """A stored score as the API shows it, with the rank stored at publication and the
    publication that states it (None for a live figure)."""
    card = score.card
    publication = None
    if score.publication is not None:
        release = "official" if score.publication_kind == "official" else "provisional"
        publication = {"number": score.publication, "release": release}
    return {
        "scope": score.scope,
        "scope_id": score.scope_id,
        "period": score.period,
        "pooled": score.pooled,
        "methodology_version": score.methodology_version,
        "index": card["index"],
        "indicators": card["indicators"],
        "domains": card["domains"],
        "competencies": card["competencies"],
        "rank": score.rank,
        "rank_interval": None if score.rank_low is None else [score.rank_low, score.rank_high],
        "computed_at": score.computed_at,
        "view": "live" if publication is None else "published",
        "publication": publication,
    }


async def one_score(
    uow: AbstractQualityUnitOfWork, view: View, key: ScopeKey, *, period: int, pooled: bool
) -> StoredScore:
    """The score of a scope in ``view``; NotFound when it has none for ``period``."""
    score = await (await checked(uow, view)).scores(uow).get(key, period=period, pooled=pooled)
    if score is None:
        raise NotFound(f"no {period} score for {key[0]}", key[1])
    return score


async def latest_period(uow: AbstractQualityUnitOfWork, view: View, key: ScopeKey) -> int:
    period = await view.scores(uow).latest_period(key)
    if period is None:
        raise NotFound(f"no score yet for {key[0]}", key[1])
    return period


async def scorecard(
    uow: AbstractQualityUnitOfWork,
    view: View,
    key: ScopeKey,
    *,
    period: int | None,
    pooled: bool,
    level: float | None,
) -> Document:
    """A scope's scorecard (the latest period unless one is named) with its rank; with
    ``level``, its intervals recomputed at that level (same counts, same rules)."""
    period = period or await latest_period(uow, await checked(uow, view), key)
    score = await one_score(uow, view, key, period=period, pooled=pooled)
    if level is not None:
        methodology = replace(from_json(await current_content(uow)), interval_level=level)
        cards = await compute_scorecards(
            uow, period=period, pooled=pooled, methodology=methodology, cells=view.cells(uow)
        )
        score = replace(score, card=cards[key].to_json())
    return document(score)


async def history(
    uow: AbstractQualityUnitOfWork, view: View, key: ScopeKey, *, pooled: bool
) -> list[Document]:
    scores = (await checked(uow, view)).scores(uow)
    return [document(score) for score in await scores.history(key, pooled=pooled)]


async def listing(
    uow: AbstractQualityUnitOfWork,
    view: View,
    scope: str,
    *,
    period: int,
    pooled: bool,
    narrowed: ScoreFilter,
    limit: int,
    cursor: str | None,
) -> Page[Document]:
    page = (
        await (await checked(uow, view))
        .scores(uow)
        .page(scope, period=period, pooled=pooled, narrowed=narrowed, limit=limit, cursor=cursor)
    )
    return Page(items=[document(score) for score in page.items], next_cursor=page.next_cursor)


async def rankings(
    uow: AbstractQualityUnitOfWork,
    view: View,
    *,
    scope: Scope,
    period: int,
    pooled: bool,
    level: float,
    region: str | None = None,
    across_groups: bool = False,
) -> list[dict[str, Any]]:
    """Units of ``scope`` ranked by the empirical-Bayes estimate of employer satisfaction,
    within their comparable groups (programs: level and broad field) unless ``across_groups``;
    listed group by group. The ranks stored with the scorecards are listed where they are the
    ones asked for (their level, every unit of the groups, the figures they were drawn from);
    others are drawn on read."""
    scores = (await checked(uow, view)).scores(uow)
    rows = await scores.ranking_rows(scope, period=period, pooled=pooled, region=region)
    groups = {} if across_groups else await comparable_groups(uow)
    grouped: dict[str | None, list[RankingRow]] = {}
    for row in rows:
        grouped.setdefault(groups.get((scope, row.scope_id)), []).append(row)
    as_stored = level == RANK_LEVEL and region is None and not across_groups
    return [
        _ranked_item(r, group)
        for group, members in sorted(grouped.items(), key=lambda item: item[0] or "")
        for r in _ranked(members, as_stored=as_stored, level=level)
    ]


def ranking_key(item: dict[str, Any]) -> list[Any]:
    """Where a ranking lists an item: group by group, by rank, then the units not ranked, each
    by id (the order ``rankings`` gives, unique per item: its pages' cursor)."""
    ranked = item["rank"] is not None
    return [item["group"] or "", 0 if ranked else 1, item["rank"] or 0, item["scope_id"]]


def _ranked(rows: list[RankingRow], *, as_stored: bool, level: float) -> list[Ranked]:
    figures = {row.scope_id: row.figure for row in rows}
    if as_stored:
        stored = ranked_as_stored(figures, {row.scope_id: row.place for row in rows})
        if stored is not None:
            return stored
    return rank_figures(figures, level=level)


def _ranked_item(r: Ranked, group: str | None) -> dict[str, Any]:
    return {
        "scope_id": r.unit_id,
        "group": group,
        "rank": r.rank,
        "rank_interval": None if r.rank_low is None else [r.rank_low, r.rank_high],
        "estimate": r.estimate,
        "share": r.raw_share,
        "n": r.n,
        "reason": r.reason,
    }


async def funnel_of(
    uow: AbstractQualityUnitOfWork,
    view: View,
    *,
    scope: str,
    period: int,
    pooled: bool,
    region: str | None = None,
) -> dict[str, Any]:
    """The funnel plot of the units' employer satisfaction (domain/funnel.py): what the
    dashboard draws, computed here from the published figures."""
    scores = (await checked(uow, view)).scores(uow)
    rows = await scores.ranking_rows(scope, period=period, pooled=pooled, region=region)
    # A share stated only as its interval (all answers in one category) is drawn at 0 or 1.
    units = [
        Unit(row.scope_id, successes(figure) / figure["n"], figure["n"])
        for row in rows
        if interval_stated(figure := row.figure) and figure["n"] > 0
    ]
    drawn = funnel(units)
    if drawn is None:
        return {
            "indicator": RANKED_BY,
            "overall": None,
            "overdispersion": None,
            "inflated": False,
            "points": [],
            "limits": [],
        }
    return {
        "indicator": RANKED_BY,
        "overall": drawn.p0,
        "overdispersion": drawn.phi,
        "inflated": drawn.inflated,
        "points": [
            {
                "scope_id": u.unit_id,
                "n": u.n,
                "value": u.value,
                "position": drawn.positions[u.unit_id],
            }
            for u in units
        ],
        "limits": [asdict(limits) for limits in drawn.limits],
    }


async def published_alerts(
    uow: AbstractQualityUnitOfWork,
    view: View,
    narrowed: AlertFilter,
    *,
    limit: int,
    cursor: str | None,
) -> Page[dict[str, Any]]:
    """A page of alerts, each citing only values its scorecards (in ``view``) still publish."""
    scores = (await checked(uow, view)).scores(uow)
    page = await uow.alerts.page(narrowed, limit=limit, cursor=cursor)
    items = []
    for alert in page.items:
        key = (alert["scope"], alert["scope_id"])
        card = await scores.get(key, period=alert["period"], pooled=False)
        last_year = await scores.get(key, period=alert["period"] - 1, pooled=False)
        detail = as_published(
            alert["kind"],
            alert["detail"],
            card=card.card if card else None,
            last_year=last_year.card if last_year else None,
        )
        items.append({**alert, "detail": detail})
    return Page(items=items, next_cursor=page.next_cursor)


async def comparison(
    uow: AbstractQualityUnitOfWork,
    view: View,
    cluster_id: str,
    *,
    period: int,
    pooled: bool,
    level: float | None,
) -> dict[str, Any]:
    """A cluster's comparison: live (computed now, at ``level`` if given), or as a publication
    states it (at the methodology's level: ``level`` applies to live figures only)."""
    if view.live:
        methodology = from_json(await current_content(uow))
        if level is not None:
            methodology = replace(methodology, interval_level=level)
        own = await uow.scores.get(("cluster", cluster_id), period=period, pooled=pooled)
        return await compare_cluster(
            uow,
            cluster_id,
            years=years_of(period, pooled=pooled),
            methodology=methodology,
            cells=uow.cells,
            own_card=own.card if own else None,
        )
    view = await checked(uow, view)
    number = view.publication
    if number is None:
        latest = await uow.publications.latest(period)
        number = latest.number if latest else None
    stored = None
    if number is not None:
        stored = await uow.publications.comparison(number, cluster_id, pooled=pooled)
    if stored is None:
        raise NotFound(f"published {period} comparison of cluster", cluster_id)
    return stored
