"""Every scorecard of one period, computed together so suppression holds across scopes.

Cells (program × year) are merged into programs, organizations, clusters, regions and the nation;
each scope is scored; then secondary suppression runs over every parent–children family
(organization → programs, region → organizations, nation → regions, cluster → member
organizations) until nothing changes, because a figure hidden in one family is a parent or a
sibling in another.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from quality.adapters.tables import (
    cells,
    q_frameworks,
    q_graduates,
    q_memberships,
    q_organizations,
    q_programs,
)
from quality.domain.cells import ScopeTally
from quality.domain.disclosure import secondary_suppress
from quality.domain.index import Methodology
from quality.domain.scorecard import CoverageCounts, OutcomeCounts, Scorecard
from quality.domain.scoring import score
from quality.service_layer.outcomes import COVERAGE_COHORTS, cohort_outcomes_by_program
from quality.service_layer.scopes import COUNTRY, member_during
from shared.platform.messaging.unit_of_work import UnitOfWork

ScopeKey = tuple[str, str]  # (scope, scope_id)


@dataclass
class _Program:
    tally: ScopeTally
    outcomes: OutcomeCounts
    coverage: CoverageCounts


def years_of(period: int, *, pooled: bool) -> range:
    """The years a figure covers: one, or the 3-year pool ending at ``period``."""
    return range(period - 2, period + 1) if pooled else range(period, period + 1)


async def _tallies(uow: UnitOfWork, years: range) -> dict[str, ScopeTally]:
    by_program: dict[str, list[ScopeTally]] = defaultdict(list)
    result = await uow.session.execute(
        select(cells.c.program_id, cells.c.tally).where(cells.c.period.between(years[0], years[-1]))
    )
    for program_id, tally in result:
        by_program[program_id].append(ScopeTally.from_json(tally))
    return {p: ScopeTally.combine(ts) for p, ts in by_program.items()}


async def _covered_graduates(uow: UnitOfWork, period: int) -> dict[str, set[str]]:
    """Program → ids of its active graduates of the cohorts coverage is measured against."""
    result = await uow.session.execute(
        select(q_graduates.c.program_id, q_graduates.c.id).where(
            q_graduates.c.graduation_year.between(period - COVERAGE_COHORTS + 1, period),
            q_graduates.c.active.is_(True),
        )
    )
    covered: dict[str, set[str]] = defaultdict(set)
    for program_id, graduate_id in result:
        covered[program_id].add(graduate_id)
    return covered


async def _programs(uow: UnitOfWork, years: range) -> dict[str, _Program]:
    tallies = await _tallies(uow, years)
    # The outcome of year P is that of the cohort graduating in P − 1: its 12 months end in P.
    outcomes = await cohort_outcomes_by_program(uow, cohorts=range(years[0] - 1, years[-1]))
    covered = await _covered_graduates(uow, years[-1])
    programs = {}
    for program_id in set(tallies) | set(outcomes) | set(covered):
        tally = tallies.get(program_id) or ScopeTally()
        population = covered.get(program_id, set())
        programs[program_id] = _Program(
            tally=tally,
            outcomes=outcomes.get(program_id) or OutcomeCounts(0, 0, 0),
            coverage=CoverageCounts(
                assessed=len(population.intersection(tally.graduates)), graduates=len(population)
            ),
        )
    return programs


async def _families(uow: UnitOfWork, program_ids: set[str], years: range) -> dict[ScopeKey, set]:
    """Each parent scope → the child scopes that partition it."""
    families: dict[ScopeKey, set[ScopeKey]] = defaultdict(set)
    owners = dict(
        (await uow.session.execute(select(q_programs.c.id, q_programs.c.institution_id))).all()
    )
    regions = dict(
        (
            await uow.session.execute(select(q_organizations.c.id, q_organizations.c.region_code))
        ).all()
    )
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
    members = await uow.session.execute(
        select(q_memberships.c.cluster_id, q_memberships.c.organization_id).where(
            member_during(years[0], years[-1])
        )
    )
    organizations = {key for key in families if key[0] == "organization"}
    for cluster_id, organization in members:
        if ("organization", organization) in organizations:
            families[("cluster", cluster_id)].add(("organization", organization))
    return families


async def _domains(uow: UnitOfWork) -> dict[str, str]:
    merged: dict[str, str] = {}
    for (domains,) in await uow.session.execute(
        select(q_frameworks.c.domains).order_by(q_frameworks.c.version)
    ):
        merged.update(domains)
    return merged


def _merge(key: ScopeKey, families, programs) -> _Program:  # type: ignore[no-untyped-def]
    if key[0] == "program":
        return programs[key[1]]
    parts = [_merge(child, families, programs) for child in families[key]]
    return _Program(
        tally=ScopeTally.combine(p.tally for p in parts),
        outcomes=OutcomeCounts(
            graduates=sum(p.outcomes.graduates for p in parts),
            employed_12m=sum(p.outcomes.employed_12m for p in parts),
            employed_in_field=sum(p.outcomes.employed_in_field for p in parts),
        ),
        coverage=CoverageCounts(
            assessed=sum(p.coverage.assessed for p in parts),
            graduates=sum(p.coverage.graduates for p in parts),
        ),
    )


async def compute_scorecards(
    uow: UnitOfWork, *, period: int, pooled: bool, methodology: Methodology
) -> dict[ScopeKey, Scorecard]:
    """Every scope's scorecard for ``period`` (or its 3-year pool), suppression applied."""
    years = years_of(period, pooled=pooled)
    programs = await _programs(uow, years)
    families = await _families(uow, set(programs), years)
    domains = await _domains(uow)
    keys = {("program", p) for p in programs} | set(families)
    cards = {}
    for key in keys:
        merged = _merge(key, families, programs)
        cards[key] = score(
            merged.tally,
            outcomes=merged.outcomes,
            coverage=merged.coverage,
            domains=domains,
            methodology=methodology,
        )
    return _protect_families(cards, families)


def _protect_families(cards: dict, families: dict) -> dict:  # type: ignore[type-arg]
    """Secondary suppression over every family, repeated until no card changes."""
    changed = True
    while changed:
        changed = False
        for parent, children in families.items():
            family = secondary_suppress(cards[parent], {_id(c): cards[c] for c in children})
            updates: dict[Any, Scorecard] = {parent: family.parent}
            updates.update({c: family.children[_id(c)] for c in children})
            for key, card in updates.items():
                if card.to_json() != cards[key].to_json():
                    cards[key] = card
                    changed = True
    return cards


def _id(key: ScopeKey) -> str:
    return f"{key[0]}:{key[1]}"
