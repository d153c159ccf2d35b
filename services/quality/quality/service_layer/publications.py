"""Publications: open one (an official draft, or an interim publication published at once),
review it, publish it, and publish interim ones on a cadence (docs/publication.md).

A publication of period P releases the cells of year P whose waiting changes are a large enough
batch (domain/publication.py), scores every scope of P and of the pool ending in P from the
released cells, and stores those scorecards, never to change, with the graduate flows of the
cohort P − 1 once its census window has closed (service_layer/flows.py: computed by the first
such publication of P, carried by the later ones). Publishing it makes its cells the
released ones and announces it: one score.published per scope and scorecard, then
release.published (or release.restated), and the alerts its yearly scorecards raise.
"""

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from quality import events
from quality.adapters.repositories import CellReader, CellRepository, Row
from quality.domain.access import ensure_may_publish, ensure_may_query, ensure_may_review
from quality.domain.alerts import benjamini_hochberg, drop_p_value
from quality.domain.cells import ScopeTally
from quality.domain.index import Methodology
from quality.domain.methodology import from_json
from quality.domain.model import Families, ScopeKey, StoredScore
from quality.domain.periods import years_of
from quality.domain.publication import (
    CellKey,
    FigureQuery,
    Kind,
    Publication,
    ReleasedCell,
    changed_figures,
    ensure_figure,
    ensure_may_open_release,
    releasable,
    suppressed_count,
)
from quality.domain.ranking import UNRANKED, ranks_by_scope
from quality.domain.scorecard import rounded_card
from quality.service_layer import publication_integrity
from quality.service_layer.alerts import raise_alerts
from quality.service_layer.comparable import comparable_groups
from quality.service_layer.comparison import (
    EXPOSES,
    comparison_of,
    comparison_programs,
    rounded_comparison,
    withheld,
)
from quality.service_layer.flows import flows_due, publication_flows
from quality.service_layer.intensity_publication import publication_intensity
from quality.service_layer.methodology import current_content
from quality.service_layer.publication_audit import (
    Audited,
    audit_publication,
    exposing,
    structures_of,
)
from quality.service_layer.scoreboard import Scoreboard, compute_scoreboard
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.platform.auth import Identity
from shared.platform.db.queries import now
from shared.platform.errors import Conflict, NotFound
from shared.platform.ids import new_id
from shared.platform.messaging.inbox_apply import is_outage

log = logging.getLogger(__name__)

UowFactory = Callable[[], AbstractQualityUnitOfWork]

# How soon an interim round retries while the live scoring window holds the publisher lock.
_LOCK_RETRY_S = 2.0


class CellsWithRelease(CellReader):
    """The released cells, with the cells a publication releases in their new state; each range
    of years read once (the scoreboards, the audit and every cluster's comparison read the same
    cells, which do not change while a publication is computed)."""

    def __init__(self, released: CellRepository, releasing: Mapping[CellKey, ScopeTally]) -> None:
        self._released = released
        self._releasing = releasing
        self._read: dict[range, dict[CellKey, ScopeTally]] = {}

    async def in_years(self, years: range) -> dict[CellKey, ScopeTally]:
        if years not in self._read:
            cells = await self._released.in_years(years)
            cells.update({key: t for key, t in self._releasing.items() if key[1] in years})
            self._read[years] = cells
        return dict(self._read[years])  # the caller's to change

    async def by_program(
        self, years: range, programs: Collection[str] | None = None
    ) -> dict[str, ScopeTally]:
        grouped: dict[str, list[ScopeTally]] = defaultdict(list)
        for (program_id, _), tally in (await self.in_years(years)).items():
            if programs is None or program_id in programs:
                grouped[program_id].append(tally)
        return {program_id: ScopeTally.combine(ts) for program_id, ts in grouped.items()}

    async def combined(self, program_ids: Collection[str], years: range) -> ScopeTally:
        wanted = set(program_ids)
        cells = await self.in_years(years)
        return ScopeTally.combine(t for (program_id, _), t in cells.items() if program_id in wanted)


@dataclass(frozen=True)
class _Computed:
    """A publication computed and audited, not yet stored (``_store`` writes it)."""

    publication: Publication
    figures: list[StoredScore]
    comparisons: Mapping[tuple[str, bool], dict[str, Any]]
    flows: Mapping[tuple[str, str], Row]
    intensity: Mapping[str, Row]
    families: Mapping[bool, Families]
    cells: list[ReleasedCell]


