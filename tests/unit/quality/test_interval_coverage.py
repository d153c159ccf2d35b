"""Coverage of the pooled figures' intervals under realistic, correlated ratings: an employer's
ratings of one graduate share a halo, so a domain's six ratings are not six observations.

Each simulated sample is 30 assessments of 24 competencies in four domains; its scorecard's
domain mean, domain share satisfied and competency mean are checked against the true values
of the same model (a large sample). A nominal 90 % interval must cover at least 88 % of the
time; the former interval (ratings as independent) is shown to fall far short.
"""

import random
from typing import Any

from quality.domain.cells import RATING_DOMAINS, ScopeTally
from quality.domain.intervals import mean_interval
from quality.domain.outcomes import OutcomeCounts
from quality.domain.scorecard import CoverageCounts
from quality.domain.scoring import score

DOMAINS = {f"{d}{i}": d for d in ("A", "B", "C", "D") for i in range(6)}
CODE_MEANS = {code: 3.1 + 0.15 * (i % 6) for i, code in enumerate(DOMAINS)}
HALO_SD, NOISE_SD, NOT_RATED = 0.7, 0.6, 0.1  # within-assessment correlation about 0.5
ASSESSMENTS, SAMPLES = 30, 400
NOMINAL, REQUIRED = 0.90, 0.88


def ratings(rng: random.Random) -> dict[str, int | None]:
    halo = rng.gauss(0, HALO_SD)
    return {
        code: None
        if rng.random() < NOT_RATED
        else min(5, max(1, round(mean + halo + rng.gauss(0, NOISE_SD))))
        for code, mean in CODE_MEANS.items()
    }


def sample(rng: random.Random) -> list[dict[str, Any]]:
    return [
        {
            "employer_id": f"e{i}",
            "graduate_id": f"g{i}",
            "ratings": ratings(rng),
            "overall_satisfaction": 4,
            "preparedness": 4,
            "would_hire_again": True,
            RATING_DOMAINS: DOMAINS,
        }
        for i in range(ASSESSMENTS)
    ]


def pooled(states: list[dict[str, Any]], domain: str | None) -> list[int]:
    return [
        r
        for state in states
        for code, r in state["ratings"].items()
        if r is not None and (domain is None or DOMAINS[code] == domain)
    ]


def truth() -> dict[str, float]:
    """The model's pooled mean and share ≥ 4 (ratio of expectations), from 40,000 draws."""
    rng = random.Random(7)
    states = [{"ratings": ratings(rng)} for _ in range(40_000)]
    domain, every = pooled(states, "A"), pooled(states, None)
    return {
        "domain mean": sum(domain) / len(domain),
        "domain satisfied": sum(r >= 4 for r in domain) / len(domain),
        "competency mean": sum(every) / len(every),
    }


def test_pooled_intervals_cover_the_truth_and_the_independent_ratings_interval_did_not() -> None:
    true = truth()
    rng = random.Random(2026)
    covered = {name: 0 for name in true}
    covered_before = {"domain mean": 0, "competency mean": 0}
    for _ in range(SAMPLES):
        states = sample(rng)
        card = score(
            ScopeTally.from_states(states),
            outcomes=OutcomeCounts(),
            coverage=CoverageCounts(assessed=0, graduates=0),
            domains=DOMAINS,
        )
        figures = {
            "domain mean": card.domains["A"].mean,
            "domain satisfied": card.domains["A"].satisfied,
            "competency mean": card.indicators["competency_mean"],
        }
        for name, figure in figures.items():
            assert figure.ci_low is not None and figure.ci_high is not None, name
            covered[name] += figure.ci_low <= true[name] <= figure.ci_high
        # The former interval: every rating as an independent observation.
        for name, domain in (("domain mean", "A"), ("competency mean", None)):
            values = pooled(states, domain)
            low, high = mean_interval(
                sum_=sum(values), sum_sq=sum(r * r for r in values), n=len(values), level=NOMINAL
            )
            covered_before[name] += low <= true[name] <= high

    coverage = {name: count / SAMPLES for name, count in covered.items()}
    assert all(share >= REQUIRED for share in coverage.values()), coverage
    # 64 % and 37 % here (the issue measured 32.5 % for 24 correlated ratings).
    assert covered_before["domain mean"] / SAMPLES < 0.75, covered_before
    assert covered_before["competency mean"] / SAMPLES < 0.5, covered_before
