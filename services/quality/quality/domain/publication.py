"""Publications: what non-ministry readers see, and the rules that keep each release safe.

A publication is an immutable, numbered set of every scorecard of one period (the year and the
3-year pool ending in it) under one methodology version. It is computed from *released* cells:
each (program, year) cell as the publications state it. A cell moves to its live state only
when the changes since its last release (assessments submitted, revised or withdrawn) number at
least the primary threshold and come from at least the minimum of distinct employers, so any
difference between two publications — of a scope, or of a scope and an overlapping one — is a
sum of such batches and never isolates fewer assessments than a published cell may hold.
Smaller batches wait for the next publication (``held back``).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from quality.domain.model import Card, ScopeKey
from quality.domain.suppression import SuppressionThresholds
from shared.platform.errors import Conflict, NotFound, RuleViolation

Kind = Literal["official", "interim"]
Status = Literal["draft", "published"]
CellKey = tuple[str, int]  # (program id, year)
FigureKey = tuple[ScopeKey, bool]  # (scope, scope id), pooled


@dataclass(frozen=True)
class PendingChanges:
    """The assessments changed in one cell since its last release, and their employers."""

    assessments: frozenset[str]
    employers: frozenset[str]


def releasable(
    pending: Mapping[CellKey, PendingChanges], thresholds: SuppressionThresholds
) -> set[CellKey]:
    """The cells whose waiting changes are a batch large enough to be released together."""
    minimum = max(thresholds.min_share_n, thresholds.min_mean_n)
    return {
        cell
        for cell, changes in pending.items()
        if len(changes.assessments) >= minimum
        and len(changes.employers) >= thresholds.min_employers
    }


@dataclass(frozen=True)
class ReleasedCell:
    """A cell's new released state in a publication, and the changes it takes in."""

    program_id: str
    period: int
    tally: dict[str, Any]  # ScopeTally.to_json()
    changes: frozenset[str]


@dataclass(frozen=True)
class FigureQuery:
    """An institution's query on one figure of a draft release, and the ministry's answer."""

    id: str
    publication: int
    scope: str
    scope_id: str
    pooled: bool
    indicator: str
    reason: str
    raised_by: str
    raised_at: datetime
    answer: str | None = None
    answered_at: datetime | None = None


@dataclass(frozen=True)
class Publication:
    number: int
    period: int
    kind: Kind
    status: Status
    methodology_version: int
    created_at: datetime
    review_until: datetime | None = None
    published_at: datetime | None = None
    restates: int | None = None
    reason: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def release(self) -> Literal["official", "provisional"]:
        """How readers see it: an official release, or a provisional interim publication."""
        return "official" if self.kind == "official" else "provisional"

    def ensure_draft(self) -> None:
        if self.status != "draft":
            raise Conflict(f"publication {self.number} is published and never changes")

    def ensure_open_for_queries(self, at: datetime) -> None:
        """Queries are filed on an official draft, during its review window."""
        self.ensure_draft()
        if self.kind != "official":
            raise Conflict(f"publication {self.number} is not an official release under review")
        if self.review_until is not None and at > self.review_until:
            raise Conflict(f"the review of publication {self.number} closed at {self.review_until}")


def ensure_may_open_release(
    period: int,
    *,
    published: Publication | None,
    draft: Publication | None,
    restate: bool,
    reason: str | None,
) -> None:
    """An official release of ``period`` may be opened: one draft at a time, a published
    release is only ever restated (with a reason)."""
    if draft is not None:
        raise Conflict(f"publication {draft.number} of {period} is already under review")
    if restate and not (reason and reason.strip()):
        raise RuleViolation("reason", "a restatement says why it corrects the release")
    if published is not None and not restate:
        raise Conflict(
            f"{period} was released as publication {published.number}; "
            "a correction is a restatement (restate: true, with a reason)"
        )
    if restate and published is None:
        raise Conflict(f"{period} has no official release to restate")


def ensure_figure(cards: Mapping[FigureKey, Card], key: FigureKey, indicator: str) -> None:
    """The figure a query names exists in the publication."""
    card = cards.get(key)
    if card is None:
        raise NotFound(f"publication figure of {key[0][0]}", key[0][1])
    if indicator != "index" and indicator not in card["indicators"]:
        raise RuleViolation("indicator", f"the scorecard has no indicator {indicator!r}")


def changed_figures(before: Mapping[FigureKey, Card], after: Mapping[FigureKey, Card]) -> list[str]:
    """The scorecards that differ between two publications, as ``scope:id:year|pool``."""
    keys = set(before) | set(after)
    return sorted(
        f"{scope}:{scope_id}:{'pool' if pooled else 'year'}"
        for (scope, scope_id), pooled in keys
        if _figures(before.get(((scope, scope_id), pooled)))
        != _figures(after.get(((scope, scope_id), pooled)))
    )


def _figures(card: Card | None) -> Any:
    """What a reader sees of a card (its computation time aside)."""
    if card is None:
        return None
    return {k: v for k, v in card.items() if k != "computed_at"}


def suppressed_count(cards: Mapping[FigureKey, Card]) -> int:
    """Figures withheld in a publication: indicators and the index with a reason."""
    hidden = 0
    for card in cards.values():
        hidden += sum(1 for f in card["indicators"].values() if f["suppressed"])
        hidden += 1 if card["index"]["suppressed"] else 0
    return hidden
