"""A cluster's activities read against the figures: their intensity and their relation to
quality change (a difference in differences of published figures); activities_goals.py: its
goals' progress.

Only published figures (the latest publication of each period) enter the comparison and the
goals, so nothing here states what a publication does not already. docs/methodology.md,
"Cluster activities", defines every figure.
"""

from typing import Any, Literal

from quality.domain.access import ensure_may_read_live
from quality.domain.activities import (
    Activity,
    Tally,
    YearTallies,
    cluster_intensity,
    comparable,
    ensure_may_read_cluster_work,
    hidden_cohorts,
    joined,
    program_intensity,
    program_tallies,
    reached,
    small_cohort,
)
from quality.domain.did import Change, Counts, Estimate, Group, difference_in_differences
from quality.domain.index import Methodology
from quality.domain.intensity_release import Hiding, Table
from quality.domain.methodology import from_json
from quality.domain.model import Card, ProgramKind
from quality.domain.scorecard import (
    EMPLOYED_12M,
    EMPLOYER_SATISFACTION,
    interval_stated,
    round_figure,
    successes,
)
from quality.service_layer.methodology import current_content
from quality.service_layer.reading import LIVE, PUBLISHED, View
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.platform.auth import Identity
from shared.platform.errors import NotFound

Document = dict[str, Any]
Comparable = Literal["field_level", "region"]
EFFECT_INDICATORS = (EMPLOYER_SATISFACTION, EMPLOYED_12M)
METHOD = (
    "difference in differences of published shares: each program's change (after − before) "
    "weighted by its effective size; MOVER interval from the shares' Wilson intervals, "
    "widened by √φ for over-dispersion"
)
ASSUMPTIONS = (
    "parallel trends: without the activity the programs that joined would have changed as the "
    "comparable programs did",
    "no anticipation: the years before a program joined are not already affected",
    "the comparable programs took part in no activity of this kind",
    "an association, not proof: programs choose to join, and what made them join may also "
    "move their figures",
)


async def readable_cluster(
    uow: AbstractQualityUnitOfWork, identity: Identity, cluster_id: str
) -> dict[str, Any]:
    """The cluster, once ``identity`` may read its work (NotFound, Forbidden)."""
    cluster = await uow.projection.cluster(cluster_id)
    if cluster is None:
        raise NotFound("cluster", cluster_id)
    is_member = identity.org is not None and await uow.cluster_work.is_member(
        cluster_id, identity.org
    )
    ensure_may_read_cluster_work(identity, region_code=cluster["region_code"], is_member=is_member)
    return cluster


async def cluster_activities(uow: AbstractQualityUnitOfWork, **where: str) -> list[Activity]:
    return [Activity.of_row(row) for row in await uow.cluster_work.activities(**where)]


async def member_programs(
    uow: AbstractQualityUnitOfWork, cluster_id: str, year: int, kinds: dict[str, ProgramKind]
) -> set[str]:
    """The programs of the institutions that were members of the cluster during ``year``."""
    members = await uow.queries.cluster_members(range(year, year + 1))
    organizations = {org for cluster, org in members if cluster == cluster_id}
    return {id_ for id_, kind in kinds.items() if kind.institution_id in organizations}


