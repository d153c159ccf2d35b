"""A program summary never lets one employer's view of one graduate be read back.

Found by an audit (the publication issue, channel 5): five assessments by one employer were
summarised exactly, with their free-text comments; an employer that wrote most of a cell could
subtract its own; and one employer's five yearly assessments of one graduate came back in full.
"""

from assessment.domain.summary import SummaryRules, summarize

RULES = SummaryRules(min_assessments=5, min_employers=3)
COMPETENCIES = ["a.one", "a.two"]


def row(employer: str, graduate: str, *, overall=4, ratings=None, comment="kind words"):
    return {
        "employer_id": employer,
        "graduate_id": graduate,
        "overall_satisfaction": overall,
        "preparedness": 3,
        "would_hire_again": True,
        "ratings": ratings if ratings is not None else {"a.one": 4, "a.two": 3},
        "comment": comment,
    }


def spread(employers: int, each: int, **changes):
    return [
        row(f"emp-{e}", f"grad-{e}-{i}", **changes) for e in range(employers) for i in range(each)
    ]


def test_one_employer_s_assessments_are_never_summarised_however_many():
    summary = summarize(spread(1, 8), competencies=COMPETENCIES, rules=RULES)
    assert summary["suppressed"] is True and summary["n"] == 8
    assert "employers" in summary["reason"]
    assert "overall_satisfaction" not in summary


def test_a_cell_one_employer_dominates_is_withheld_as_it_could_subtract_its_own():
    rows = spread(1, 46) + [row("emp-a", "g-a"), row("emp-b", "g-b"), row("emp-c", "g-c")]
    summary = summarize(rows, competencies=COMPETENCIES, rules=RULES)
    assert summary["suppressed"] is True
    assert "one employer" in summary["reason"]


def test_one_graduate_assessed_again_and_again_is_not_summarised():
    rows = [row(f"emp-{e}", "the-graduate") for e in range(6)]
    summary = summarize(rows, competencies=COMPETENCIES, rules=RULES)
    assert summary["suppressed"] is True and "graduates" in summary["reason"]


def test_a_summary_from_enough_employers_shows_distributions_and_never_comments():
    summary = summarize(spread(4, 2), competencies=COMPETENCIES, rules=RULES)
    assert summary["suppressed"] is False and summary["n"] == 8
    assert summary["overall_satisfaction"]["4"] == 8
    assert "comments" not in summary and "kind words" not in str(summary)


def test_a_competency_too_few_employers_rated_is_withheld_on_its_own():
    rows = spread(4, 2, ratings={"a.one": 4, "a.two": None})
    rows[0]["ratings"] = {"a.one": 4, "a.two": 5}
    summary = summarize(rows, competencies=COMPETENCIES, rules=RULES)
    assert summary["suppressed"] is False
    assert summary["competencies"]["a.one"]["4"] == 8
    assert summary["competencies"]["a.two"] is None
