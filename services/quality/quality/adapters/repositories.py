"""The quality service's repositories: the ports its use cases rely on (abstract classes).

SQL implementations: adapters/sql_repositories.py (event-side state and what is published),
adapters/registry_projection.py (the registry facts) and adapters/scoring_queries.py (the
read side of scoring, many scopes at once). In-memory fakes live in the unit tests.
Lists are keyset pages (shared.platform.db.keyset).
"""

import abc
from collections.abc import AsyncIterator, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from quality.domain.cells import ScopeTally
from quality.domain.flows import CensusJob, Employer
from quality.domain.model import (
    Alert,
    Card,
    CountedAssessment,
    Exclusion,
    Families,
    Mark,
    ProgramKind,
    Requirement,
    ScopeKey,
    StoredScore,
)
from quality.domain.outcomes import OutcomeCounts
from quality.domain.publication import (
    CellKey,
    FigureKey,
    FigureQuery,
    Kind,
    PendingChanges,
    Publication,
    ReleasedCell,
)
from quality.domain.ranking import Place
from shared.platform.db.keyset import Page

Row = dict[str, Any]


@dataclass(frozen=True)
class ScoreFilter:
    """Optional narrowing of a list of one kind of scope's scores."""

    region: str | None = None
    cluster: str | None = None
    field: str | None = None  # ISCED-F detailed field of the program
    level: str | None = None  # ISCED 2011 level of the program


@dataclass(frozen=True)
class AlertFilter:
    scope: str | None = None
    scope_id: str | None = None
    period: int | None = None
    kind: str | None = None


class AssessmentStateRepository(abc.ABC):
    """The last counted state of every assessment seen."""

    @abc.abstractmethod
    async def get(self, assessment_id: str) -> CountedAssessment | None: ...

    @abc.abstractmethod
    async def save(self, counted: CountedAssessment) -> None: ...

    @abc.abstractmethod
    def active_of_employer(self, employer_id: str) -> AsyncIterator[CountedAssessment]:
        """Every assessment of the employer still counted (read through once: a rare scan)."""

    @abc.abstractmethod
    def active_of_period(self, period: int) -> AsyncIterator[CountedAssessment]:
        """Every assessment of the period still counted (read through once)."""


class ExclusionRepository(abc.ABC):
    @abc.abstractmethod
    async def add(self, exclusion: Exclusion) -> None: ...

    @abc.abstractmethod
    async def covers(self, *, assessment_id: str, employer_id: str) -> bool:
        """Whether an exclusion names this assessment or its employer."""

    @abc.abstractmethod
    async def all(self) -> list[Exclusion]: ...


class CellReader(abc.ABC):
    """Cell tallies summed for scoring: the live cells, or the cells as released."""

    @abc.abstractmethod
    async def by_program(
        self, years: range, programs: Collection[str] | None = None
    ) -> dict[str, ScopeTally]:
        """Program → the sum of its cells in ``years`` (of ``programs`` only, if given)."""

    @abc.abstractmethod
    async def combined(self, program_ids: Collection[str], years: range) -> ScopeTally:
        """The sum of the cells of ``program_ids`` in ``years``."""


class CellRepository(CellReader):
    """One tally per (program, period) cell."""

    @abc.abstractmethod
    async def get(self, program_id: str, period: int) -> ScopeTally | None: ...

    @abc.abstractmethod
    async def save(self, tally: ScopeTally, *, program_id: str, period: int) -> None: ...

    @abc.abstractmethod
    async def in_years(self, years: range) -> dict[CellKey, ScopeTally]:
        """Every cell of ``years``, one by one."""

    async def flush(self) -> None:
        """Write the saved tallies not written yet (the unit of work does, before it commits)."""


