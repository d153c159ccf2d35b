"""Integrity checks over one period's active assessments: patterns that make an assessment's
inputs doubtful. They are shown to the ministry, never applied: a flag asks a question and
changes no figure (docs/assessment.md, "Integrity checks"; formulas in docs/methodology.md).

Every check returns the numbers behind its verdict (n, the share or statistic, the threshold),
whether it flags or not. Rater severity, the one check across employers and programs, is in
shared/contracts/rater_severity.py. Shared: the quality service runs the same checks for each
publication's audit (those its data allows).
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal, Protocol, TypeVar

from shared.contracts.catalogue.registry import (
    COUNTING_EMPLOYMENT_STATES,
    EmploymentChanger,
    EmploymentStatus,
)
from shared.contracts.rater_severity import Severity, SeverityRules, rater_severity

# Who made the employment behind an assessment count: the institution being scored ("self"),
# someone else ("independent": the graduate with a code, the ministry, a register), or not
# known (confirmed before the projection kept who confirmed, or no counting employment left).
Provenance = Literal["self", "independent", "unknown"]
K = TypeVar("K")


@dataclass(frozen=True)
class IntegrityRules:
    """The checks' thresholds (docs/methodology.md, "Integrity checks"). A share flags when it
    is above its threshold, a count when it reaches it; no check flags below its ``min_n``."""

    # 1. one employer wrote more than half of a program's assessments (of 10 or more)
    dominance_share: float = 0.5
    dominance_min_n: int = 10
    # 2. more than half of an employer's assessments (of 5 or more) are straight-lined: at
    #    least 5 competencies rated, all alike
    straight_share: float = 0.5
    straight_min_n: int = 5
    straight_min_rated: int = 5
    # 3. 20 or more of an employer's assessments submitted within 10 minutes
    burst_count: int = 20
    burst_minutes: int = 10
    # 4. 10 or more of an employer's assessments, all of graduates of one institution
    single_institution_min_n: int = 10
    # 5. more than 80 % of a program's assessments (of 10 or more known) rest on employments
    #    its own institution confirmed
    self_confirmed_share: float = 0.8
    self_confirmed_min_n: int = 10
    # 6. an employer more lenient or severe than the others assessing the same programs
    severity: SeverityRules = field(default_factory=SeverityRules)


@dataclass(frozen=True)
class Assessed:
    """One active assessment as the checks read it."""

    employer_id: str
    graduate_id: str
    program_id: str
    institution_id: str
    ratings: Mapping[str, int | None]
    overall_satisfaction: int
    # Unknown to the quality service, which checks what its data allows (no bursts).
    submitted_at: datetime | None = None
    provenance: Provenance = "unknown"


@dataclass(frozen=True)
class Confirmation:
    """A counting employment of a graduate by an employer, and who moved it to its state."""

    employer_id: str
    graduate_id: str
    state: EmploymentStatus
    changed_by: EmploymentChanger | None


def provenance(confirmations: Iterable[Confirmation]) -> Provenance:
    """How the employer's counting employments of the graduate in the period were established:
    independently if any was (a register verified it, or someone other than the institution
    confirmed it), self if the institution confirmed one, else unknown."""
    counting = [c for c in confirmations if c.state in COUNTING_EMPLOYMENT_STATES]
    if any(c.state == "verified" or c.changed_by not in (None, "institution") for c in counting):
        return "independent"
    if any(c.changed_by == "institution" for c in counting):
        return "self"
    return "unknown"


# Per program


@dataclass(frozen=True)
class DominantEmployer:
    """The employer that wrote most of a program's assessments, and its share."""

    n: int
    employer_id: str
    count: int
    share: float
    threshold: float
    min_n: int
    flagged: bool


