"""Running aggregates that each event updates in constant time.

Everything is an integer count or sum, so removing a revised or withdrawn observation subtracts
exactly and the running tally always equals a from-scratch computation over the same events.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Self

from quality.domain.intervals import Interval, mean_interval, wilson_interval

RATING_MIN = 1
RATING_MAX = 5
SATISFIED_FROM = 4  # "satisfied" means a rating of 4 or 5 on the 1..5 scale


@dataclass
class ProportionTally:
    """How many of n observations are successes (e.g. overall satisfaction ≥ 4)."""

    successes: int = 0
    n: int = 0

    @classmethod
    def from_values(cls, values: Iterable[bool]) -> Self:
        tally = cls()
        for value in values:
            tally.add(value)
        return tally

    def add(self, success: bool) -> None:
        self.n += 1
        self.successes += int(success)

    def remove(self, success: bool) -> None:
        # Refusing to go negative catches a withdrawal of something never counted.
        counted = self.successes if success else self.n - self.successes
        if counted == 0:
            raise ValueError(f"cannot remove a {'success' if success else 'failure'}: none counted")
        self.n -= 1
        self.successes -= int(success)

    @property
    def share(self) -> float | None:
        return self.successes / self.n if self.n else None

    def interval(self, level: float = 0.90) -> Interval:
        return wilson_interval(self.successes, self.n, level)


@dataclass
class MeanTally:
    """Ratings on the 1..5 scale: n, Σx, Σx² and the count of each rating value."""

    n: int = 0
    total: int = 0
    total_sq: int = 0
    counts: list[int] = field(default_factory=lambda: [0] * (RATING_MAX - RATING_MIN + 1))

    @classmethod
    def from_values(cls, ratings: Iterable[int]) -> Self:
        tally = cls()
        for rating in ratings:
            tally.add(rating)
        return tally

    def add(self, rating: int) -> None:
        self._apply(rating, +1)

    def remove(self, rating: int) -> None:
        if self.counts[_index(rating)] == 0:
            raise ValueError(f"cannot remove a rating of {rating}: none counted")
        self._apply(rating, -1)

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.n else None

    def distribution(self) -> dict[int, int]:
        """Count per rating value, every value 1..5 present (zeros included)."""
        return {RATING_MIN + i: count for i, count in enumerate(self.counts)}

    def satisfied(self, threshold: int = SATISFIED_FROM) -> ProportionTally:
        """The share rating `threshold` or above, read off the distribution."""
        return ProportionTally(successes=sum(self.counts[_index(threshold) :]), n=self.n)

    def interval(self, level: float = 0.90) -> Interval:
        return mean_interval(sum_=self.total, sum_sq=self.total_sq, n=self.n, level=level)

    def _apply(self, rating: int, sign: int) -> None:
        self.counts[_index(rating)] += sign
        self.n += sign
        self.total += sign * rating
        self.total_sq += sign * rating * rating


def _index(rating: int) -> int:
    # bool is an int subclass; a True rating is a bug upstream, not a 1.
    if isinstance(rating, bool) or not isinstance(rating, int):
        raise TypeError("ratings are integers")
    if not RATING_MIN <= rating <= RATING_MAX:
        raise ValueError(f"ratings run from {RATING_MIN} to {RATING_MAX}, got {rating}")
    return rating - RATING_MIN