class ReleaseBacklogRepository(abc.ABC):
    """The assessments changed in each cell since the cell was last released."""

    @abc.abstractmethod
    async def record(
        self, *, program_id: str, period: int, assessment_id: str, employer_id: str
    ) -> None: ...

    @abc.abstractmethod
    async def pending(self, years: range | None = None) -> dict[CellKey, PendingChanges]:
        """Every cell with waiting changes (in ``years``, or in any year)."""

    @abc.abstractmethod
    async def clear(self, cell: CellKey, assessment_ids: Collection[str]) -> None:
        """Forget the changes a release took in."""


class DirtyMarkRepository(abc.ABC):
    """Which (program, period) cells changed since scores were last computed.

    Every mark bumps the cell's generation: the publisher clears only the marks it read, so a
    change committed while it computed stays marked for the next window.
    """

    @abc.abstractmethod
    async def mark(self, *, program_id: str, period: int) -> None: ...

    @abc.abstractmethod
    async def mark_scored(self, program_ids: Collection[str] | None = None) -> None:
        """Mark every period in which ``program_ids`` (default: all programs) have a tally, a
        scorecard or a mark already (bumped, so a window computing it now does not clear it)."""

    @abc.abstractmethod
    async def take(self) -> list[Mark]:
        """Every mark, with its generation."""

    @abc.abstractmethod
    async def clear(self, marks: list[Mark]) -> None:
        """Clear the marks read, unless they were bumped since."""

    @abc.abstractmethod
    async def pending(self) -> int:
        """How many cells are marked."""


class FrameworkRepository(abc.ABC):
    """The competency frameworks seen: which domain each competency belongs to."""

    @abc.abstractmethod
    async def save(self, *, framework_id: str, version: int, domains: dict[str, str]) -> None: ...

    @abc.abstractmethod
    async def domains_of(self, framework_id: str) -> dict[str, str] | None:
        """One framework's competency code → domain code; None for a framework not seen."""

    @abc.abstractmethod
    async def domains(self) -> dict[str, str]:
        """Competency code → domain code over every version, later versions winning."""


class RequirementRepository(abc.ABC):
    """The current version of each requirement series."""

    @abc.abstractmethod
    async def has_version_from(self, series: str, version: int) -> bool:
        """Whether the series holds ``version`` or a later one."""

    @abc.abstractmethod
    async def replace(self, requirement: Requirement) -> None:
        """Make ``requirement`` the only version kept of its series."""

    @abc.abstractmethod
    async def importance_for(
        self, *, scope: str, scope_id: str, years: range
    ) -> list[tuple[str, dict[str, int]]]:
        """Who stated it (the employer, or the cluster) and the importance, of every requirement
        applying to the scope: naming one of its programs or their fields, and for a cluster
        also the cluster's own."""


class MethodologyRepository(abc.ABC):
    @abc.abstractmethod
    async def latest(self) -> dict[str, Any] | None:
        """The content of the latest version; None before any is published."""

    @abc.abstractmethod
    async def latest_version(self) -> int | None: ...

    @abc.abstractmethod
    async def add(self, content: dict[str, Any], *, published_at: datetime) -> None: ...


@dataclass(frozen=True)
class RankingRow:
    """A unit's figure that rankings rank by, with the rank stored beside its scorecard."""

    scope_id: str
    figure: Mapping[str, Any]
    place: Place


class ScoreReader(abc.ABC):
    """Scorecards to read: the live ones (the ministry's), or those of publications."""

    @abc.abstractmethod
    async def get(self, key: ScopeKey, *, period: int, pooled: bool) -> StoredScore | None: ...

    @abc.abstractmethod
    async def latest_period(self, key: ScopeKey) -> int | None: ...

    @abc.abstractmethod
    async def history(self, key: ScopeKey, *, pooled: bool) -> list[StoredScore]:
        """The scope's scores over the periods, oldest first."""

    @abc.abstractmethod
    async def of_scope(
        self, scope: str, *, period: int, pooled: bool, region: str | None = None
    ) -> list[StoredScore]:
        """Every score of one kind of scope in a period, optionally of units in ``region``."""

    @abc.abstractmethod
    async def ranking_rows(
        self, scope: str, *, period: int, pooled: bool, region: str | None = None
    ) -> list[RankingRow]:
        """``of_scope``'s units with their ranked-by figure and stored rank only: a ranking
        reads one small figure a unit, not every scorecard whole."""

    @abc.abstractmethod
    async def page(
        self,
        scope: str,
        *,
        period: int,
        pooled: bool,
        narrowed: ScoreFilter,
        limit: int,
        cursor: str | None,
    ) -> Page[StoredScore]:
        """A keyset page of one kind of scope's scores, ordered by scope id."""


