"""Benchmarks of programs and institutions against the national rates of their mix of
comparable groups (domain/benchmark.py), from the figures of the view read."""

from collections import Counter
from dataclasses import asdict
from typing import Any

from quality.domain.benchmark import benchmark, group_rates
from quality.domain.ranking import RANKED_BY, comparable_group
from quality.domain.scorecard import interval_stated, successes
from quality.service_layer.reading import View, checked
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.platform.errors import RuleViolation

BENCHMARKED = ("program", "organization")


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
    """Each unit of ``scope`` (optionally of ``region``) against its benchmark, by id.

    The national rates come from the published program figures only (counts recovered from
    them as alerts do), so a benchmark is a function of what the view publishes."""
    if scope not in BENCHMARKED:
        raise RuleViolation("scope", "benchmarks are computed for programs and organizations")
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
    mixes: dict[str, Counter[str]] = {}
    for id_, figure in programs.items():
        unit = id_ if scope == "program" else kinds[id_].institution_id
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
