"""Every scorecard of one period, computed together so suppression holds across scopes.

Cells (program × year) are merged into programs, organizations, clusters, regions and the nation;
each scope is scored; then secondary suppression runs over every parent–children family
(organization → programs, region → organizations, nation → regions, cluster → member
organizations) until nothing changes, because a figure hidden in one family is a parent or a
sibling in another.
"""

from collections import defaultdict, deque
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import TypeVar

from quality.adapters.repositories import CellReader
from quality.domain.cells import ScopeTally
from quality.domain.disclosure import hide_figures, secondary_suppress
from quality.domain.index import Methodology
from quality.domain.model import COUNTRY, Families, ScopeKey, programs_in
from quality.domain.outcomes import OutcomeCounts, census_date, published_from
from quality.domain.periods import COVERAGE_COHORTS, years_of
from quality.domain.scorecard import CoverageCounts, FigureKey, Scorecard
from quality.domain.scoring import score
from quality.domain.summary import ScopeSummary
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork


@dataclass
class ScopeInputs:
    """What one scope's scorecard is computed from; a parent's is the sum of its children's."""

    summary: ScopeSummary
    outcomes: OutcomeCounts
    coverage: CoverageCounts

    @classmethod
    def empty(cls) -> "ScopeInputs":
        return cls(ScopeSummary(), OutcomeCounts(), CoverageCounts(assessed=0, graduates=0))

    @classmethod
    def total(cls, parts: Iterable["ScopeInputs"]) -> "ScopeInputs":
        total = cls.empty()
        for part in parts:
            total.move(cls.empty(), part)
        return total

    def move(self, old: "ScopeInputs", new: "ScopeInputs") -> None:
        """A child's inputs went from ``old`` to ``new``: this parent's move by the difference."""
        self.summary.absorb(old.summary, -1)
        self.summary.absorb(new.summary)
        self.outcomes = _moved(self.outcomes, old.outcomes, new.outcomes)
        self.coverage = _moved(self.coverage, old.coverage, new.coverage)


# Count records that move by differences.
C = TypeVar("C", OutcomeCounts, CoverageCounts)


def _moved(counts: C, old: C, new: C) -> C:
    return replace(
        counts,
        **{
            f.name: getattr(counts, f.name) - getattr(old, f.name) + getattr(new, f.name)
            for f in fields(counts)
        },
    )


async def program_inputs(
    uow: AbstractQualityUnitOfWork,
    years: range,
    cells: CellReader,
    methodology: Methodology,
    domains: Mapping[str, str],
    programs: Collection[str] | None = None,
) -> dict[str, ScopeInputs]:
    """Program → its inputs for a period covering ``years`` (of ``programs`` only, if given:
    a program none of whose inputs exist is absent)."""
    tallies = await cells.by_program(years, programs)
    # The outcome of year P is that of the cohort graduating in P − 1: its census is in P.
    outcomes = await uow.queries.cohort_outcomes(
        range(years[0] - 1, years[-1]),
        counting=methodology.counting_employment_states,
        programs=programs,
    )
    last = years[-1]
    covered = await uow.queries.covered_graduates(
        range(last - COVERAGE_COHORTS + 1, last + 1), programs
    )
    found = {}
    for program_id in set(tallies) | set(outcomes) | set(covered):
        tally = tallies.pop(program_id, None) or ScopeTally()
        population = covered.get(program_id, set())
        found[program_id] = ScopeInputs(
            summary=ScopeSummary.of(tally, domains),
            outcomes=outcomes.get(program_id) or OutcomeCounts(),
            coverage=CoverageCounts(
                assessed=len(population.intersection(tally.graduates)), graduates=len(population)
            ),
        )
    return found


