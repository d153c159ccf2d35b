"""Small-cell rules: which figures may be published, and which must be hidden to protect others.

A suppressed figure is published as "no value, a reason instead" so readers see why it is missing.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum


class FigureKind(StrEnum):
    SHARE = "share"
    MEAN = "mean"


@dataclass(frozen=True)
class SuppressionThresholds:
    """Minimum sizes for publishing (issue 5 defaults; a methodology version may change them)."""

    min_share_n: int = 10
    min_mean_n: int = 8
    min_employers: int = 5
    min_graduates: int = 5
    # How far, below and above, the range of a hidden share that anyone can infer from every
    # publication must reach (the disclosure audit; docs/methodology.md).
    protection_width: float = 0.10

    def __post_init__(self) -> None:
        if not 0 < self.protection_width < 0.5:
            raise ValueError("protection_width is a share width between 0 and 0.5")


DEFAULT_THRESHOLDS = SuppressionThresholds()


def suppression_reason(
    *,
    kind: FigureKind,
    n: int,
    employers: int | None,
    graduates: int | None,
    thresholds: SuppressionThresholds = DEFAULT_THRESHOLDS,
    counted: str = "assessments",
) -> str | None:
    """Why one figure may not be published, or None when it may.

    `n` is the number of assessments (or outcomes) behind the figure; `employers` and `graduates`
    are distinct counts, None when the figure does not describe that kind of person (an employment
    outcome of unemployed graduates names no employer). The first failing rule is reported;
    `counted` names what `n` counts in that reason (employment outcomes count graduates).
    """
    minimum = thresholds.min_share_n
    if kind is FigureKind.MEAN:
        # One threshold for a cell's share and its mean: n, a mean and its interval give Σx
        # and Σx², from which a few ratings' distribution (the hidden share) can be read back.
        minimum = max(thresholds.min_mean_n, thresholds.min_share_n)
    if n < minimum:
        return f"fewer than {minimum} {counted}"
    if employers is not None and employers < thresholds.min_employers:
        return f"fewer than {thresholds.min_employers} distinct employers"
    if graduates is not None and graduates < thresholds.min_graduates:
        return f"fewer than {thresholds.min_graduates} distinct graduates"
    return None


DOMINANCE_REASON = "one employer wrote most of these assessments"


def dominance_reason(
    *,
    kind: FigureKind,
    n: int,
    by_employer: Mapping[str, int],
    thresholds: SuppressionThresholds = DEFAULT_THRESHOLDS,
) -> str | None:
    """Why a figure that passes the small-cell rules is still hidden: with its largest
    employer's assessments taken away, the rest would not pass them, so that employer could
    subtract its own and learn the others'. ``by_employer``: assessments per employer."""
    if not by_employer:
        return None
    rest = n - max(by_employer.values())
    employers = len(by_employer) - 1
    kept = suppression_reason(
        kind=kind, n=rest, employers=employers, graduates=None, thresholds=thresholds
    )
    return DOMINANCE_REASON if kept is not None else None


@dataclass(frozen=True)
class SecondarySuppression:
    """Outcome for one parent cell and its children."""

    suppressed: frozenset[str]  # primary and secondary together
    secondary: frozenset[str]  # children hidden only to protect another child
    parent_suppressed: bool  # given as suppressed, or no child could protect the residual


def secondary_suppression(
    *, parent_published: bool, children: Mapping[str, int], primary: Collection[str]
) -> SecondarySuppression:
    """Hide enough children that no suppressed child is the parent minus the published children.

    Treats the parent as the sum of its children, so parent − Σ published = Σ suppressed (the
    residual). A suppressed set is safe when none or at least two of its children have a positive
    count: then every suppressed child is strictly below the residual. (One positive child equals
    the residual; a zero-count child reveals nothing — its n is published anyway — and adds
    nothing to hide behind, e.g. a competency nobody rated.) While unsafe, the
    published child with the smallest positive count (ties by id) is suppressed too, which hides
    the least information. If no such child is left, the parent itself must be suppressed (and the
    primary set alone is then enough).

    With the parent suppressed there is nothing to subtract from, so only the primary set holds.
    The rule works on one parent at a time: callers repeat it over the scope hierarchy (a child
    hidden here is a parent or a sibling elsewhere) until nothing changes.
    """
    unknown = set(primary) - children.keys()
    if unknown:
        raise ValueError(f"primary suppression names unknown children: {sorted(unknown)}")
    if any(count < 0 for count in children.values()):
        raise ValueError("child counts cannot be negative")
    suppressed = set(primary)
    if not parent_published:
        return SecondarySuppression(frozenset(suppressed), frozenset(), parent_suppressed=True)

    def positive_hidden() -> int:
        return sum(1 for child in suppressed if children[child] > 0)

    while positive_hidden() == 1:
        candidates = [c for c, count in children.items() if c not in suppressed and count > 0]
        if not candidates:
            # Hiding the parent protects the primary cells on its own; no complements needed.
            return SecondarySuppression(frozenset(primary), frozenset(), parent_suppressed=True)
        suppressed.add(min(candidates, key=lambda c: (children[c], c)))
    return SecondarySuppression(
        frozenset(suppressed), frozenset(suppressed - set(primary)), parent_suppressed=False
    )
