"""The cluster comparison holds to the scorecards' rules (channel 4 of the publication issue):
dominance counts, and a figure the cluster's scorecard withholds is not re-published here."""

from typing import Any

from quality.domain.cells import ScopeTally
from quality.domain.index import DEFAULT_METHODOLOGY
from quality.domain.suppression import DOMINANCE_REASON
from quality.service_layer.comparison import comparison_group, published_in


def states(employers: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "assessment_id": f"a{i}",
            "revision": 1,
            "employer_id": employer,
            "graduate_id": f"g{i}",
            "program_id": "p1",
            "institution_id": "i1",
            "field_code": "0613",
            "level": "6",
            "graduation_year": 2023,
            "period": 2024,
            "framework_id": "f1",
            "framework_version": 1,
            "ratings": {},
            "overall_satisfaction": 5 if i % 3 else 2,
            "preparedness": 4,
            "would_hire_again": True,
        }
        for i, employer in enumerate(employers)
    ]


def test_a_group_one_employer_dominates_is_withheld():
    dominated = ScopeTally.from_states(states(["big"] * 40 + [f"e{i}" for i in range(5)]))
    group = comparison_group(dominated, DEFAULT_METHODOLOGY)
    assert group["share"] is None and group["reason"] == DOMINANCE_REASON


def test_a_balanced_group_is_shown():
    balanced = ScopeTally.from_states(states([f"e{i % 9}" for i in range(27)]))
    group = comparison_group(balanced, DEFAULT_METHODOLOGY)
    assert group["reason"] is None and group["n"] == 27
    assert group["share"] == 18 / 27


def test_the_members_figure_is_compared_only_where_the_cluster_publishes_it():
    shown = {"indicators": {"employer_satisfaction": {"suppressed": False}}}
    hidden = {"indicators": {"employer_satisfaction": {"suppressed": True}}}
    assert published_in(shown)
    assert not published_in(hidden) and not published_in(None)