async def scope_families(
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


def scope_inputs(
    families: Families, programs: Mapping[str, ScopeInputs]
) -> dict[ScopeKey, ScopeInputs]:
    """Every scope's inputs: the programs', and each parent's summed from its children."""
    inputs: dict[ScopeKey, ScopeInputs] = {("program", p): i for p, i in programs.items()}

    def of(key: ScopeKey) -> ScopeInputs:
        if key not in inputs:
            inputs[key] = ScopeInputs.total(of(child) for child in families[key])
        return inputs[key]

    for parent in families:
        of(parent)
    return inputs


@dataclass
class Scoreboard:
    """Every scope's scorecard of one period (or pool), and the families that build them."""

    cards: dict[ScopeKey, Scorecard]
    families: Families
    primary: dict[ScopeKey, Scorecard]  # before secondary suppression
    inputs: dict[ScopeKey, ScopeInputs]
    hidden_since: set[ScopeKey] = field(default_factory=set)  # by `hide`, not yet protected

    def programs(self, key: ScopeKey) -> set[str]:
        """The programs whose cells a scope's figures sum."""
        return programs_in(self.families, key)

    def hide(self, key: ScopeKey, figures: set[FigureKey]) -> None:
        """Hide ``figures`` of a scope's card (a complement the audit chose)."""
        self.cards[key] = hide_figures(self.cards[key], figures)
        self.hidden_since.add(key)

    def protect(self) -> None:
        """Secondary suppression again over the families of the cards hidden since (the
        others were protected already), and of every card that changes in turn."""
        protect_from(self.cards, self.families, families_of(self.families), self.hidden_since)
        self.hidden_since.clear()


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
    basis = ScoringBasis(
        methodology=methodology,
        domains=await uow.frameworks.domains(),
        outcomes_pending=outcomes_pending(period, methodology, today=today or date.today()),
    )
    programs = await program_inputs(uow, years, cells or uow.cells, methodology, basis.domains)
    families = await scope_families(uow, set(programs), years)
    inputs = scope_inputs(families, programs)
    primary = {key: basis.score(scope) for key, scope in inputs.items()}
    return Scoreboard(
        cards=_protect_families(dict(primary), families),
        families=families,
        primary=primary,
        inputs=inputs,
    )


@dataclass(frozen=True)
class ScoringBasis:
    """What every scorecard of a period is scored with, besides its own inputs."""

    methodology: Methodology
    domains: Mapping[str, str]
    outcomes_pending: str | None

    def score(self, inputs: ScopeInputs) -> Scorecard:
        return score(
            inputs.summary,
            outcomes=inputs.outcomes,
            coverage=inputs.coverage,
            domains=self.domains,
            methodology=self.methodology,
            outcomes_pending=self.outcomes_pending,
        )


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


def families_of(families: Families) -> dict[ScopeKey, set[ScopeKey]]:
    """Scope → the parents of the families it belongs to (as a child, and as the parent)."""
    of: dict[ScopeKey, set[ScopeKey]] = {}
    for parent, children in families.items():
        of.setdefault(parent, set()).add(parent)
        for child in children:
            of.setdefault(child, set()).add(parent)
    return of


def protect_from(
    cards: dict[ScopeKey, Scorecard],
    families: Families,
    of: Mapping[ScopeKey, set[ScopeKey]],
    start: Iterable[ScopeKey],
) -> set[ScopeKey]:
    """Secondary suppression over the families of ``start`` (``of``: families_of), and again
    over the families of every card it changes, until none changes; the keys it changed. Every
    other family must be protected already."""
    queue = deque(dict.fromkeys(p for key in start for p in sorted(of.get(key, ()))))
    queued = set(queue)
    changed: set[ScopeKey] = set()
    while queue:
        parent = queue.popleft()
        queued.discard(parent)
        children = sorted(families[parent])
        family = secondary_suppress(cards[parent], {_id(c): cards[c] for c in children})
        updates = [(parent, family.parent), *((c, family.children[_id(c)]) for c in children)]
        for key, card in updates:
            if card != cards[key]:
                cards[key] = card
                changed.add(key)
                for other in of.get(key, ()):
                    if other not in queued:
                        queue.append(other)
                        queued.add(other)
    return changed


def _id(key: ScopeKey) -> str:
    return f"{key[0]}:{key[1]}"
