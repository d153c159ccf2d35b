"""Importance–performance per competency for a scope: what employers need against what they see.

Importance is the mean of the importance (1–5) stated by every current requirement that applies
to the scope: those naming one of its programs, or the field of one of its programs, and for a
cluster also the cluster's own. Performance is the scope's published mean rating. Competencies
without a published mean or without a stated importance are left out (and listed as such).

An importance stated by fewer than ``MIN_STATING_EMPLOYERS`` employers (a cluster stating its
own counts as one) is withheld: its "average" would be one employer's requirement, shown to
everyone under the scope's name.
"""

from collections import defaultdict
from typing import Any

from quality.domain.importance_performance import CompetencyMeans, importance_performance
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork

MIN_STATING_EMPLOYERS = 3
WITHHELD = {"importance": None, "reason": f"fewer than {MIN_STATING_EMPLOYERS} employers stated it"}


async def stated_importance(
    uow: AbstractQualityUnitOfWork, *, scope: str, scope_id: str, years: range
) -> dict[str, tuple[float | None, int]]:
    """Competency → (mean stated importance, number of requirements stating it); the mean is
    None when fewer than ``MIN_STATING_EMPLOYERS`` employers stated it."""
    stated: dict[str, list[int]] = defaultdict(list)
    staters: dict[str, set[str]] = defaultdict(set)
    for by, importance in await uow.requirements.importance_for(
        scope=scope, scope_id=scope_id, years=years
    ):
        for code, value in importance.items():
            stated[code].append(value)
            staters[code].add(by)
    return {
        code: (sum(v) / len(v) if len(staters[code]) >= MIN_STATING_EMPLOYERS else None, len(v))
        for code, v in stated.items()
    }


def competency_gaps(
    card: dict[str, Any], importance: dict[str, tuple[float | None, int]]
) -> dict[str, Any]:
    """The quadrant of every competency with both a published mean and a stated importance;
    ``withheld``: the competencies whose importance too few employers stated, and why."""
    stated = {code: mean for code, (mean, _) in importance.items() if mean is not None}
    means = {
        code: CompetencyMeans(importance=stated[code], performance=c["mean"]["value"])
        for code, c in card["competencies"].items()
        if code in stated and not c["mean"]["suppressed"] and c["mean"]["value"] is not None
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
        "withheld": {code: WITHHELD for code in sorted(importance.keys() - stated.keys())},
        "not_analysed": sorted((set(card["competencies"]) | set(importance)) - set(analysed)),
    }