async def _compute(
    uow: AbstractQualityUnitOfWork,
    *,
    period: int,
    kind: Kind,
    review_s: float = 0.0,
    restates: int | None = None,
    reason: str | None = None,
) -> _Computed:
    """Compute and audit a draft of ``period``'s publication, reading only: it takes the next
    publication number, which ``_store`` checks is still free."""
    methodology = from_json(await current_content(uow))
    pending = await uow.backlog.pending(range(period, period + 1))
    releasing = {
        cell: await uow.cells.get(*cell) or ScopeTally()
        for cell in sorted(releasable(pending, methodology.thresholds))
    }
    cells = CellsWithRelease(uow.released, releasing)
    number = await uow.publications.next_number()
    computed_at = now()
    # A whole period is computed here: each stage is logged, so a long one shows its progress.
    progress = {"publication": number, "period": period}
    log.info("publication: computing the year and its pool", extra=progress)
    boards = {
        pooled: await compute_scoreboard(
            uow, period=period, pooled=pooled, methodology=methodology, cells=cells
        )
        for pooled in (False, True)
    }
    scopes = sum(len(board.cards) for board in boards.values())
    log.info("publication: auditing", extra={**progress, "scorecards": scopes})
    structures = await structures_of(uow, methodology, await uow.publications.published())
    audited = await audit_publication(
        uow,
        number=number,
        period=period,
        boards=boards,
        structures=structures,
        releasing=set(releasing),
        cells=cells,
        methodology=methodology,
    )
    comparisons = await _comparisons(
        uow,
        number=number,
        period=period,
        boards=boards,
        cells=cells,
        audited=audited,
        methodology=methodology,
    )
    flows, flow_summary = await publication_flows(
        uow, number=number, period=period, methodology=methodology, made_at=computed_at
    )
    intensity, intensity_summary = await publication_intensity(
        uow, period=period, methodology=methodology
    )
    figures: list[StoredScore] = []
    groups = await comparable_groups(uow)
    for pooled, board in boards.items():
        # Ranked as stated (rounded), so a rank stored here is the one the rankings endpoint
        # gives for the publication's figures.
        stated = {
            key: rounded_card(card.to_json(), methodology.rounding)
            for key, card in board.cards.items()
        }
        ranks = ranks_by_scope(stated, groups)
        figures += [
            StoredScore(
                scope=key[0],
                scope_id=key[1],
                period=period,
                pooled=pooled,
                methodology_version=methodology.version,
                card=card,
                computed_at=computed_at,
                rank=ranks.get(key, UNRANKED).rank,
                rank_low=ranks.get(key, UNRANKED).low,
                rank_high=ranks.get(key, UNRANKED).high,
            )
            for key, card in sorted(stated.items())
        ]
    publication = Publication(
        number=number,
        period=period,
        kind=kind,
        status="draft",
        methodology_version=methodology.version,
        created_at=computed_at,
        review_until=computed_at + timedelta(seconds=review_s) if kind == "official" else None,
        restates=restates,
        reason=reason,
        summary={
            "figures": len(figures),
            "suppressed_cells": suppressed_count({(f.key, f.pooled): f.card for f in figures}),
            "released_cells": len(releasing),
            "held_back_cells": len(pending) - len(releasing),
            "audit": {
                "rule": "each released cell takes in at least min_batch changed assessments "
                "from at least min_employers employers; hidden employer satisfaction audited "
                "against every publication",
                "min_batch": max(
                    methodology.thresholds.min_share_n, methodology.thresholds.min_mean_n
                ),
                "min_employers": methodology.thresholds.min_employers,
                **audited.summary,
                "comparisons_withheld": sum(
                    1 for c in comparisons.values() if c["difference"]["reason"] == EXPOSES
                ),
            },
            "integrity": await publication_integrity.summary(uow, period),
            "flows": flow_summary,
            "intensity": intensity_summary,
        },
    )
    return _Computed(
        publication=publication,
        figures=figures,
        comparisons=comparisons,
        flows=flows,
        intensity=intensity,
        families={pooled: board.families for pooled, board in boards.items()},
        cells=[
            ReleasedCell(cell[0], cell[1], tally.to_json(), pending[cell].assessments)
            for cell, tally in releasing.items()
        ],
    )


