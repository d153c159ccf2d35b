"""Cell tallies: exact add/remove/merge, JSON round trips, and incremental = from scratch."""

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from quality.domain.cells import RATING_DOMAINS, ScopeTally
from quality.domain.clustered import GroupMoments
from quality.domain.running import MeanTally, ProportionTally

DOMAINS = {"F1": "foundation", "T1": "technical"}


def assessment(
    assessment_id: str = "a1",
    *,
    employer_id: str = "e1",
    graduate_id: str = "g1",
    program_id: str = "p1",
    period: int = 2024,
    ratings: dict[str, int | None] | None = None,
    overall: int = 4,
    preparedness: int = 4,
    would_hire_again: bool = True,
    revision: int = 1,
) -> dict[str, Any]:
    return {
        "assessment_id": assessment_id,
        "revision": revision,
        "employer_id": employer_id,
        "graduate_id": graduate_id,
        "program_id": program_id,
        "institution_id": "i1",
        "field_code": "0613",
        "level": "6",
        "graduation_year": 2023,
        "period": period,
        "framework_id": "educluster-ess",
        "framework_version": 1,
        "ratings": {"F1": 4, "T1": 5} if ratings is None else ratings,
        "overall_satisfaction": overall,
        "preparedness": preparedness,
        "would_hire_again": would_hire_again,
        RATING_DOMAINS: DOMAINS,
    }


def test_an_assessment_counts_its_ratings_its_employer_and_its_graduate() -> None:
    tally = ScopeTally.from_states([assessment(ratings={"F1": 4, "T1": 5}, overall=5)])
    assert tally.overall == MeanTally.from_values([5])
    assert tally.preparedness == MeanTally.from_values([4])
    assert tally.would_hire_again == ProportionTally(successes=1, n=1)
    assert tally.competencies == {
        "F1": MeanTally.from_values([4]),
        "T1": MeanTally.from_values([5]),
    }
    assert tally.employers == {"e1": 1}
    assert tally.graduates == {"g1": 1}
    assert tally.n == 1


def test_a_competency_not_observed_is_counted_apart_and_never_moves_the_mean() -> None:
    tally = ScopeTally.from_states(
        [
            assessment("a1", ratings={"F1": 2, "T1": None}),
            assessment("a2", ratings={"F1": 4, "T1": 5}, graduate_id="g2"),
        ]
    )
    assert tally.competencies["T1"] == MeanTally.from_values([5])
    assert tally.not_rated == {"T1": 1}
    assert tally.competencies["F1"].mean == 3.0


def test_a_competency_counts_only_the_employers_and_graduates_who_rated_it() -> None:
    tally = ScopeTally.from_states(
        [
            assessment("a1", ratings={"F1": 2, "T1": None}),
            assessment("a2", employer_id="e2", graduate_id="g2", ratings={"F1": 4, "T1": 5}),
            assessment("a3", employer_id="e2", graduate_id="g3", ratings={"F1": None, "T1": 3}),
        ]
    )
    assert tally.competency_employers == {"F1": {"e1": 1, "e2": 1}, "T1": {"e2": 2}}
    assert tally.competency_graduates == {"F1": {"g1": 1, "g2": 1}, "T1": {"g2": 1, "g3": 1}}
    assert tally.employers == {"e1": 1, "e2": 2}


def test_a_competency_nobody_rated_any_more_leaves_no_empty_entry_behind() -> None:
    rated = assessment("a1", ratings={"F1": 4, "T1": 5})
    skipped = assessment("a2", graduate_id="g2", ratings={"F1": 3, "T1": None})
    tally = ScopeTally.from_states([rated, skipped])
    tally.remove(rated)
    assert tally.competency_employers == {"F1": {"e1": 1}}
    assert tally.competency_graduates == {"F1": {"g2": 1}}
    assert tally == ScopeTally.from_states([skipped])


def test_two_assessments_of_one_graduate_by_one_employer_count_as_one_distinct_each() -> None:
    tally = ScopeTally.from_states([assessment("a1"), assessment("a2", period=2023)])
    assert tally.employers == {"e1": 2}
    assert tally.graduates == {"g1": 2}


