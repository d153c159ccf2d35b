"""A cluster's activities read against the figures: their intensity and their relation to
quality change (a difference in differences of published figures); activities_goals.py: its
goals' progress.

Only published figures (the latest publication of each period) enter the comparison and the
goals, so nothing here states what a publication does not already. docs/methodology.md,
"Cluster activities", defines every figure.
"""

from typing import Any, Literal

from quality.domain.activities import (
    Activity,
    Tally,
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
    uow: AbstractQualityUnitOfWork, identity: Identity, cluster_id: str, *, year: int | None
) -> Document:
    """Each year's figures of the cluster and of each program its activities reach."""
    cluster = await readable_cluster(uow, identity, cluster_id)
    thresholds = from_json(await current_content(uow)).thresholds
    kinds = await uow.projection.program_kinds()
    by_program, by_year = program_tallies(
        await cluster_activities(uow, cluster_id=cluster_id), kinds
    )
    years: list[int] = [y for y in sorted(by_year) if year is None or y == year]
    cluster_rows, program_rows = [], []
    for y in years:
        members = await member_programs(uow, cluster_id, y, kinds)
        reached_now = {p for p, py in by_program if py == y}
        covered = await uow.queries.covered_graduates(range(y, y + 1), members | reached_now)
        graduates = {p: len(covered.get(p, ())) for p in members | reached_now}
        # A cohort's size is counted graduates: small ones are hidden, and protected against
        # the cluster's total (a program outside the cluster has no total to hide behind).
        total_hidden, hidden = hidden_cohorts(
            {p: graduates[p] for p in reached_now & members},
            unlisted=sum(graduates[p] for p in members - reached_now),
            thresholds=thresholds,
        )
        for p in reached_now - members:
            if reason := small_cohort(graduates[p], thresholds):
                hidden[p] = reason
        cluster_rows.append(
            cluster_intensity(
                by_year.get(y, Tally.empty()),
                year=y,
                programs=len(members),
                graduates=sum(graduates[p] for p in members),
                hidden=total_hidden,
            )
        )
        program_rows += [
            program_intensity(
                by_program[p, y],
                program_id=p,
                year=y,
                graduates=graduates[p],
                hidden=hidden.get(p),
            )
            for p in sorted(reached_now)
        ]
    return {
        "cluster_id": cluster_id,
        "region_code": cluster["region_code"],
        "years": cluster_rows,
        "programs": program_rows,
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
