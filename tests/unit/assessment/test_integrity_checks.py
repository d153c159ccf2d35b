"""The integrity checks find planted patterns, with the numbers behind each flag, and stay
quiet on honest data drawn at random."""

import random
from dataclasses import replace
from datetime import timedelta

import pytest

from shared.contracts.integrity import (
    Assessed,
    Confirmation,
    IntegrityRules,
    burst,
    check_period,
    dominant_employer,
    largest_burst,
    provenance,
    self_confirmed,
    single_institution,
    straight_lined,
    straight_lining,
)
from tests.unit.assessment.integrity_data import (
    T0,
    VARIED,
    clean_period,
    many,
    moved,
    rating,
    row,
    same,
)

RULES = IntegrityRules()


# 1. One employer's share of a program's assessments


def test_a_program_one_employer_wrote_most_of_ten_or_more_assessments_is_flagged():
    rows = many(7, employer="emp-big") + many(3, employer="emp-a") + many(2, employer="emp-b")
    found = dominant_employer(rows, rules=RULES)
    assert found.flagged
    assert (found.n, found.employer_id, found.count) == (12, "emp-big", 7)
    assert found.share == pytest.approx(7 / 12)
    assert (found.threshold, found.min_n) == (0.5, 10)


def test_half_of_a_program_s_assessments_or_fewer_than_ten_in_all_is_not_flagged():
    half = many(6, employer="emp-big") + many(6, employer="emp-a")
    assert not dominant_employer(half, rules=RULES).flagged
    few = many(9, employer="emp-only")
    found = dominant_employer(few, rules=RULES)
    assert not found.flagged and found.share == 1.0 and found.n == 9


# 2. Straight-lining


def test_an_assessment_rating_five_or_more_competencies_all_alike_is_straight_lined():
    assert straight_lined(same(3, count=5), min_rated=5)
    assert straight_lined(same(5, count=10), min_rated=5)
    assert not straight_lined(same(3, count=4), min_rated=5)  # too few rated to tell
    assert not straight_lined({**same(3, count=6), "domain.competency_9": 4}, min_rated=5)
    assert not straight_lined(VARIED, min_rated=5)


def test_an_employer_whose_assessments_are_mostly_straight_lined_is_flagged():
    rows = many(4, ratings=same(4)) + many(2)
    found = straight_lining(rows, rules=RULES)
    assert found.flagged
    assert (found.n, found.straight_lined) == (6, 4)
    assert found.share == pytest.approx(4 / 6)
    assert (found.threshold, found.min_n, found.min_rated) == (0.5, 5, 5)


def test_half_straight_lined_or_fewer_than_five_assessments_is_not_flagged():
    assert not straight_lining(many(3, ratings=same(4)) + many(3), rules=RULES).flagged
    few = straight_lining(many(4, ratings=same(4)), rules=RULES)
    assert not few.flagged and few.share == 1.0


# 3. Bursts


def test_twenty_assessments_within_ten_minutes_are_a_burst_reported_with_its_window():
    spread = [T0 + timedelta(days=d) for d in range(1, 11)]
    rush = [T0 + timedelta(days=20, seconds=31 * i) for i in range(20)]
    rows = [row(at=t) for t in spread + rush]
    found = burst(rows, rules=RULES)
    assert found.flagged
    assert (found.n, found.largest) == (30, 20)
    assert (found.window_start, found.window_end) == (rush[0], rush[-1])
    assert (found.threshold, found.window_minutes) == (20, 10)


def test_twenty_assessments_spread_over_more_than_ten_minutes_are_no_burst():
    times = [T0 + timedelta(seconds=32 * i) for i in range(20)]  # 608 s first to last
    found = burst([row(at=t) for t in times], rules=RULES)
    assert not found.flagged and found.largest == 19


def test_the_largest_burst_is_found_by_a_sliding_window_in_any_order():
    times = [T0 + timedelta(minutes=m) for m in (50, 0, 1, 9, 30, 31, 32, 33, 2)]
    window = largest_burst(times, span=timedelta(minutes=10))
    assert window.count == 4
    assert (window.start, window.end) == (T0, T0 + timedelta(minutes=9))


# 4. Single-institution employers


def test_an_employer_assessing_ten_graduates_all_of_one_institution_is_flagged():
    found = single_institution(many(10, institution="inst-x"), rules=RULES)
    assert found.flagged
    assert (found.n, found.institutions, found.institution_id, found.min_n) == (
        10,
        1,
        "inst-x",
        10,
    )