async def _store(uow: AbstractQualityUnitOfWork, computed: _Computed) -> Publication:
    """Store a computed draft under its number."""
    number = computed.publication.number
    await uow.publications.add(computed.publication)
    await uow.publications.save_figures(number, computed.figures)
    await uow.publications.save_comparisons(number, computed.comparisons)
    await uow.publications.save_flows(number, computed.flows)
    await uow.publications.save_intensity(number, computed.intensity)
    await uow.publications.save_structure(number, computed.families)
    await uow.publications.save_cells(number, computed.cells)
    return computed.publication


async def _comparisons(
    uow: AbstractQualityUnitOfWork,
    *,
    number: int,
    period: int,
    boards: Mapping[bool, Scoreboard],
    cells: CellsWithRelease,
    audited: Audited,
    methodology: Methodology,
) -> dict[tuple[str, bool], dict[str, Any]]:
    """Every cluster's comparison with comparable non-members, as the publication states it:
    withheld where its two groups, added to the publication's figures, would reveal a hidden
    one (the members and non-members together form one more grouping of the region)."""
    comparisons: dict[tuple[str, bool], dict[str, Any]] = {}
    for pooled, board in boards.items():
        years = years_of(period, pooled=pooled)
        for key, card in sorted(board.cards.items()):
            if key[0] != "cluster":
                continue
            own = rounded_card(card.to_json(), methodology.rounding)
            cluster, members, others = await comparison_programs(uow, key[1], years=years)
            comparison = await comparison_of(
                cluster,
                members,
                others,
                years=years,
                methodology=methodology,
                cells=cells,
                own_card=own,
            )
            comparison = rounded_comparison(comparison, methodology.rounding)
            groups = [(comparison["members"], members), (comparison["non_members"], others)]
            half_width = methodology.rounding.share_half_width()
            if await exposing(audited, groups, years=years, number=number, half_width=half_width):
                comparison = withheld(comparison, EXPOSES)
            comparisons[(key[1], pooled)] = comparison
    return comparisons


async def _publish(uow: AbstractQualityUnitOfWork, draft: Publication) -> Publication:
    """Make a draft's cells the released ones, store it as published and announce it."""
    for cell in await uow.publications.cells(draft.number):
        tally = ScopeTally.from_json(cell.tally)
        await uow.released.save(tally, program_id=cell.program_id, period=cell.period)
        await uow.backlog.clear((cell.program_id, cell.period), cell.changes)
    previous = await uow.publications.latest(draft.period, before=draft.number)
    published = replace(draft, status="published", published_at=now())
    await uow.publications.update(published)
    cards = await uow.publications.cards(draft.number)
    for (key, pooled), card in sorted(cards.items()):
        uow.publish(events.score_published(published, key, pooled=pooled, card=card))
    if published.restates is not None:
        restated = await uow.publications.cards(published.restates)
        uow.publish(events.release_restated(published, changed=changed_figures(restated, cards)))
    else:
        uow.publish(events.release_published(published))
    await _raise_alerts(uow, published, cards, previous)
    log.info(
        "publication made",
        extra={"publication": published.number, "period": published.period, **published.summary},
    )
    return published


async def _raise_alerts(
    uow: AbstractQualityUnitOfWork,
    publication: Publication,
    cards: Mapping[tuple[ScopeKey, bool], dict[str, object]],
    previous: Publication | None,
) -> None:
    before = await uow.publications.cards(previous.number) if previous else {}
    last = await uow.publications.latest(publication.period - 1)
    last_year = await uow.publications.cards(last.number) if last else {}
    content = await current_content(uow)
    threshold, level = float(content["alert_index_below"]), float(content["interval_level"])
    # Which drops survive false-discovery-rate control across every unit of the publication.
    drops = {
        key: p
        for (key, pooled), card in cards.items()
        if not pooled and (p := drop_p_value(card, last_year.get((key, False)))) is not None
    }
    significant = benjamini_hochberg(drops, q=1 - level)
    for (key, pooled), card in sorted(cards.items()):
        if pooled or before.get((key, False)) == card:
            continue
        await raise_alerts(
            uow,
            key,
            period=publication.period,
            card=card,
            before=before.get((key, False)),
            last_year=last_year.get((key, False)),
            threshold=threshold,
            level=level,
            drop_survives=key in significant,
        )


