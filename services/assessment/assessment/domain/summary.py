"""What an institution may see of the assessments of one of its programs in one period.

Item distributions, never an employer's or a graduate's identity, never free-text comments
(they stay with their author), and nothing at all unless enough assessments, employers and
graduates stand behind the figures that no employer's view of one graduate can be read back:
- at least ``min_assessments`` assessments, of at least that many graduates, by at least
  ``min_employers`` employers;
- dominance: with any one employer's assessments taken away the rest still meets that rule,
  so an employer that wrote most of a cell cannot subtract its own and learn the others;
- each competency's distribution obeys the same rule among those who rated it.
One period at a time (pooled years minus one year would give the other), one program at a time.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

SCALE = ("1", "2", "3", "4", "5")
Row = dict[str, Any]


@dataclass(frozen=True)
class SummaryRules:
    min_assessments: int = 5
    min_employers: int = 3


def distribution(values: Iterable[int | None]) -> dict[str, int]:
    """Counts per scale point, plus ``not_rated`` for "not observed / not required"."""
    counts = Counter("not_rated" if v is None else str(v) for v in values)
    return {key: counts.get(key, 0) for key in (*SCALE, "not_rated")}


def _short_of(rows: Sequence[Row], rules: SummaryRules) -> str | None:
    """What the primary rule finds missing in ``rows``, or None."""
    if len(rows) < rules.min_assessments:
        return f"fewer than {rules.min_assessments} assessments"
    if len({r["graduate_id"] for r in rows}) < rules.min_assessments:
        return f"fewer than {rules.min_assessments} graduates assessed"
    if len({r["employer_id"] for r in rows}) < rules.min_employers:
        return f"fewer than {rules.min_employers} employers"
    return None


def withheld_because(rows: Sequence[Row], rules: SummaryRules) -> str | None:
    """Why ``rows`` may not be shown (primary rule, then dominance), or None."""
    short = _short_of(rows, rules)
    if short is not None:
        return short
    for employer in {r["employer_id"] for r in rows}:
        if _short_of([r for r in rows if r["employer_id"] != employer], rules) is not None:
            return "one employer wrote so many of them that it could subtract its own"
    return None


def summarize(
    assessments: Sequence[Row], *, competencies: Sequence[str], rules: SummaryRules
) -> dict[str, Any]:
    """Distributions over the period's active ``assessments``, or a suppression reason."""
    n = len(assessments)
    reason = withheld_because(assessments, rules)
    if reason is not None:
        return {"n": n, "suppressed": True, "reason": f"{reason}: not shown, to protect them"}
    hire = Counter(a["would_hire_again"] for a in assessments)
    return {
        "n": n,
        "suppressed": False,
        "reason": None,
        "overall_satisfaction": distribution(a["overall_satisfaction"] for a in assessments),
        "preparedness": distribution(a["preparedness"] for a in assessments),
        "would_hire_again": {"yes": hire.get(True, 0), "no": hire.get(False, 0)},
        "competencies": {code: _competency(assessments, code, rules) for code in competencies},
    }


def _competency(
    assessments: Sequence[Row], code: str, rules: SummaryRules
) -> dict[str, int] | None:
    raters = [a for a in assessments if a["ratings"].get(code) is not None]
    if raters and withheld_because(raters, rules) is not None:
        return None  # too few, or one dominant, among those who rated it
    return distribution(a["ratings"].get(code) for a in assessments)