class ScoreRepository(ScoreReader):
    """The live scorecards, kept by the scoring windows."""

    @abc.abstractmethod
    async def cards(self, *, period: int, pooled: bool) -> dict[ScopeKey, Card]:
        """Every stored card of one period (or pool)."""

    @abc.abstractmethod
    async def save(self, score: StoredScore) -> None:
        """Insert or overwrite the score of its scope, period and pool."""

    @abc.abstractmethod
    async def delete(self, key: ScopeKey, *, period: int, pooled: bool) -> None: ...

    @abc.abstractmethod
    async def save_ranks(
        self,
        scope: str,
        *,
        period: int,
        pooled: bool,
        ranks: Mapping[str, Place],
        units: Collection[str] | None = None,
    ) -> None:
        """Store each unit's rank (scope id → rank; a unit not in ``ranks`` is unranked), of
        ``units`` only if given (the others keep theirs)."""

    @abc.abstractmethod
    async def written(self, *, period: int, pooled: bool) -> tuple[int, str]:
        """How many cards of one period (or pool) are stored and when the latest was written:
        a window that kept the cards in memory knows by it that nobody else wrote since."""

    @abc.abstractmethod
    async def claim_publication(self) -> bool:
        """Whether this transaction may publish scores: one publisher at a time across
        replicas (two would announce the same change twice)."""

    @abc.abstractmethod
    async def hold_publication(self) -> None:
        """Wait for the publisher lock ``claim_publication`` tries (until the transaction
        ends): a short write that must not give up because a scoring window holds it."""

    @abc.abstractmethod
    async def periods(self) -> list[int]:
        """The periods with live scores."""


