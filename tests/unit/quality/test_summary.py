"""Scope summaries: a parent scored from the sum of its programs' summaries, or from a sum kept
by differences, gets exactly the figures of the parent scored from its merged tallies."""

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from quality.domain.cells import RATING_DOMAINS, ScopeTally
from quality.domain.index import DEFAULT_METHODOLOGY
from quality.domain.outcomes import OutcomeCounts
from quality.domain.scorecard import CoverageCounts
from quality.domain.scoring import score
from quality.domain.summary import ScopeSummary

DOMAINS = {"F1": "foundation", "F2": "foundation", "T1": "technical"}
PROGRAMS = ["p1", "p2", "p3"]

state_strategy = st.fixed_dictionaries(
    {
        "program": st.sampled_from(PROGRAMS),
        "employer_id": st.sampled_from(["e1", "e2", "e3", "e4", "e5", "e6"]),
        "graduate": st.integers(0, 9),
        "ratings": st.dictionaries(
            st.sampled_from(list(DOMAINS)), st.none() | st.integers(1, 5), max_size=3
        ),
        "overall_satisfaction": st.integers(1, 5),
        "preparedness": st.integers(1, 5),
        "would_hire_again": st.booleans(),
    }
)


def state(drawn: dict[str, Any]) -> dict[str, Any]:
    # A graduate belongs to one program: the property the summaries' graduate counts rest on.
    return {
        **drawn,
        "graduate_id": f"{drawn['program']}-g{drawn['graduate']}",
        RATING_DOMAINS: DOMAINS,
    }


def tallies(states: list[dict[str, Any]]) -> dict[str, ScopeTally]:
    by_program = {program: ScopeTally() for program in PROGRAMS}
    for drawn in states:
        by_program[drawn["program"]].add(state(drawn))
    return by_program


def card(figures: ScopeTally | ScopeSummary) -> dict[str, Any]:
    return score(
        figures,
        outcomes=OutcomeCounts(),
        coverage=CoverageCounts(assessed=0, graduates=0),
        domains=DOMAINS,
        methodology=DEFAULT_METHODOLOGY,
    ).to_json()


@settings(max_examples=150, deadline=None)
@given(st.lists(state_strategy, max_size=40))
def test_a_parent_scored_from_its_programs_summaries_matches_its_merged_tally(
    states: list[dict[str, Any]],
) -> None:
    by_program = tallies(states)
    merged = ScopeTally.combine(by_program.values())
    summed = ScopeSummary.total(ScopeSummary.of(t, DOMAINS) for t in by_program.values())
    assert summed == ScopeSummary.of(merged, DOMAINS)
    assert card(summed) == card(merged)


@settings(max_examples=150, deadline=None)
@given(st.lists(state_strategy, max_size=40), st.lists(state_strategy, max_size=15))
def test_a_summary_kept_by_differences_equals_one_summed_afresh(
    before: list[dict[str, Any]], more: list[dict[str, Any]]
) -> None:
    old = tallies(before)
    kept = ScopeSummary.total(ScopeSummary.of(t, DOMAINS) for t in old.values())
    # One program changes: some of its assessments go, others arrive.
    changed = [s for s in before if s["program"] != "p1" or s["graduate"] % 2] + [
        s for s in more if s["program"] == "p1"
    ]
    new = tallies(changed)
    kept.absorb(ScopeSummary.of(old["p1"], DOMAINS), -1)
    kept.absorb(ScopeSummary.of(new["p1"], DOMAINS))
    fresh = ScopeSummary.total(ScopeSummary.of(t, DOMAINS) for t in new.values())
    assert kept == fresh
    assert card(kept) == card(ScopeTally.combine(new.values()))


def test_distinct_graduates_are_counted_per_rating_group() -> None:
    tally = ScopeTally()
    tally.add(state({**_one("g1"), "ratings": {"F1": 4, "T1": None}}))
    tally.add(state({**_one("g2"), "ratings": {"F2": 5, "T1": 3}}))
    tally.add(state({**_one("g1"), "employer_id": "e2", "ratings": {"F2": 4}}))
    summary = ScopeSummary.of(tally, DOMAINS)
    assert summary.graduates == 2
    assert summary.rated_by(("all", "*")) == 2
    assert summary.rated_by(("domain", "foundation")) == 2
    assert summary.rated_by(("domain", "technical")) == 1  # g1's T1 was not rated
    assert summary.rated_by(("competency", "F1")) == 1
    assert summary.rated_by(("competency", "T1")) == 1


def _one(graduate: str) -> dict[str, Any]:
    return {
        "program": "p1",
        "employer_id": "e1",
        "graduate": graduate,
        "ratings": {},
        "overall_satisfaction": 4,
        "preparedness": 4,
        "would_hire_again": True,
    }
