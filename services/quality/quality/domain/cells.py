"""The running aggregate of one cell's active assessments, and of any scope built from cells.

The service keeps one `ScopeTally` per (program, period) cell, applies each assessment event to it
in constant time, and merges cells to score an organization, cluster, region or the nation. All
counts are integers, so a revision (remove the old state, add the new) or a withdrawal (remove)
subtracts exactly, and zero entries are dropped so an incrementally kept tally is equal (==) to
one rebuilt from the surviving states.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol, Self, TypeVar

from quality.domain.clustered import GroupMoments
from quality.domain.running import RATING_MAX, RATING_MIN, MeanTally, ProportionTally

# The state of one assessment revision, as carried by assessment.submitted/revised/withdrawn;
# the service adds RATING_DOMAINS when it first counts it.
AssessmentState = Mapping[str, Any]

# Competency code → domain code of the assessment's framework, as the service knew it when it
# first counted the state: kept with the state, so that removing it subtracts exactly the
# moments it added. A state without it was counted before moments were kept, and adds none.
RATING_DOMAINS = "rating_domains"
ALL_RATINGS = "*"  # the group of every rating of an assessment (the competency mean)

# 2 added the per-competency employer and graduate counts (issue 5: a competency rated by fewer
# than 5 distinct employers or graduates is never published); 3 the per-assessment moments of
# each group of ratings (clustered intervals). A schema 2 tally reads with no moments.
JSON_SCHEMA_VERSION = 3


class _Observation(NamedTuple):
    """The parts of an assessment state that a tally counts, checked before anything changes."""

    employer_id: str
    graduate_id: str
    overall: int
    preparedness: int
    would_hire_again: bool
    ratings: tuple[tuple[str, int | None], ...]
    groups: tuple[tuple[str, tuple[int, ...]], ...] | None  # None: counted without moments


@dataclass
class ScopeTally:
    """Integer tallies of the active assessments of one cell or scope.

    `competencies` holds the 1..5 ratings per competency code; a null rating ("not observed / not
    required") is counted in `not_rated` instead, so it never moves a mean. `employers` and
    `graduates` count active assessments per distinct id, for the small-cell rules;
    `competency_employers` and `competency_graduates` count, per competency code, the rated
    (non-null) answers per distinct id, so a figure counts only the people who rated it.
    `groups` keeps, per group of ratings, the integer moments of each assessment's sum and
    count of ratings (domain/clustered.py), so pooled figures get intervals by assessment.
    """

    overall: MeanTally = field(default_factory=MeanTally)
    preparedness: MeanTally = field(default_factory=MeanTally)
    would_hire_again: ProportionTally = field(default_factory=ProportionTally)
    competencies: dict[str, MeanTally] = field(default_factory=dict)
    not_rated: dict[str, int] = field(default_factory=dict)
    employers: dict[str, int] = field(default_factory=dict)
    graduates: dict[str, int] = field(default_factory=dict)
    competency_employers: dict[str, dict[str, int]] = field(default_factory=dict)
    competency_graduates: dict[str, dict[str, int]] = field(default_factory=dict)
    # Per group of ratings (ALL_RATINGS and each domain code): the assessments' moments.
    groups: dict[str, GroupMoments] = field(default_factory=dict)

    @classmethod
    def from_states(cls, states: Iterable[AssessmentState]) -> Self:
        tally = cls()
        for state in states:
            tally.add(state)
        return tally

    @classmethod
    def combine(cls, tallies: Iterable["ScopeTally"]) -> Self:
        """The sum of many tallies (e.g. every cell of a region), built in one pass."""
        total = cls()
        for tally in tallies:
            total._absorb(tally)
        return total

    @property
    def n(self) -> int:
        """Active assessments in the scope."""
        return self.overall.n

    def add(self, state: AssessmentState) -> None:
        self._apply(_observe(state), +1)

    def remove(self, state: AssessmentState) -> None:
        """Exact inverse of `add`; refuses (changing nothing) a state that was never counted."""
        observation = _observe(state)
        self._check_removable(observation)
        self._apply(observation, -1)

    def merge(self, other: "ScopeTally") -> "ScopeTally":
        """A new tally holding both (cells are disjoint sets of assessments, so counts add)."""
        return ScopeTally.combine((self, other))

    def to_json(self) -> dict[str, Any]:
        """JSON-safe: only string keys, integers and lists. n, Σx and Σx² follow from the counts."""
        return {
            "schema": JSON_SCHEMA_VERSION,
            "overall": list(self.overall.counts),
            "preparedness": list(self.preparedness.counts),
            "would_hire_again": {
                "yes": self.would_hire_again.successes,
                "no": self.would_hire_again.n - self.would_hire_again.successes,
            },
            "competencies": {code: list(t.counts) for code, t in sorted(self.competencies.items())},
            "not_rated": dict(sorted(self.not_rated.items())),
            "employers": dict(sorted(self.employers.items())),
            "graduates": dict(sorted(self.graduates.items())),
            "competency_employers": _nested_json(self.competency_employers),
            "competency_graduates": _nested_json(self.competency_graduates),
            "groups": {group: m.to_json() for group, m in sorted(self.groups.items())},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        if data.get("schema") == 1:
            # Schema 1 kept no per-competency employers or graduates, and they cannot be derived
            # from the scope-wide counts. Nothing was deployed with schema 1, so such a cell is
            # refused rather than migrated: rebuild it from the assessment events.
            raise ValueError(
                "scope tally schema 1 has no per-competency employer and graduate counts; "
                "rebuild the cell (`educluster quality rebuild`, or re-consume the assessment "
                "events)"
            )
        if data.get("schema") not in (2, JSON_SCHEMA_VERSION):
            raise ValueError(f"unknown scope tally schema {data.get('schema')!r}")
        hire = data["would_hire_again"]
        yes, no = _count(hire["yes"]), _count(hire["no"])
        return cls(
            overall=_mean_tally(data["overall"]),
            preparedness=_mean_tally(data["preparedness"]),
            would_hire_again=ProportionTally(successes=yes, n=yes + no),
            competencies={
                str(code): tally
                for code, counts in data["competencies"].items()
                if (tally := _mean_tally(counts)).n
            },
            not_rated=_positive_counts(data["not_rated"]),
            employers=_positive_counts(data["employers"]),
            graduates=_positive_counts(data["graduates"]),
            competency_employers=_nested_counts(data["competency_employers"]),
            competency_graduates=_nested_counts(data["competency_graduates"]),
            groups={
                str(group): moments
                for group, values in data.get("groups", {}).items()
                if not (moments := GroupMoments.from_json(values)).empty
            },
        )

    def _apply(self, obs: _Observation, sign: int) -> None:
        # Callers have validated `obs` (and, for a removal, that it was counted), so nothing
        # below can fail half-way through.
        _step(self.overall, obs.overall, sign)
        _step(self.preparedness, obs.preparedness, sign)
        self.would_hire_again.n += sign
        self.would_hire_again.successes += sign * obs.would_hire_again
        for code, rating in obs.ratings:
            if rating is None:
                _bump(self.not_rated, code, sign)
            else:
                tally = self.competencies.setdefault(code, MeanTally())
                _step(tally, rating, sign)
                if tally.n == 0:
                    del self.competencies[code]
                _bump_nested(self.competency_employers, code, obs.employer_id, sign)
                _bump_nested(self.competency_graduates, code, obs.graduate_id, sign)
        _bump(self.employers, obs.employer_id, sign)
        _bump(self.graduates, obs.graduate_id, sign)
        for group, ratings in obs.groups or ():
            moments = self.groups.setdefault(group, GroupMoments())
            moments.step(ratings, sign)
            if moments.empty:
                del self.groups[group]

    def _check_removable(self, obs: _Observation) -> None:
        hire = self.would_hire_again
        hire_counted = hire.successes if obs.would_hire_again else hire.n - hire.successes
        missing = [
            what
            for what, counted in (
                ("overall satisfaction", _rating_count(self.overall, obs.overall)),
                ("preparedness", _rating_count(self.preparedness, obs.preparedness)),
                ("would hire again", hire_counted),
                ("employer", self.employers.get(obs.employer_id, 0)),
                ("graduate", self.graduates.get(obs.graduate_id, 0)),
                *(
                    (f"ratings of group {group}", self.groups.get(group, GroupMoments()).n)
                    for group, _ in obs.groups or ()
                ),
                *(
                    (
                        f"competency {code}",
                        self.not_rated.get(code, 0)
                        if rating is None
                        else _rating_count(self.competencies.get(code), rating),
                    )
                    for code, rating in obs.ratings
                ),
                *(
                    check
                    for code, rating in obs.ratings
                    if rating is not None
                    for check in (
                        (
                            f"employer rating competency {code}",
                            self.competency_employers.get(code, {}).get(obs.employer_id, 0),
                        ),
                        (
                            f"graduate rated in competency {code}",
                            self.competency_graduates.get(code, {}).get(obs.graduate_id, 0),
                        ),
                    )
                ),
            )
            if counted == 0
        ]
        if missing:
            raise ValueError(f"cannot remove an assessment never counted: no {', '.join(missing)}")

    def _absorb(self, other: "ScopeTally") -> None:
        add_sums(self, other)
        add_counts(self.graduates, other.graduates)
        for code, counts in other.competency_graduates.items():
            add_counts(self.competency_graduates.setdefault(code, {}), counts)


class Sums(Protocol):
    """What a tally and a scope summary (domain/summary.py) both sum."""

    overall: MeanTally
    preparedness: MeanTally
    would_hire_again: ProportionTally
    competencies: dict[str, MeanTally]
    not_rated: dict[str, int]
    employers: dict[str, int]
    competency_employers: dict[str, dict[str, int]]
    groups: dict[str, GroupMoments]


def add_sums(into: Sums, other: Sums, sign: int = +1) -> None:
    """Add ``other``'s sums (sign +1) or take them away (−1); entries that reach zero are
    dropped, so sums kept by differences equal (==) sums made afresh."""
    _add_mean(into.overall, other.overall, sign)
    _add_mean(into.preparedness, other.preparedness, sign)
    into.would_hire_again.n += sign * other.would_hire_again.n
    into.would_hire_again.successes += sign * other.would_hire_again.successes
    for code, tally in other.competencies.items():
        mine = into.competencies.setdefault(code, MeanTally())
        _add_mean(mine, tally, sign)
        if mine.n == 0:
            del into.competencies[code]
    add_counts(into.not_rated, other.not_rated, sign)
    add_counts(into.employers, other.employers, sign)
    for code, counts in other.competency_employers.items():
        inner = into.competency_employers.setdefault(code, {})
        add_counts(inner, counts, sign)
        if not inner:
            del into.competency_employers[code]
    for group, moments in other.groups.items():
        mine_moments = into.groups.setdefault(group, GroupMoments())
        mine_moments.absorb(moments, sign)
        if mine_moments.empty:
            del into.groups[group]


K = TypeVar("K")


def add_counts(into: dict[K, int], other: Mapping[K, int], sign: int = +1) -> None:
    for key, count in other.items():
        value = into.get(key, 0) + sign * count
        if value:
            into[key] = value
        else:
            del into[key]


def _add_mean(into: MeanTally, other: MeanTally, sign: int) -> None:
    into.n += sign * other.n
    into.total += sign * other.total
    into.total_sq += sign * other.total_sq
    into.counts = [a + sign * b for a, b in zip(into.counts, other.counts, strict=True)]


def _observe(state: AssessmentState) -> _Observation:
    ratings = state["ratings"]
    if not isinstance(ratings, Mapping):
        raise TypeError("ratings map competency codes to a rating or null")
    would_hire_again = state["would_hire_again"]
    if not isinstance(would_hire_again, bool):
        raise TypeError("would_hire_again is a boolean")
    observed = tuple(
        (_identifier(code, "competency code"), None if r is None else _rating(r))
        for code, r in ratings.items()
    )
    return _Observation(
        employer_id=_identifier(state["employer_id"], "employer_id"),
        graduate_id=_identifier(state["graduate_id"], "graduate_id"),
        overall=_rating(state["overall_satisfaction"]),
        preparedness=_rating(state["preparedness"]),
        would_hire_again=would_hire_again,
        ratings=observed,
        groups=_groups(observed, state.get(RATING_DOMAINS)),
    )


def _groups(
    ratings: tuple[tuple[str, int | None], ...], domains: Any
) -> tuple[tuple[str, tuple[int, ...]], ...] | None:
    """The assessment's rated answers per group: every one, and those of each domain."""
    if domains is None:
        return None
    if not isinstance(domains, Mapping):
        raise TypeError(f"{RATING_DOMAINS} maps competency codes to domain codes")
    by_group: dict[str, list[int]] = {}
    for code, rating in ratings:
        if rating is None:
            continue
        by_group.setdefault(ALL_RATINGS, []).append(rating)
        domain = domains.get(code)
        if domain is not None:
            by_group.setdefault(_identifier(domain, "domain code"), []).append(rating)
    return tuple((group, tuple(values)) for group, values in sorted(by_group.items()))


def _identifier(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"{what} is a non-empty string")
    return value


def _rating(value: Any) -> int:
    # bool is an int subclass; True as a rating is a bug upstream, not a 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("ratings are integers")
    if not RATING_MIN <= value <= RATING_MAX:
        raise ValueError(f"ratings run from {RATING_MIN} to {RATING_MAX}, got {value}")
    return value


def _rating_count(tally: MeanTally | None, rating: int) -> int:
    return 0 if tally is None else tally.counts[rating - RATING_MIN]


def _step(tally: MeanTally, rating: int, sign: int) -> None:
    if sign > 0:
        tally.add(rating)
    else:
        tally.remove(rating)


def _bump(counts: dict[str, int], key: str, sign: int) -> None:
    value = counts.get(key, 0) + sign
    if value:
        counts[key] = value
    else:
        del counts[key]


def _bump_nested(counts: dict[str, dict[str, int]], code: str, key: str, sign: int) -> None:
    inner = counts.setdefault(code, {})
    _bump(inner, key, sign)
    if not inner:
        del counts[code]


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"a count is a non-negative integer, got {value!r}")
    return value


def _mean_tally(counts: Any) -> MeanTally:
    if not isinstance(counts, list) or len(counts) != RATING_MAX - RATING_MIN + 1:
        raise ValueError("a rating distribution lists one count per rating value")
    checked = [_count(count) for count in counts]
    ratings = range(RATING_MIN, RATING_MAX + 1)
    return MeanTally(
        n=sum(checked),
        total=sum(count * r for count, r in zip(checked, ratings, strict=True)),
        total_sq=sum(count * r * r for count, r in zip(checked, ratings, strict=True)),
        counts=checked,
    )


def _positive_counts(data: Mapping[str, Any]) -> dict[str, int]:
    return {str(key): count for key, value in data.items() if (count := _count(value))}


def _nested_counts(data: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    if not isinstance(data, Mapping) or not all(isinstance(v, Mapping) for v in data.values()):
        raise ValueError("per-competency counts map codes to counts per id")
    return {
        str(code): inner for code, counts in data.items() if (inner := _positive_counts(counts))
    }


def _nested_json(counts: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    return {code: dict(sorted(inner.items())) for code, inner in sorted(counts.items())}