async def open_release(
    uow_factory: UowFactory,
    read_uow_factory: UowFactory,
    identity: Identity,
    *,
    period: int,
    kind: Kind,
    restate: bool,
    reason: str | None,
    review_s: float,
) -> Publication:
    """The ministry opens an official release of ``period`` (a draft under review), or makes an
    interim publication at once. It is computed and audited reading only
    (``read_uow_factory``), then stored (and an interim one published) in a short write
    transaction that checks again that it may be: the writers are not held up meanwhile."""
    ensure_may_publish(identity)
    async with read_uow_factory() as uow:
        restates = await _may_open(uow, period=period, kind=kind, restate=restate, reason=reason)
        computed = await _compute(
            uow, period=period, kind=kind, review_s=review_s, restates=restates, reason=reason
        )
    async with uow_factory() as uow:
        await uow.scores.hold_publication()  # one store at a time: the number check holds
        await _may_open(uow, period=period, kind=kind, restate=restate, reason=reason)
        if await uow.publications.next_number() != computed.publication.number:
            raise Conflict(
                f"another publication was made while publication {computed.publication.number} "
                "was computed: open it again"
            )
        publication = await _store(uow, computed)
        if kind == "interim":
            publication = await _publish(uow, publication)
        await uow.commit()
    return publication


async def _may_open(
    uow: AbstractQualityUnitOfWork, *, period: int, kind: Kind, restate: bool, reason: str | None
) -> int | None:
    """Refuses a publication of ``period`` that may not be opened now (Conflict); returns the
    number of the official release it restates, if any."""
    draft = await uow.publications.draft_of(period)
    if kind == "interim" and draft is not None:
        raise Conflict(f"publication {draft.number} of {period} is under review")
    if (neighbour := await _draft_sharing_years(uow, period)) is not None:
        raise Conflict(
            f"publication {neighbour.number} of {neighbour.period} is under review and shares "
            f"years with {period}: publish it first"
        )
    if kind == "interim":
        return None
    published = await uow.publications.latest(period, kind="official")
    ensure_may_open_release(
        period, published=published, draft=draft, restate=restate, reason=reason
    )
    return published.number if restate and published else None


async def publish_release(
    uow: AbstractQualityUnitOfWork, identity: Identity, number: int, *, close_review: bool
) -> Publication:
    """The ministry publishes a draft once every query is answered and its review window has
    closed (or the ministry closes it early)."""
    ensure_may_publish(identity)
    draft = await get_publication(uow, number)
    draft.ensure_draft()
    open_queries = [q.id for q in await uow.publications.queries(number) if q.answer is None]
    if open_queries:
        raise Conflict(f"{len(open_queries)} queries on publication {number} await an answer")
    if draft.review_until and now() < draft.review_until and not close_review:
        raise Conflict(
            f"the review of publication {number} is open until {draft.review_until.isoformat()}; "
            "publish with close_review: true to close it early"
        )
    return await _publish(uow, draft)


async def get_publication(uow: AbstractQualityUnitOfWork, number: int) -> Publication:
    publication = await uow.publications.get(number)
    if publication is None:
        raise NotFound("publication", str(number))
    return publication


async def readable_publication(
    uow: AbstractQualityUnitOfWork, identity: Identity | None, number: int
) -> Publication:
    """A publication the caller may see: published ones by every reader, drafts by reviewers."""
    publication = await get_publication(uow, number)
    if publication.status == "draft":
        if identity is None:
            raise NotFound("publication", str(number))
        ensure_may_review(identity)
    return publication


async def own_scopes(uow: AbstractQualityUnitOfWork, identity: Identity) -> set[ScopeKey] | None:
    """The scopes whose draft figures the caller may see (None: all of them)."""
    if identity.is_("ministry"):
        return None
    if identity.org is None:
        return set()
    programs = await uow.projection.programs_of(identity.org)
    return {("organization", identity.org), *(("program", p) for p in programs)}


async def file_query(
    uow: AbstractQualityUnitOfWork,
    identity: Identity,
    number: int,
    *,
    key: ScopeKey,
    pooled: bool,
    indicator: str,
    reason: str,
) -> FigureQuery:
    """An institution queries one of its own figures in a draft under review."""
    publication = await readable_publication(uow, identity, number)
    ensure_may_query(identity, own=key in (await own_scopes(uow, identity) or set()))
    filed_at = now()
    publication.ensure_open_for_queries(filed_at)
    ensure_figure(await uow.publications.cards(number), (key, pooled), indicator)
    query = FigureQuery(
        id=new_id(),
        publication=number,
        scope=key[0],
        scope_id=key[1],
        pooled=pooled,
        indicator=indicator,
        reason=reason,
        raised_by=identity.org or "",
        raised_at=filed_at,
    )
    await uow.publications.add_query(query)
    return query