def test_withdrawing_the_only_assessment_leaves_a_tally_equal_to_a_new_one() -> None:
    state = assessment(ratings={"F1": 3, "T1": None})
    tally = ScopeTally.from_states([state])
    tally.remove(state)
    assert tally == ScopeTally()


def test_revising_an_assessment_is_removing_the_old_state_and_adding_the_new() -> None:
    old = assessment(ratings={"F1": 2, "T1": None}, overall=2, would_hire_again=False)
    new = assessment(ratings={"F1": 5, "D1": 4}, overall=5, employer_id="e2", revision=2)
    other = assessment("a2", graduate_id="g2")
    tally = ScopeTally.from_states([old, other])
    tally.remove(old)
    tally.add(new)
    assert tally == ScopeTally.from_states([other, new])


def test_removing_an_assessment_never_counted_is_refused_and_changes_nothing() -> None:
    counted = assessment(ratings={"F1": 4})
    tally = ScopeTally.from_states([counted])
    with pytest.raises(ValueError, match="competency F1"):
        tally.remove(assessment(ratings={"F1": 3}))
    with pytest.raises(ValueError, match="employer"):
        tally.remove(assessment(ratings={"F1": 4}, employer_id="e9"))
    assert tally == ScopeTally.from_states([counted])


def test_removing_a_rating_by_an_employer_who_never_rated_that_competency_is_refused() -> None:
    # Each part alone was counted (e2, g2, an F1 of 4), but e2 and g2 never rated F1.
    counted = [
        assessment("a1", ratings={"F1": 4}),
        assessment("a2", employer_id="e2", graduate_id="g2", ratings={"F1": None}),
    ]
    tally = ScopeTally.from_states(counted)
    with pytest.raises(ValueError, match="employer rating competency F1"):
        tally.remove(assessment("a2", employer_id="e2", graduate_id="g2", ratings={"F1": 4}))
    assert tally == ScopeTally.from_states(counted)


def test_an_invalid_rating_is_refused_before_anything_is_counted() -> None:
    tally = ScopeTally()
    with pytest.raises(ValueError):
        tally.add(assessment(ratings={"F1": 4, "T1": 6}))
    with pytest.raises(TypeError):
        tally.add(assessment(ratings={"F1": True}))
    with pytest.raises(TypeError):
        tally.add({**assessment(), "would_hire_again": "yes"})
    assert tally == ScopeTally()


def test_merging_two_cells_adds_their_counts_and_leaves_both_unchanged() -> None:
    a = ScopeTally.from_states([assessment("a1")])
    b = ScopeTally.from_states([assessment("a2", graduate_id="g2", ratings={"F1": None})])
    merged = a.merge(b)
    assert merged == ScopeTally.from_states(
        [assessment("a1"), assessment("a2", graduate_id="g2", ratings={"F1": None})]
    )
    assert merged.employers == {"e1": 2}
    assert a == ScopeTally.from_states([assessment("a1")])
    assert ScopeTally.combine([a, b, ScopeTally()]) == merged


def test_an_assessment_adds_the_moments_of_its_ratings_per_group() -> None:
    tally = ScopeTally.from_states([assessment(ratings={"F1": 4, "T1": 5, "X": 2, "Y": None})])
    # All ratings: k = 3, S = 11; Y (≥ 2, 3, 4, 5) = 3, 2, 2, 1.
    assert tally.groups["*"] == GroupMoments(
        n=1, k=3, k2=9, s=11, s2=121, sk=33, y=[3, 2, 2, 1], y2=[9, 4, 4, 1], yk=[9, 6, 6, 3]
    )
    assert tally.groups["foundation"] == GroupMoments(
        n=1, k=1, k2=1, s=4, s2=16, sk=4, y=[1, 1, 1, 0], y2=[1, 1, 1, 0], yk=[1, 1, 1, 0]
    )
    assert set(tally.groups) == {"*", "foundation", "technical"}  # X has no domain


def test_a_state_counted_before_moments_were_kept_adds_and_removes_none() -> None:
    old = {k: v for k, v in assessment("old").items() if k != RATING_DOMAINS}
    tally = ScopeTally.from_states([assessment("new", employer_id="e2"), old])
    assert tally.groups["*"].n == 1
    tally.remove(old)
    assert tally == ScopeTally.from_states([assessment("new", employer_id="e2")])