async def intensity(
    uow: AbstractQualityUnitOfWork,
    identity: Identity,
    cluster_id: str,
    *,
    year: int | None,
    view: View | None = None,
) -> Document:
    """Each year's figures of the cluster and of each program its activities reach: live (the
    ministry's alone, and its default) or as the publications state them (everyone else's
    default: each year's latest publication, or the one named)."""
    cluster = await readable_cluster(uow, identity, cluster_id)
    view = view or (LIVE if identity.is_("ministry") else PUBLISHED)
    if not view.live:
        return await _published_intensity(uow, cluster, year=year, view=view)
    ensure_may_read_live(identity)
    thresholds = from_json(await current_content(uow)).thresholds
    kinds = await uow.projection.program_kinds()
    by_program, by_year = program_tallies(
        await cluster_activities(uow, cluster_id=cluster_id), kinds
    )
    cluster_rows, program_rows = [], []
    for y in [y for y in sorted(by_year) if year is None or y == year]:
        table = await year_table(uow, cluster_id, y, kinds, by_program)
        # A cohort's size is counted graduates: small ones are hidden, and protected against
        # the cluster's total (a program outside the cluster has no total to hide behind).
        total_hidden, hidden = hidden_cohorts(
            {p: table.cohorts[p] for p in table.listed & table.members},
            unlisted=sum(table.cohorts[p] for p in table.members - table.listed),
            thresholds=thresholds,
        )
        for p in table.listed - table.members:
            if reason := small_cohort(table.cohorts[p], thresholds):
                hidden[p] = reason
        row, programs = year_rows(by_program, by_year, y, table, Hiding(total_hidden, hidden))
        cluster_rows.append(row)
        program_rows += programs
    return {
        "cluster_id": cluster_id,
        "region_code": cluster["region_code"],
        "years": cluster_rows,
        "programs": program_rows,
        "publication": None,
    }


async def year_table(
    uow: AbstractQualityUnitOfWork,
    cluster_id: str,
    year: int,
    kinds: dict[str, ProgramKind],
    by_program: YearTallies,
) -> Table:
    """The cohorts of ``year`` of the cluster's member programs and of those its activities
    reach."""
    members = await member_programs(uow, cluster_id, year, kinds)
    reached_now = {p for p, py in by_program if py == year}
    covered = await uow.queries.covered_graduates(range(year, year + 1), members | reached_now)
    cohorts = {p: len(covered.get(p, ())) for p in members | reached_now}
    return Table(cohorts, frozenset(members), frozenset(reached_now))


def year_rows(
    by_program: YearTallies, by_year: dict[int, Tally], year: int, table: Table, hiding: Hiding
) -> tuple[Document, list[Document]]:
    """The cluster's row of ``year`` and its programs', shown as ``hiding`` says."""
    row = cluster_intensity(
        by_year.get(year, Tally.empty()),
        year=year,
        programs=len(table.members),
        graduates=table.total,
        hidden=hiding.total,
    )
    programs = [
        program_intensity(
            by_program[p, year],
            program_id=p,
            year=year,
            graduates=table.cohorts[p],
            hidden=hiding.programs.get(p),
        )
        for p in sorted(table.listed)
    ]
    return row, programs


async def _published_intensity(
    uow: AbstractQualityUnitOfWork, cluster: dict[str, Any], *, year: int | None, view: View
) -> Document:
    """The cluster's intensity as publications state it: of the publication named, or each
    year's from that year's latest publication (a year no publication states is not shown)."""
    if view.publication is not None:
        named = await uow.publications.get(view.publication)
        if named is None or named.status != "published":
            raise NotFound("published publication", str(view.publication))
        sources = [named] if year in (None, named.period) else []
    else:
        periods = sorted(p for p in await uow.publications.periods() if year in (None, p))
        sources = [p for period in periods if (p := await uow.publications.latest(period))]
    cluster_rows, program_rows, stating = [], [], []
    for publication in sources:
        stored = await uow.publications.intensity(publication.number, cluster["id"])
        if stored is not None:
            reference = {"number": publication.number, "release": publication.release}
            cluster_rows.append(stored["year"] | {"publication": reference})
            program_rows += stored["programs"]
            stating.append(reference)
    return {
        "cluster_id": cluster["id"],
        "region_code": cluster["region_code"],
        "years": cluster_rows,
        "programs": program_rows,
        "publication": stating[0] if len(stating) == 1 else None,
    }