async def answer_query(
    uow: AbstractQualityUnitOfWork, identity: Identity, number: int, query_id: str, answer: str
) -> FigureQuery:
    ensure_may_publish(identity)
    (await get_publication(uow, number)).ensure_draft()
    query = await uow.publications.get_query(number, query_id)
    if query is None:
        raise NotFound("query", query_id)
    if query.answer is not None:
        raise Conflict(f"query {query_id} was answered at {query.answered_at}")
    answered = replace(query, answer=answer, answered_at=now())
    await uow.publications.answer_query(answered)
    return answered


async def queries_seen_by(
    uow: AbstractQualityUnitOfWork, identity: Identity, number: int
) -> list[FigureQuery]:
    await readable_publication(uow, identity, number)
    ensure_may_review(identity)
    raised_by = None if identity.is_("ministry") else identity.org
    return await uow.publications.queries(number, raised_by=raised_by)


async def _due_periods(uow: AbstractQualityUnitOfWork) -> list[int]:
    """The periods an interim publication would change: waiting batches large enough to
    release, live scores never published, or a cohort's graduate flows due (its census window
    closed since the period's latest publication)."""
    methodology = from_json(await current_content(uow))
    ready = {cell[1] for cell in releasable(await uow.backlog.pending(), methodology.thresholds)}
    unpublished = set(await uow.scores.periods()) - set(await uow.publications.periods())
    flows = await flows_due(uow, methodology, today=now().date())
    return sorted(ready | unpublished | flows)


async def _draft_sharing_years(uow: AbstractQualityUnitOfWork, period: int) -> Publication | None:
    """A draft under review of another period whose year or pool shares a year with
    ``period``'s pool. A publication of ``period`` made meanwhile would sum those years without
    the draft's batch and be audited without the draft, and the draft was audited before it:
    the two would never be audited together, and the release history (batches numbered by
    publication) would put the older draft's batch inside the later figures."""
    span = len(years_of(period, pooled=True))
    for other in range(period - span + 1, period + span):
        if other != period and (draft := await uow.publications.draft_of(other)) is not None:
            return draft
    return None


async def publish_interim(
    uow_factory: UowFactory, read_uow_factory: UowFactory | None = None
) -> list[int] | None:
    """One interim round: a publication of every due period without a draft under review;
    returns their numbers, or None when another publisher holds the lock.

    Each publication is computed and audited in a read-only unit of work (``read_uow_factory``,
    default ``uow_factory``) and stored and published in a short write transaction of its own:
    the consumers, the relay and the scoring windows are not held up while a period is computed
    (minutes at the country's size). One whose number another publication took meanwhile is
    left to the next round."""
    reading = read_uow_factory or uow_factory
    async with uow_factory() as uow:
        if not await uow.scores.claim_publication():
            return None
        due = await _due_periods(uow)
    made = []
    for period in due:
        async with reading() as uow:
            if not await _may_publish_interim(uow, period):
                continue
            computed = await _compute(uow, period=period, kind="interim")
        async with uow_factory() as uow:
            # Waits out a scoring window (or another replica's store), never skips the period.
            await uow.scores.hold_publication()
            if await uow.publications.next_number() != computed.publication.number:
                log.info(
                    "interim publication left to the next round: another was made meanwhile",
                    extra={"period": period},
                )
                continue
            made.append(await _publish(uow, await _store(uow, computed)))
            await uow.commit()
    return [p.number for p in made]


async def _may_publish_interim(uow: AbstractQualityUnitOfWork, period: int) -> bool:
    """Whether no official release under review speaks for ``period`` or shares its years."""
    if await uow.publications.draft_of(period) is not None:
        return False  # the official release under review speaks for it
    if (neighbour := await _draft_sharing_years(uow, period)) is not None:
        log.info(
            "interim publication waits for a release under review",
            extra={"period": period, "under_review": neighbour.number},
        )
        return False
    return True


async def run_interim_publisher(
    uow_factory: UowFactory, read_uow_factory: UowFactory, *, every_s: float
) -> None:
    """Interim publications every ``every_s`` seconds, for as long as the service runs
    (``publish_interim``: computed reading ``read_uow_factory``'s units of work)."""
    delay = every_s
    while True:
        await asyncio.sleep(delay)
        try:
            claimed = await publish_interim(uow_factory, read_uow_factory) is not None
        except Exception as error:  # busy or away: try again soon, not after a whole cadence
            if not is_outage(error):
                raise
            log.warning("interim publication postponed", extra={"error": type(error).__name__})
            claimed = False
        delay = every_s if claimed else min(every_s, _LOCK_RETRY_S)
