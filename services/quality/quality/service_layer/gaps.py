"""Importance–performance per competency for a scope: what employers need against what they see.

Importance is the mean of the importance (1–5) stated by every current requirement that applies
to the scope: those naming one of its programs, or the field of one of its programs, and for a
cluster also the cluster's own. Performance is the scope's published mean rating. Competencies
without a published mean or without a stated importance are left out (and listed as such).
"""

from collections import defaultdict
from typing import Any

from quality.domain.importance_performance import CompetencyMeans, importance_performance
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork


async def stated_importance(
    uow: AbstractQualityUnitOfWork, *, scope: str, scope_id: str, years: range
) -> dict[str, tuple[float, int]]:
    """Competency → (mean stated importance, number of requirements stating it)."""
    stated: dict[str, list[int]] = defaultdict(list)
    for importance in await uow.requirements.importance_for(
        scope=scope, scope_id=scope_id, years=years
    ):
        for code, value in importance.items():
            stated[code].append(value)
    return {code: (sum(v) / len(v), len(v)) for code, v in stated.items()}


def competency_gaps(
    card: dict[str, Any], importance: dict[str, tuple[float, int]]
) -> dict[str, Any]:
    """The quadrant of every competency with both a published mean and a stated importance."""
    means = {
        code: CompetencyMeans(importance=importance[code][0], performance=c["mean"]["value"])
        for code, c in card["competencies"].items()
        if code in importance and not c["mean"]["suppressed"] and c["mean"]["value"] is not None
    }
    analysed = importance_performance(means)
    return {
        "competencies": {
            code: {
                "importance": ip.importance,
                "requirements": importance[code][1],
                "performance": ip.performance,
                "performance_n": card["competencies"][code]["mean"]["n"],
                "performance_ci_high": card["competencies"][code]["mean"].get("ci_high"),
                "gap": ip.gap,
                "quadrant": ip.quadrant.value,
            }
            for code, ip in sorted(analysed.items(), key=lambda item: -item[1].gap)
        },
        "not_analysed": sorted((set(card["competencies"]) | set(importance)) - set(analysed)),
    }