def test_removing_moments_never_counted_is_refused_and_changes_nothing() -> None:
    old = {k: v for k, v in assessment("old").items() if k != RATING_DOMAINS}
    tally = ScopeTally.from_states([old])
    before = tally.to_json()
    with pytest.raises(ValueError, match="group"):
        tally.remove(assessment("old"))
    assert tally.to_json() == before


def test_a_stored_tally_of_schema_2_reads_with_no_moments() -> None:
    data = ScopeTally.from_states([assessment()]).to_json()
    del data["groups"]
    tally = ScopeTally.from_json({**data, "schema": 2})
    assert tally.groups == {}
    assert tally.n == 1


def test_a_tally_survives_a_json_column_exactly() -> None:
    tally = ScopeTally.from_states(
        [
            assessment("a1", ratings={"F1": 4, "T1": None}, would_hire_again=False),
            assessment("a2", graduate_id="g2", employer_id="e2", ratings={"F1": 1, "T1": 5}),
        ]
    )
    stored = json.loads(json.dumps(tally.to_json()))
    assert ScopeTally.from_json(stored) == tally
    assert stored["would_hire_again"] == {"yes": 1, "no": 1}
    assert stored["competencies"]["F1"] == [1, 0, 0, 1, 0]
    assert stored["competency_employers"] == {"F1": {"e1": 1, "e2": 1}, "T1": {"e2": 1}}
    assert stored["competency_graduates"] == {"F1": {"g1": 1, "g2": 1}, "T1": {"g2": 1}}


def test_an_empty_tally_survives_a_json_column_exactly() -> None:
    assert ScopeTally.from_json(json.loads(json.dumps(ScopeTally().to_json()))) == ScopeTally()


def test_a_stored_tally_of_an_unknown_schema_is_refused() -> None:
    with pytest.raises(ValueError, match="schema"):
        ScopeTally.from_json({**ScopeTally().to_json(), "schema": 99})


def test_a_stored_tally_of_schema_1_is_refused_with_a_call_to_rebuild_the_cell() -> None:
    data = ScopeTally.from_states([assessment()]).to_json()
    del data["competency_employers"], data["competency_graduates"]
    with pytest.raises(ValueError, match="schema 1 .*educluster quality rebuild"):
        ScopeTally.from_json({**data, "schema": 1})


def test_a_stored_tally_with_a_negative_per_competency_count_is_refused() -> None:
    data = ScopeTally().to_json()
    data["competency_graduates"] = {"F1": {"g1": -1}}
    with pytest.raises(ValueError):
        ScopeTally.from_json(data)


def test_a_stored_tally_with_a_negative_count_is_refused() -> None:
    data = ScopeTally().to_json()
    data["employers"] = {"e1": -1}
    with pytest.raises(ValueError):
        ScopeTally.from_json(data)


def rated_by(states: list[dict[str, Any]], who: str) -> dict[str, dict[str, int]]:
    """Per competency, the rated (non-null) answers per employer or graduate, counted directly."""
    counts: dict[str, dict[str, int]] = {}
    for state in states:
        for code, rating in state["ratings"].items():
            if rating is not None:
                inner = counts.setdefault(code, {})
                inner[state[who]] = inner.get(state[who], 0) + 1
    return counts


# --- The consumer as the service will run it: inbox of processed event ids, one cell per
# (program, period), each cell stored as JSON between events.

# Null ("not observed / not required") is one of the two branches, so competencies rated by only
# some of a cell's employers or graduates are common.
ratings_strategy = st.dictionaries(
    st.sampled_from(["F1", "F2", "T1"]), st.none() | st.integers(1, 5), max_size=3
)
state_strategy = st.fixed_dictionaries(
    {
        "employer_id": st.sampled_from(["e1", "e2", "e3"]),
        "graduate_id": st.sampled_from(["g1", "g2", "g3", "g4"]),
        "program_id": st.sampled_from(["p1", "p2"]),
        "period": st.sampled_from([2023, 2024]),
        "ratings": ratings_strategy,
        "overall": st.integers(1, 5),
        "preparedness": st.integers(1, 5),
        "would_hire_again": st.booleans(),
    }
)
operation_strategy = st.one_of(
    st.tuples(st.just("submit"), st.sampled_from(["a1", "a2", "a3", "a4"]), state_strategy),
    st.tuples(st.just("revise"), st.sampled_from(["a1", "a2", "a3", "a4"]), state_strategy),
    st.tuples(st.just("withdraw"), st.sampled_from(["a1", "a2", "a3", "a4"]), st.none()),
    st.tuples(st.just("redeliver"), st.integers(0, 1000), st.none()),
)