class PublicationRepository(abc.ABC):
    """Publications, their figures, the cells they release and the queries on them."""

    @abc.abstractmethod
    async def next_number(self) -> int: ...

    @abc.abstractmethod
    async def add(self, publication: Publication) -> None: ...

    @abc.abstractmethod
    async def update(self, publication: Publication) -> None:
        """Store a draft's new status (a published publication is never updated)."""

    @abc.abstractmethod
    async def get(self, number: int) -> Publication | None: ...

    @abc.abstractmethod
    async def draft_of(self, period: int) -> Publication | None:
        """The official release of ``period`` under review, if any."""

    @abc.abstractmethod
    async def latest(
        self, period: int, *, kind: Kind | None = None, before: int | None = None
    ) -> Publication | None:
        """The latest published publication of ``period`` (of ``kind``; numbered below
        ``before``)."""

    @abc.abstractmethod
    async def page(
        self, *, period: int | None, with_drafts: bool, limit: int, cursor: str | None
    ) -> Page[Publication]:
        """Publications, newest first."""

    @abc.abstractmethod
    async def periods(self) -> list[int]:
        """The periods with a published publication."""

    @abc.abstractmethod
    async def published(self) -> list[Publication]:
        """Every published publication, oldest first."""

    @abc.abstractmethod
    async def release_history(self) -> dict[CellKey, list[int]]:
        """Each cell → the published publications that released it, in order."""

    @abc.abstractmethod
    async def cell_states(self, upto: int) -> dict[CellKey, dict[str, Any]]:
        """Each cell's tally (JSON) as the published publications up to ``upto`` left it."""

    @abc.abstractmethod
    async def save_figures(self, number: int, figures: list[StoredScore]) -> None: ...

    @abc.abstractmethod
    async def cards(self, number: int) -> dict[FigureKey, Card]:
        """Every scorecard of a publication."""

    @abc.abstractmethod
    def figures(self, number: int | None = None) -> ScoreReader:
        """The scorecards of publication ``number``; by default, of the latest published
        publication of each period."""

    @abc.abstractmethod
    async def save_comparisons(
        self, number: int, comparisons: Mapping[tuple[str, bool], dict[str, Any]]
    ) -> None:
        """Store each cluster's comparison ((cluster id, pooled) → content)."""

    @abc.abstractmethod
    async def comparison(self, number: int, cluster_id: str, *, pooled: bool) -> Row | None: ...

    @abc.abstractmethod
    async def save_flows(self, number: int, flows: Mapping[tuple[str, str], Row]) -> None:
        """Store each scope's graduate flows ((scope, scope id) → content)."""

    @abc.abstractmethod
    async def flows(self, number: int) -> dict[tuple[str, str], Row]:
        """Every scope's graduate flows stated by publication ``number``."""

    @abc.abstractmethod
    async def flow(self, number: int, scope: str, scope_id: str) -> Row | None:
        """One scope's graduate flows stated by publication ``number``."""

    @abc.abstractmethod
    async def save_intensity(self, number: int, intensity: Mapping[str, Row]) -> None:
        """Store each cluster's activity intensity of the publication's year (id → content)."""

    @abc.abstractmethod
    async def intensity(self, number: int, cluster_id: str) -> Row | None:
        """One cluster's activity intensity stated by publication ``number``."""

    @abc.abstractmethod
    async def save_structure(self, number: int, structure: Mapping[bool, Families]) -> None:
        """Store which programs each scope of publication ``number`` sums (pooled → families)."""

    @abc.abstractmethod
    async def structure(self, number: int) -> dict[bool, Families] | None:
        """The families stored with publication ``number``; None for one made before they
        were stored."""

    @abc.abstractmethod
    async def save_cells(self, number: int, cells: list[ReleasedCell]) -> None: ...

    @abc.abstractmethod
    async def cells(self, number: int) -> list[ReleasedCell]: ...

    @abc.abstractmethod
    async def add_query(self, query: FigureQuery) -> None: ...

    @abc.abstractmethod
    async def get_query(self, number: int, query_id: str) -> FigureQuery | None: ...

    @abc.abstractmethod
    async def answer_query(self, query: FigureQuery) -> None: ...

    @abc.abstractmethod
    async def queries(self, number: int, *, raised_by: str | None = None) -> list[FigureQuery]:
        """The queries on a publication (of one institution), oldest first."""


class AlertRepository(abc.ABC):
    @abc.abstractmethod
    async def add(self, alert: Alert) -> None: ...

    @abc.abstractmethod
    async def details(self, key: ScopeKey, *, period: int, kind: str) -> list[dict[str, Any]]:
        """The details of the alerts of one kind already raised for a scope and period."""

    @abc.abstractmethod
    async def page(
        self, narrowed: AlertFilter, *, limit: int, cursor: str | None
    ) -> Page[dict[str, Any]]:
        """A keyset page of alerts, in id order."""