def dominant_employer(rows: Sequence[Assessed], *, rules: IntegrityRules) -> DominantEmployer:
    """Flag: share > threshold of n >= min_n (one program's rows, at least one)."""
    counts = Counter(r.employer_id for r in rows)
    # The most assessments first, then the smallest id: the same answer on every read.
    employer_id, count = min(counts.items(), key=lambda item: (-item[1], item[0]))
    n, share = len(rows), count / len(rows)
    return DominantEmployer(
        n=n,
        employer_id=employer_id,
        count=count,
        share=share,
        threshold=rules.dominance_share,
        min_n=rules.dominance_min_n,
        flagged=n >= rules.dominance_min_n and share > rules.dominance_share,
    )


@dataclass(frozen=True)
class SelfConfirmed:
    """How many of a program's assessments rest on employments its own institution confirmed;
    ``n`` counts those whose provenance is known, ``unknown`` the others."""

    n: int
    self_confirmed: int
    unknown: int
    share: float | None
    threshold: float
    min_n: int
    flagged: bool


def self_confirmed(rows: Sequence[Assessed], *, rules: IntegrityRules) -> SelfConfirmed:
    """Flag: share > threshold of n >= min_n known provenances."""
    kinds = Counter(r.provenance for r in rows)
    n = kinds["self"] + kinds["independent"]
    share = kinds["self"] / n if n else None
    return SelfConfirmed(
        n=n,
        self_confirmed=kinds["self"],
        unknown=kinds["unknown"],
        share=share,
        threshold=rules.self_confirmed_share,
        min_n=rules.self_confirmed_min_n,
        flagged=share is not None
        and n >= rules.self_confirmed_min_n
        and share > rules.self_confirmed_share,
    )


# Per employer


def straight_lined(ratings: Mapping[str, int | None], *, min_rated: int) -> bool:
    """At least ``min_rated`` competencies rated (not null), all with the same value."""
    rated = [v for v in ratings.values() if v is not None]
    return len(rated) >= min_rated and len(set(rated)) == 1


@dataclass(frozen=True)
class StraightLining:
    n: int
    straight_lined: int
    share: float
    threshold: float
    min_n: int
    min_rated: int
    flagged: bool


def straight_lining(rows: Sequence[Assessed], *, rules: IntegrityRules) -> StraightLining:
    """Flag: share of straight-lined assessments > threshold of n >= min_n (one employer's)."""
    count = sum(straight_lined(r.ratings, min_rated=rules.straight_min_rated) for r in rows)
    n, share = len(rows), count / len(rows)
    return StraightLining(
        n=n,
        straight_lined=count,
        share=share,
        threshold=rules.straight_share,
        min_n=rules.straight_min_n,
        min_rated=rules.straight_min_rated,
        flagged=n >= rules.straight_min_n and share > rules.straight_share,
    )


@dataclass(frozen=True)
class Window:
    """The most submissions within one span: how many, the first and the last of them."""

    count: int
    start: datetime
    end: datetime


def largest_burst(times: Iterable[datetime], *, span: timedelta) -> Window:
    """The largest number of ``times`` (at least one) less than ``span`` from the first of
    them: a window sliding over the times in order (the earliest such window on a tie)."""
    ordered = sorted(times)
    best = Window(count=1, start=ordered[0], end=ordered[0])
    first = 0
    for last, at in enumerate(ordered):
        while at - ordered[first] >= span:
            first += 1
        if last - first + 1 > best.count:
            best = Window(count=last - first + 1, start=ordered[first], end=at)
    return best


@dataclass(frozen=True)
class Burst:
    n: int
    largest: int
    window_start: datetime
    window_end: datetime
    window_minutes: int
    threshold: int
    flagged: bool


def burst(rows: Sequence[Assessed], *, rules: IntegrityRules) -> Burst:
    """Flag: at least ``threshold`` submissions within ``window_minutes`` (one employer's)."""
    span = timedelta(minutes=rules.burst_minutes)
    times = [r.submitted_at for r in rows if r.submitted_at is not None]
    window = largest_burst(times, span=span)
    return Burst(
        n=len(rows),
        largest=window.count,
        window_start=window.start,
        window_end=window.end,
        window_minutes=rules.burst_minutes,
        threshold=rules.burst_count,
        flagged=window.count >= rules.burst_count,
    )