def event_stream(operations: list[tuple[str, Any, Any]]) -> tuple[list[dict[str, Any]], dict]:
    """What the assessment service would publish, redeliveries included, and the final truth."""
    events: list[dict[str, Any]] = []
    active: dict[str, dict[str, Any]] = {}
    revisions: dict[str, int] = {}
    for kind, target, fields in operations:
        if kind == "redeliver":
            if events:
                events.append(events[target % len(events)])
            continue
        if kind == "withdraw":
            if target in active:
                events.append({"id": f"ev{len(events)}", "type": "withdrawn", **active.pop(target)})
            continue
        if kind == "revise" and target not in active:
            continue  # the assessment service refuses to revise what is not active
        if kind == "submit" and target in revisions:
            continue  # an assessment id is submitted once
        revisions[target] = revisions.get(target, 0) + 1
        state = assessment(target, revision=revisions[target], **fields)
        event_type = "submitted" if kind == "submit" else "revised"
        events.append({"id": f"ev{len(events)}", "type": event_type, **state})
        active[target] = state
    return events, active


def consume(events: list[dict[str, Any]]) -> dict[tuple[str, int], ScopeTally]:
    inbox: set[str] = set()
    current: dict[str, dict[str, Any]] = {}  # the service's projection of active assessments
    stored: dict[tuple[str, int], dict[str, Any]] = {}  # the JSON column, one row per cell

    def apply(state: dict[str, Any], sign: int) -> None:
        cell = (state["program_id"], state["period"])
        tally = ScopeTally.from_json(stored[cell]) if cell in stored else ScopeTally()
        if sign > 0:
            tally.add(state)
        else:
            tally.remove(state)
        stored[cell] = json.loads(json.dumps(tally.to_json()))

    for event in events:
        if event["id"] in inbox:
            continue  # a redelivery changes nothing
        inbox.add(event["id"])
        state = {k: v for k, v in event.items() if k not in ("id", "type")}
        previous = current.get(state["assessment_id"])
        if event["type"] == "withdrawn":
            apply(state, -1)
            del current[state["assessment_id"]]
            continue
        if previous is not None:
            apply(previous, -1)
        apply(state, +1)
        current[state["assessment_id"]] = state
    return {cell: ScopeTally.from_json(data) for cell, data in stored.items()}


@settings(max_examples=300, deadline=None)
@given(st.lists(operation_strategy, max_size=40))
def test_incremental_cells_equal_a_rebuild_from_the_active_assessments(operations) -> None:
    events, active = event_stream(operations)
    cells = consume(events)
    for cell, tally in cells.items():
        expected = [s for s in active.values() if (s["program_id"], s["period"]) == cell]
        assert tally == ScopeTally.from_states(expected)
        assert tally.competency_employers == rated_by(expected, "employer_id")
        assert tally.competency_graduates == rated_by(expected, "graduate_id")
    assert ScopeTally.combine(cells.values()) == ScopeTally.from_states(active.values())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(state_strategy, max_size=6), max_size=4))
def test_merging_cells_equals_the_tally_of_all_their_assessments(groups) -> None:
    cells = [
        ScopeTally.from_states(assessment(f"a{g}-{i}", **s) for i, s in enumerate(group))
        for g, group in enumerate(groups)
    ]
    everything = [
        assessment(f"a{g}-{i}", **s) for g, group in enumerate(groups) for i, s in enumerate(group)
    ]
    merged = ScopeTally()
    for cell in cells:
        merged = merged.merge(cell)
    assert merged == ScopeTally.from_states(everything)
    assert ScopeTally.combine(cells) == merged
    assert merged.competency_employers == rated_by(everything, "employer_id")
    assert merged.competency_graduates == rated_by(everything, "graduate_id")
