"""Every scorecard of one period, computed together so suppression holds across scopes.

Cells (program × year) are merged into programs, organizations, clusters, regions and the nation;
each scope is scored; then secondary suppression runs over every parent–children family
(organization → programs, region → organizations, nation → regions, cluster → member
organizations) until nothing changes, because a figure hidden in one family is a parent or a
sibling in another.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from quality.adapters.repositories import CellReader
from quality.domain.cells import ScopeTally
from quality.domain.disclosure import secondary_suppress
from quality.domain.index import Methodology
from quality.domain.model import COUNTRY, Families, ScopeKey, programs_in
from quality.domain.outcomes import OutcomeCounts, census_date, published_from
from quality.domain.periods import COVERAGE_COHORTS, years_of
from quality.domain.scorecard import CoverageCounts, Scorecard
from quality.domain.scoring import score
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork


@dataclass
class _Program:
    tally: ScopeTally
    outcomes: OutcomeCounts
    coverage: CoverageCounts


async def _programs(
    uow: AbstractQualityUnitOfWork, years: range, cells: CellReader, methodology: Methodology
) -> dict[str, _Program]:
    tallies = await cells.by_program(years)
    # The outcome of year P is that of the cohort graduating in P − 1: its census is in P.
    outcomes = await uow.queries.cohort_outcomes(
        range(years[0] - 1, years[-1]), counting=methodology.counting_employment_states
    )
    last = years[-1]
    covered = await uow.queries.covered_graduates(range(last - COVERAGE_COHORTS + 1, last + 1))
    programs = {}
    for program_id in set(tallies) | set(outcomes) | set(covered):
        tally = tallies.get(program_id) or ScopeTally()
        population = covered.get(program_id, set())
        programs[program_id] = _Program(
            tally=tally,
            outcomes=outcomes.get(program_id) or OutcomeCounts(),
            coverage=CoverageCounts(
                assessed=len(population.intersection(tally.graduates)), graduates=len(population)
            ),
        )
    return programs


async def _families(
    uow: AbstractQualityUnitOfWork, program_ids: set[str], years: range
) -> Families:
    """Each parent scope → the child scopes that partition it."""
    families: Families = defaultdict(set)
    owners = await uow.queries.program_owners()
    regions = await uow.queries.organization_regions()
    for program_id in program_ids:
        organization = owners.get(program_id)
        if organization is None:
            families[("national", COUNTRY)].add(("program", program_id))
            continue
        families[("organization", organization)].add(("program", program_id))
        region = regions.get(organization)
        if region is None:
            families[("national", COUNTRY)].add(("organization", organization))
            continue
        families[("region", region)].add(("organization", organization))
        families[("national", COUNTRY)].add(("region", region))
    organizations = {key for key in families if key[0] == "organization"}
    for cluster_id, organization in await uow.queries.cluster_members(years):
        if ("organization", organization) in organizations:
            families[("cluster", cluster_id)].add(("organization", organization))
    return families


def _merge(key: ScopeKey, families: Families, programs: dict[str, _Program]) -> _Program:
    if key[0] == "program":
        return programs[key[1]]
    parts = [_merge(child, families, programs) for child in families[key]]
    return _Program(
        tally=ScopeTally.combine(p.tally for p in parts),
        outcomes=OutcomeCounts.total(p.outcomes for p in parts),
        coverage=CoverageCounts(
            assessed=sum(p.coverage.assessed for p in parts),
            graduates=sum(p.coverage.graduates for p in parts),
        ),
    )


@dataclass
class Scoreboard:
    """Every scope's scorecard of one period (or pool), and the families that build them."""

    cards: dict[ScopeKey, Scorecard]
    families: Families

    def programs(self, key: ScopeKey) -> set[str]:
        """The programs whose cells a scope's figures sum."""
        return programs_in(self.families, key)

    def protect(self) -> None:
        """Secondary suppression again, after more figures were hidden (a complement)."""
        self.cards = _protect_families(self.cards, self.families)


async def compute_scorecards(
    uow: AbstractQualityUnitOfWork,
    *,
    period: int,
    pooled: bool,
    methodology: Methodology,
    cells: CellReader | None = None,
    today: date | None = None,
) -> dict[ScopeKey, Scorecard]:
    """Every scope's scorecard for ``period`` (or its 3-year pool), suppression applied, from
    ``cells`` (default: the live cells; a publication passes the cells it releases), with the
    outcomes of the cohorts whose census window has closed by ``today`` (default: the date)."""
    board = await compute_scoreboard(
        uow, period=period, pooled=pooled, methodology=methodology, cells=cells, today=today
    )
    return board.cards


async def compute_scoreboard(
    uow: AbstractQualityUnitOfWork,
    *,
    period: int,
    pooled: bool,
    methodology: Methodology,
    cells: CellReader | None = None,
    today: date | None = None,
) -> Scoreboard:
    """compute_scorecards, keeping the families (which programs each scope sums)."""
    years = years_of(period, pooled=pooled)
    pending = outcomes_pending(period, methodology, today=today or date.today())
    programs = await _programs(uow, years, cells or uow.cells, methodology)
    families = await _families(uow, set(programs), years)
    domains = await uow.frameworks.domains()
    keys: set[ScopeKey] = {("program", p) for p in programs} | set(families)
    cards: dict[ScopeKey, Scorecard] = {}
    for key in keys:
        merged = _merge(key, families, programs)
        cards[key] = score(
            merged.tally,
            outcomes=merged.outcomes,
            coverage=merged.coverage,
            domains=domains,
            methodology=methodology,
            outcomes_pending=pending,
        )
    return Scoreboard(cards=_protect_families(cards, families), families=families)


def outcomes_pending(period: int, methodology: Methodology, *, today: date) -> str | None:
    """Why the outcomes of ``period`` (its year or pool) are not published yet, or None: the
    last cohort it counts, P − 1, must be past its census date plus the recording lag."""
    cohort = period - 1
    opens = published_from(cohort, lag_days=methodology.outcome_lag_days)
    if today >= opens:
        return None
    return (
        f"the {cohort} cohort's outcomes are published from {opens.isoformat()} "
        f"(census date {census_date(cohort).isoformat()} plus "
        f"{methodology.outcome_lag_days} days to record them)"
    )


def _protect_families(
    cards: dict[ScopeKey, Scorecard], families: Families
) -> dict[ScopeKey, Scorecard]:
    """Secondary suppression over every family, repeated until no card changes."""
    changed = True
    while changed:
        changed = False
        for parent, children in families.items():
            family = secondary_suppress(cards[parent], {_id(c): cards[c] for c in children})
            updates: dict[ScopeKey, Scorecard] = {parent: family.parent}
            updates.update({c: family.children[_id(c)] for c in children})
            for key, card in updates.items():
                if card.to_json() != cards[key].to_json():
                    cards[key] = card
                    changed = True
    return cards


def _id(key: ScopeKey) -> str:
    return f"{key[0]}:{key[1]}"
