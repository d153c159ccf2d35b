"""Benchmarks of programs and institutions against the national rates of their mix of
comparable groups (domain/benchmark.py), from the figures of the view read."""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from quality.domain.benchmark import benchmark, group_rates
from quality.domain.model import COUNTRY, ProgramKind
from quality.domain.periods import years_of
from quality.domain.ranking import RANKED_BY, comparable_group
from quality.domain.scorecard import interval_stated, successes
from quality.service_layer.reading import View, checked
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork


async def benchmarks(
    uow: AbstractQualityUnitOfWork,
    view: View,
    *,
    scope: str,
    period: int,
    pooled: bool,
    level: float,
    region: str | None = None,
) -> list[dict[str, Any]]:
    """Each unit of ``scope`` (optionally of ``region``) against its benchmark, by id: its mix
    is the assessments of the programs it contains, per comparable group.

    The national rates come from the published program figures only (counts recovered from
    them as alerts do), so a benchmark is a function of what the view publishes."""
    scores = (await checked(uow, view)).scores(uow)
    kinds = await uow.projection.program_kinds()
    programs = {
        score.scope_id: score.card["indicators"][RANKED_BY]
        for score in await scores.of_scope("program", period=period, pooled=pooled)
        if score.scope_id in kinds
    }
    group = {id_: comparable_group(kinds[id_].level, kinds[id_].field_code) for id_ in programs}
    rates = group_rates(
        (group[id_], successes(figure), figure["n"])
        for id_, figure in programs.items()
        if interval_stated(figure)
    )
    containing = await _containing(uow, scope, kinds, years_of(period, pooled=pooled))
    mixes: dict[str, Counter[str]] = {}
    for id_, figure in programs.items():
        for unit in containing(id_):
            mixes.setdefault(unit, Counter())[group[id_]] += figure["n"]
    units = await scores.of_scope(scope, period=period, pooled=pooled, region=region)
    listed = []
    for score in sorted(units, key=lambda s: s.scope_id):
        figure = score.card["indicators"][RANKED_BY]
        stated = benchmark(
            score.scope_id,
            successes=successes(figure) if interval_stated(figure) else None,
            n=figure["n"],
            mix=mixes.get(score.scope_id, {}),
            rates=rates,
            level=level,
        )
        listed.append(asdict(stated))
    return listed


async def _containing(
    uow: AbstractQualityUnitOfWork, scope: str, kinds: dict[str, ProgramKind], years: range
) -> Callable[[str], list[str]]:
    """The units of ``scope`` a program's assessments count in (a program may be in several
    clusters, through its institution's memberships during ``years``)."""
    regions = await uow.queries.organization_regions()
    clusters: dict[str, list[str]] = defaultdict(list)
    if scope == "cluster":
        for cluster_id, organization in await uow.queries.cluster_members(years):
            clusters[organization].append(cluster_id)

    def containing(program_id: str) -> list[str]:
        institution = kinds[program_id].institution_id
        region = regions.get(institution)
        return {
            "program": [program_id],
            "organization": [institution],
            "cluster": clusters.get(institution, []),
            "region": [region] if region else [],
            "national": [COUNTRY],
        }[scope]

    return containing