def test_fewer_than_ten_or_graduates_of_two_institutions_is_not_flagged():
    assert not single_institution(many(9, institution="inst-x"), rules=RULES).flagged
    two = many(10, institution="inst-x") + many(1, institution="inst-y")
    found = single_institution(two, rules=RULES)
    assert not found.flagged and found.institutions == 2 and found.institution_id is None


# 5. Self-confirmed employments


def by(who, state="confirmed") -> Confirmation:
    return Confirmation(employer_id="emp-1", graduate_id="grad-1", state=state, changed_by=who)


def test_an_employment_confirmed_by_the_institution_alone_is_self_confirmed():
    assert provenance([by("institution")]) == "self"
    assert provenance([by("graduate")]) == "independent"
    assert provenance([by("ministry")]) == "independent"
    assert provenance([by("register", "verified")]) == "independent"
    assert provenance([by(None, "verified")]) == "independent"
    assert provenance([by("institution"), by("graduate")]) == "independent"
    assert provenance([by(None)]) == "unknown"  # confirmed before who confirmed was kept
    assert provenance([]) == "unknown"
    assert provenance([by("institution", "disputed")]) == "unknown"  # not counting


def test_a_program_whose_assessments_rest_mostly_on_its_own_confirmations_is_flagged():
    rows = (
        many(9, provenance="self")
        + many(1, provenance="independent")
        + many(3, provenance="unknown")
    )
    found = self_confirmed(rows, rules=RULES)
    assert found.flagged
    assert (found.n, found.self_confirmed, found.unknown) == (10, 9, 3)
    assert found.share == pytest.approx(0.9)
    assert (found.threshold, found.min_n) == (0.8, 10)


def test_eighty_percent_self_confirmed_or_fewer_than_ten_known_is_not_flagged():
    eighty = many(8, provenance="self") + many(2, provenance="independent")
    assert not self_confirmed(eighty, rules=RULES).flagged
    few = self_confirmed(many(9, provenance="self") + many(5, provenance="unknown"), rules=RULES)
    assert not few.flagged and few.n == 9 and few.share == 1.0
    none_known = self_confirmed(many(3, provenance="unknown"), rules=RULES)
    assert none_known.share is None and not none_known.flagged


# The whole period


def test_planted_patterns_are_flagged_on_their_program_or_employer_and_nowhere_else():
    rng = random.Random(20260302)
    rows = clean_period(rng, employers=12)

    def spread(employer: str, count: int, **fields) -> list[Assessed]:
        """Honest-looking rows over the clean period's programs (prog-p of inst-p%4)."""
        return [
            row(
                employer,
                f"prog-{i % 8}",
                institution=f"inst-{i % 4}",
                overall=rating(rng, 3.4, 0.8),
                at=T0 + timedelta(days=i),
                **fields,
            )
            for i in range(count)
        ]

    rows += spread("emp-liner", 12, ratings=same(5, count=8))
    rush = spread("emp-rush", 25)
    rows += [
        replace(r, submitted_at=T0 + timedelta(days=40, seconds=20 * i)) for i, r in enumerate(rush)
    ]
    rows += moved(many(11, employer="emp-local", program="prog-9"), institution_id="inst-9")
    rows += many(15, employer="emp-owner", program="prog-owned", provenance="self")

    report = check_period(rows, period=2026, rules=RULES)
    flagged = {e.employer_id: e.flags for e in report.employers if e.flags}
    assert flagged == {
        "emp-liner": ("straight_lining",),
        "emp-rush": ("burst",),
        "emp-local": ("single_institution",),
        "emp-owner": ("single_institution",),
    }
    programs = {p.program_id: p.flags for p in report.programs if p.flags}
    assert programs == {
        "prog-9": ("dominant_employer",),
        "prog-owned": ("dominant_employer", "self_confirmed"),
    }
    assert report.n == len(rows) and report.period == 2026
    owned = next(p for p in report.programs if p.program_id == "prog-owned")
    assert owned.institution_id == "inst-1" and owned.n == 15


@pytest.mark.parametrize("seed", range(5))
def test_twenty_honest_employers_raise_no_flag(seed):
    rows = clean_period(random.Random(seed), employers=20)
    report = check_period(rows, period=2026, rules=RULES)
    assert [(e.employer_id, e.flags) for e in report.employers if e.flags] == []
    assert [(p.program_id, p.flags) for p in report.programs if p.flags] == []
    assert len(report.employers) == 20 and len(report.programs) == 8
