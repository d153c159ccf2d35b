"""What an institution may see of the assessments of one of its programs.

Item distributions and comments, never an employer's identity, and nothing at all below the
small-cell threshold: with fewer assessments than that, a distribution or a comment could be
traced back to one employer's view of one graduate.
"""

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

SCALE = ("1", "2", "3", "4", "5")


def distribution(values: Iterable[int | None]) -> dict[str, int]:
    """Counts per scale point, plus ``not_rated`` for "not observed / not required"."""
    counts = Counter("not_rated" if v is None else str(v) for v in values)
    return {key: counts.get(key, 0) for key in (*SCALE, "not_rated")}


def summarize(
    assessments: Sequence[dict[str, Any]], *, competencies: Sequence[str], min_cell: int
) -> dict[str, Any]:
    """Distributions over ``assessments`` (active ones), or a suppression reason."""
    n = len(assessments)
    if n < min_cell:
        return {
            "n": n,
            "suppressed": True,
            "reason": f"fewer than {min_cell} assessments: not shown, to protect those assessed",
        }
    hire = Counter(a["would_hire_again"] for a in assessments)
    comments = [a["comment"] for a in assessments if a.get("comment")]
    # Shuffled so their order says nothing about when or by whom they were written.
    random.SystemRandom().shuffle(comments)
    return {
        "n": n,
        "suppressed": False,
        "reason": None,
        "overall_satisfaction": distribution(a["overall_satisfaction"] for a in assessments),
        "preparedness": distribution(a["preparedness"] for a in assessments),
        "would_hire_again": {"yes": hire.get(True, 0), "no": hire.get(False, 0)},
        "competencies": {
            code: distribution(a["ratings"].get(code) for a in assessments) for code in competencies
        },
        "comments": comments,
    }
