"""Rater severity: how much more (or less) satisfied an employer says it is than the other
employers assessing graduates of the same programs, with a 90 % t interval."""

import random

import pytest

from shared.contracts.rater_severity import SeverityRules, rater_severity
from tests.unit.assessment.integrity_data import clean_period, row

RULES = SeverityRules()
T_95_2 = 2.919986  # Student t, 2 degrees of freedom, 95th percentile (two-sided 90 %)


def test_leniency_is_the_mean_deviation_from_the_other_employers_of_each_program():
    rows = [
        row("emp-x", "prog-a", overall=5),
        row("emp-x", "prog-b", overall=4),
        row("emp-x", "prog-a", overall=5),
        row("emp-y", "prog-a", overall=3),
        row("emp-y", "prog-b", overall=2),
        row("emp-z", "prog-a", overall=3),
        row("emp-z", "prog-b", overall=4),
    ]
    found = rater_severity(rows, rules=RULES)
    x = found["emp-x"]
    # Deviations 5 - 3, 4 - 3, 5 - 3: mean 5/3, s = sqrt(1/3).
    half = T_95_2 * (1 / 3) ** 0.5 / 3**0.5
    assert (x.n, x.programs, x.level, x.threshold) == (3, 2, 0.9, 0.5)
    assert x.leniency == pytest.approx(5 / 3)
    assert (x.ci_low, x.ci_high) == (pytest.approx(5 / 3 - half), pytest.approx(5 / 3 + half))
    assert x.flagged
    # Two deviations are too few for an interval: no estimate, no flag.
    y = found["emp-y"]
    assert (y.n, y.leniency, y.ci_low, y.ci_high, y.flagged) == (2, None, None, None, False)


def test_an_employer_assessing_one_program_only_has_no_estimate():
    rows = [row("emp-one", "prog-a", overall=5) for _ in range(5)]
    rows += [row(f"emp-{i}", "prog-a", overall=3) for i in range(3)]
    rows += [row(f"emp-{i}", "prog-b", overall=3) for i in range(3)]
    one = rater_severity(rows, rules=RULES)["emp-one"]
    assert (one.n, one.programs, one.leniency, one.flagged) == (5, 1, None, False)


def test_programs_with_fewer_than_two_other_employers_assessments_give_no_deviation():
    rows = [row("emp-x", program, overall=5) for program in ("prog-a", "prog-b") * 3]
    rows += [row("emp-y", "prog-a", overall=3), row("emp-y", "prog-b", overall=3)]
    rows += [row("emp-z", "prog-a", overall=3)]  # prog-b: one other-employer assessment
    x = rater_severity(rows, rules=RULES)["emp-x"]
    assert (x.n, x.programs, x.leniency) == (3, 1, None)


def test_known_leniency_is_recovered_within_its_interval_and_the_extremes_are_flagged():
    leniency = {f"emp-{e}": (-1.0, 0.0, 1.0)[e % 3] for e in range(30)}
    misses, estimates = 0, 0
    for seed in range(10):
        rows = clean_period(
            random.Random(seed),
            employers=30,
            each=(30, 40),
            leniency=leniency,
            noise=0.6,
            centre=3.0,
        )
        found = rater_severity(rows, rules=RULES)
        for employer, true in leniency.items():
            severity = found[employer]
            assert severity.leniency is not None and severity.programs >= 2
            assert severity.ci_low is not None and severity.ci_high is not None
            misses += not severity.ci_low <= true <= severity.ci_high
            estimates += 1
            assert severity.flagged == (true != 0), (seed, employer, severity)
    # 90 % intervals: about one in ten misses its true value (a little more, since each
    # program's reference mean is itself estimated from lenient and severe employers).
    assert misses / estimates <= 0.15, misses


def test_honest_employers_are_rarely_flagged_as_lenient_or_severe():
    flagged = 0
    for seed in range(5):
        found = rater_severity(clean_period(random.Random(seed), employers=20), rules=RULES)
        flagged += sum(s.flagged for s in found.values())
    assert flagged == 0
