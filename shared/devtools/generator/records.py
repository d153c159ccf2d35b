"""What a generated world is made of: plain records, each named by a key that is stable for a
given size and seed (the loader derives its Idempotency-Keys from them)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Organization:
    key: str
    kind: str  # education, employer, research, private
    subtype: str  # university, college, technikum; an ISIC section; research_institute; ...
    name: str
    region_code: str
    tax_id: str
    # An institution's broad ISCED-F field (None: many), its effect on its programs' quality.
    focus: str | None = None
    effect: float = 0.0
    # An employer's leniency (added to every rating it gives) and its size (its share of hires).
    leniency: float = 0.0
    hiring: float = 1.0


@dataclass(frozen=True, slots=True)
class Program:
    key: str
    institution_key: str
    code: str
    name: str
    level: str  # ISCED 2011
    field_code: str  # ISCED-F 2013 detailed field
    language: str
    quality: float  # latent, about N(0, 1): what employers' ratings are drawn around
    trend: float  # change of the quality a year (cohort years after the middle one gain it)
    cohorts: tuple[int, ...]  # graduates of each cohort year, oldest first


@dataclass(frozen=True, slots=True)
class Member:
    organization_key: str
    role: str  # coordinator, education, employer, research, private_partner
    # Members joined as the cluster grew; the coordinator joins as the cluster is created
    # (the API dates that membership from the day of the request).
    joined_on: date | None


@dataclass(frozen=True, slots=True)
class Cluster:
    key: str
    name: str
    region_code: str
    sectors: tuple[str, ...]
    coordinator_key: str
    members: tuple[Member, ...]  # the coordinator first (it joins as the cluster is created)
    field_code: str  # the field of its theme most taught in the region: what it states needs for


@dataclass(frozen=True, slots=True)
class Requirement:
    """What an employer (``employer_key``) or a cluster (``cluster_key``, stated by its
    coordinator ``speaker_key``) needs from graduates of a field: importance 1..5."""

    key: str
    speaker_key: str
    employer_key: str | None
    cluster_key: str | None
    field_code: str
    importance: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Employment:
    employer_key: str
    start_date: date
    isco_code: str
    position: str
    in_field: bool


@dataclass(frozen=True, slots=True)
class Graduate:
    institution_key: str
    program_key: str
    student_ref: str  # unique in its institution
    full_name: str
    graduation_year: int
    ability: float  # latent, the graduate's own: added to every rating of them
    employment: Employment | None

    @property
    def key(self) -> str:
        return f"{self.institution_key}/{self.student_ref}"


@dataclass(frozen=True, slots=True)
class Assessment:
    employer_key: str
    graduate_key: str
    program_key: str
    period: int
    ratings: Mapping[str, int | None]  # None: not observed
    overall_satisfaction: int
    preparedness: int
    would_hire_again: bool


@dataclass(frozen=True)
class Calendar:
    """A world's years: ``cohorts`` cohorts graduated in the years before ``year``, assessed
    in as many periods up to ``year``; jobs are known as they stood at the end of last year."""

    year: int
    cohorts: int

    @property
    def cohort_years(self) -> tuple[int, ...]:
        return tuple(range(self.year - self.cohorts, self.year))

    @property
    def periods(self) -> tuple[int, ...]:
        return tuple(range(self.year - self.cohorts + 1, self.year + 1))

    @property
    def middle(self) -> int:
        """The year a program's quality is its latent quality (its trend counts from it)."""
        return self.year - (self.cohorts + 1) // 2

    @property
    def as_of(self) -> date:
        return date(self.year - 1, 12, 31)