@dataclass(frozen=True)
class SingleInstitution:
    """How many institutions an employer's assessed graduates come from (the one, if one)."""

    n: int
    institutions: int
    institution_id: str | None
    min_n: int
    flagged: bool


def single_institution(rows: Sequence[Assessed], *, rules: IntegrityRules) -> SingleInstitution:
    """Flag: n >= min_n assessments, all of graduates of one institution (one employer's)."""
    institutions = {r.institution_id for r in rows}
    only = next(iter(institutions)) if len(institutions) == 1 else None
    return SingleInstitution(
        n=len(rows),
        institutions=len(institutions),
        institution_id=only,
        min_n=rules.single_institution_min_n,
        flagged=only is not None and len(rows) >= rules.single_institution_min_n,
    )


# The period


class _Verdict(Protocol):
    @property
    def flagged(self) -> bool: ...


def _raised(**checks: _Verdict) -> tuple[str, ...]:
    """The names of the checks that flag, in the order given."""
    return tuple(name for name, check in checks.items() if check.flagged)


@dataclass(frozen=True)
class ProgramChecks:
    program_id: str
    institution_id: str
    n: int
    dominant_employer: DominantEmployer
    self_confirmed: SelfConfirmed
    flags: tuple[str, ...]  # the names of the checks that flag it


def _program_checks(program_id: str, rows: list[Assessed], rules: IntegrityRules) -> ProgramChecks:
    dominant, own = dominant_employer(rows, rules=rules), self_confirmed(rows, rules=rules)
    return ProgramChecks(
        program_id=program_id,
        institution_id=rows[0].institution_id,
        n=len(rows),
        dominant_employer=dominant,
        self_confirmed=own,
        flags=_raised(dominant_employer=dominant, self_confirmed=own),
    )


@dataclass(frozen=True)
class EmployerChecks:
    employer_id: str
    n: int
    straight_lining: StraightLining
    burst: Burst
    single_institution: SingleInstitution
    severity: Severity
    flags: tuple[str, ...]  # the names of the checks that flag it


@dataclass(frozen=True)
class IntegrityReport:
    """Every program and employer with active assessments in the period, each check's numbers
    and the names of the checks that flag it."""

    period: int
    n: int
    programs: tuple[ProgramChecks, ...]
    employers: tuple[EmployerChecks, ...]


def _grouped(rows: Iterable[Assessed], key: Callable[[Assessed], K]) -> dict[K, list[Assessed]]:
    groups: dict[K, list[Assessed]] = defaultdict(list)
    for r in rows:
        groups[key(r)].append(r)
    return groups


def check_period(
    rows: Sequence[Assessed], *, period: int, rules: IntegrityRules
) -> IntegrityReport:
    """Every check over one period's active assessments, programs and employers by id."""
    programs = _grouped(rows, lambda r: r.program_id)
    employers = _grouped(rows, lambda r: r.employer_id)
    severity = rater_severity(rows, rules=rules.severity)
    return IntegrityReport(
        period=period,
        n=len(rows),
        programs=tuple(
            _program_checks(program_id, of_program, rules)
            for program_id, of_program in sorted(programs.items())
        ),
        employers=tuple(
            _employer_checks(employer_id, of_employer, rules, severity[employer_id])
            for employer_id, of_employer in sorted(employers.items())
        ),
    )


def _employer_checks(
    employer_id: str, rows: list[Assessed], rules: IntegrityRules, severity: Severity
) -> EmployerChecks:
    straight, bursts = straight_lining(rows, rules=rules), burst(rows, rules=rules)
    single = single_institution(rows, rules=rules)
    return EmployerChecks(
        employer_id=employer_id,
        n=len(rows),
        straight_lining=straight,
        burst=bursts,
        single_institution=single,
        severity=severity,
        flags=_raised(
            straight_lining=straight, burst=bursts, single_institution=single, severity=severity
        ),
    )