class RegistryProjectionRepository(abc.ABC):
    """The registry facts scoring needs, each at its latest state."""

    @abc.abstractmethod
    async def save_organization(self, row: Row) -> None: ...

    @abc.abstractmethod
    async def save_cluster(self, row: Row) -> None: ...

    @abc.abstractmethod
    async def save_membership(self, row: Row) -> None: ...

    @abc.abstractmethod
    async def save_program(self, row: Row) -> None: ...

    @abc.abstractmethod
    async def save_graduate(self, row: Row) -> None: ...

    @abc.abstractmethod
    async def save_employment(self, row: Row) -> None: ...

    @abc.abstractmethod
    async def programs_of(self, institution_id: str) -> list[str]:
        """The ids of the programs an institution offers."""

    @abc.abstractmethod
    async def cohort_of(self, graduate_id: str) -> tuple[str, int] | None:
        """The graduate's (program id, graduation year); None for a graduate not seen yet."""

    @abc.abstractmethod
    async def programs_of_cohort(self, cohort: int) -> list[str]:
        """The programs with graduates of ``cohort``."""

    @abc.abstractmethod
    async def program_kinds(self) -> dict[str, ProgramKind]:
        """Every program's institution, level and ISCED-F field code."""

    @abc.abstractmethod
    async def cluster(self, cluster_id: str) -> Row | None: ...

    @abc.abstractmethod
    async def census_jobs(
        self, cohort: int, *, scope: str, scope_id: str, counting: Collection[str]
    ) -> list[CensusJob]:
        """The jobs in a ``counting`` state that the cohort's active graduates of a scope
        (region or cluster: of its members during the census year, as the scorecard reporting
        the cohort counts them) held on the census date, each with its employer's region and
        ISIC section as far as they are known."""

    @abc.abstractmethod
    async def employers(self) -> list[Employer]:
        """Every organization a graduate may work at, with its region and (an employer's)
        ISIC section."""

    @abc.abstractmethod
    async def members_on(self, cluster_ids: Collection[str], day: date) -> set[str]:
        """The organizations that were members of one of the clusters on ``day``."""

    @abc.abstractmethod
    async def clusters_in(self, region_code: str) -> list[Row]:
        """The region's active clusters."""


class ClusterWorkRepository(abc.ABC):
    """The clusters' activities (each at its latest state) and strategy goals (every version),
    as the registry announced them."""

    @abc.abstractmethod
    async def save_activity(self, row: Row) -> None: ...

    @abc.abstractmethod
    async def save_goal(self, row: Row) -> None:
        """Keep one version of a goal (a version seen again changes nothing)."""

    @abc.abstractmethod
    async def activities(
        self, *, cluster_id: str | None = None, kind: str | None = None
    ) -> list[Row]:
        """The activities of one cluster (or every cluster's), of one kind if given."""

    @abc.abstractmethod
    async def goals(self, cluster_id: str) -> list[Row]:
        """The latest version of each of the cluster's goals, in goal id order."""

    @abc.abstractmethod
    async def is_member(self, cluster_id: str, organization_id: str) -> bool:
        """Whether the organization is a current member of the cluster (it has not left)."""

    @abc.abstractmethod
    async def flow_release(self, cohort: int) -> dict[str, Any] | None:
        """The cohort's graduate flows as released before publications stated them (quality_0014),
        if they were."""


class ScoringQueries(abc.ABC):
    """The read side of scoring: facts about many scopes at once, counted by the database."""

    @abc.abstractmethod
    async def scope_names(self) -> dict[ScopeKey, str]:
        """The registered name of every organization, cluster and program (where known)."""

    @abc.abstractmethod
    async def cohort_outcomes(
        self,
        cohorts: range,
        *,
        counting: Collection[str],
        programs: Collection[str] | None = None,
    ) -> dict[str, OutcomeCounts]:
        """Program → employment outcomes of its graduates of ``cohorts``, counting only the
        employments whose state is in ``counting`` (the methodology's counting states); of
        ``programs`` only, if given."""

    @abc.abstractmethod
    async def covered_graduates(
        self, cohorts: range, programs: Collection[str] | None = None
    ) -> dict[str, set[str]]:
        """Program → ids of its active graduates of ``cohorts`` (coverage's population); of
        ``programs`` only, if given."""

    @abc.abstractmethod
    async def program_owners(self) -> dict[str, str]:
        """Program → its institution."""

    @abc.abstractmethod
    async def organization_regions(self) -> dict[str, str]:
        """Organization → its region code."""

    @abc.abstractmethod
    async def cluster_members(self, years: range) -> list[tuple[str, str]]:
        """(cluster id, organization id) of every membership overlapping ``years``."""

    @abc.abstractmethod
    async def comparison_groups(
        self, cluster_id: str, *, region_code: str, years: range
    ) -> tuple[set[str], set[str]]:
        """(member programs, non-member programs) of the cluster question: the programs of its
        members in ``years``; those of the region's other education institutions in the
        members' fields."""