class PublishedPrograms:
    """The programs' published yearly scorecards, read once per year."""

    def __init__(self, uow: AbstractQualityUnitOfWork) -> None:
        self._figures = uow.publications.figures()
        self._years: dict[int, dict[str, Card]] = {}

    async def of_year(self, year: int) -> dict[str, Card]:
        if year not in self._years:
            scores = await self._figures.of_scope("program", period=year, pooled=False)
            self._years[year] = {s.scope_id: s.card for s in scores}
        return self._years[year]

    async def counts(self, program: str, years: range, indicator: str) -> Counts | None:
        """The program's published counts summed over ``years`` (None without any)."""
        hits = n = 0
        for year in years:
            card = (await self.of_year(year)).get(program)
            figure = card["indicators"].get(indicator) if card else None
            if interval_stated(figure) and figure is not None and figure["n"] > 0:
                hits, n = hits + successes(figure), n + figure["n"]
        return Counts(hits, n) if n else None

    async def change(
        self, program: str, *, before: range, after: range, indicator: str
    ) -> Change | None:
        first = await self.counts(program, before, indicator)
        then = await self.counts(program, after, indicator)
        return Change(program, first, then) if first and then else None


async def effect(
    uow: AbstractQualityUnitOfWork,
    identity: Identity,
    cluster_id: str,
    *,
    kind: str,
    window: int,
    compare_with: Comparable,
) -> Document:
    """For the programs that joined the cluster's activities of ``kind``, grouped by the year
    they joined: the change of employer satisfaction and of the employment rate against
    comparable programs that never took part in an activity of ``kind``."""
    cluster = await readable_cluster(uow, identity, cluster_id)
    methodology = from_json(await current_content(uow))
    kinds = await uow.projection.program_kinds()
    every = await cluster_activities(uow, kind=kind)
    first = joined(every, kinds, kind=kind)
    ours = {
        p
        for a in every
        if a.cluster_id == cluster_id and a.counted
        for p in reached(a.outcome, kinds)
    }
    named = {p for a in every for p in reached(a.outcome, kinds)}  # never a control
    regions = await uow.queries.organization_regions()
    published = PublishedPrograms(uow)
    estimates = []
    for year in sorted({first[p] for p in ours}):
        treated = sorted(p for p in ours if first[p] == year)
        controls = sorted(
            p
            for p, program in kinds.items()
            if p not in named
            and comparable(
                program,
                [kinds[t] for t in treated],
                by=compare_with,
                regions=regions,
                region_code=cluster["region_code"],
            )
        )
        before, after = range(year - window, year), range(year, year + window)
        for indicator in EFFECT_INDICATORS:
            groups = [
                [
                    c
                    for p in programs
                    if (
                        c := await published.change(
                            p, before=before, after=after, indicator=indicator
                        )
                    )
                ]
                for programs in (treated, controls)
            ]
            estimate = difference_in_differences(*groups, level=methodology.interval_level)
            estimates.append(
                {
                    "joined": year,
                    "before": [before[0], before[-1]],
                    "after": [after[0], after[-1]],
                    "indicator": indicator,
                    **_stated(estimate, methodology),
                }
            )
    return {
        "cluster_id": cluster_id,
        "kind": kind,
        "compare_with": compare_with,
        "window": window,
        "interval_level": methodology.interval_level,
        "method": METHOD,
        "assumptions": list(ASSUMPTIONS),
        "estimates": estimates,
    }


def _stated(estimate: Estimate, methodology: Methodology) -> Document:
    """An estimate as answered: shares and the difference rounded as publications round
    them (the interval outward)."""
    decimals = methodology.rounding.share_decimals

    def group(g: Group) -> Document:
        shares = {"share_before": g.share_before, "share_after": g.share_after}
        return {
            "programs": g.programs,
            "n_before": g.n_before,
            "n_after": g.n_after,
            **{k: None if v is None else round(v, decimals) for k, v in shares.items()},
        }

    difference = round_figure(
        {"value": estimate.value, "ci_low": estimate.ci_low, "ci_high": estimate.ci_high},
        decimals,
    )
    return {
        "treated": group(estimate.treated),
        "controls": group(estimate.controls),
        "difference": {**difference, "reason": estimate.reason},
        "dispersion": round(estimate.dispersion, 3),
    }
