"""The quality service's unit of work: one transaction, its repositories and its events."""

from quality.adapters import tables
from quality.adapters.publications import SqlPublicationRepository, SqlReleaseBacklogRepository
from quality.adapters.registry_projection import SqlClusterWork, SqlRegistryProjection
from quality.adapters.repositories import (
    AlertRepository,
    AssessmentStateRepository,
    CellRepository,
    ClusterWorkRepository,
    DirtyMarkRepository,
    ExclusionRepository,
    FrameworkRepository,
    MethodologyRepository,
    PublicationRepository,
    RegistryProjectionRepository,
    ReleaseBacklogRepository,
    RequirementRepository,
    ScoreRepository,
    ScoringQueries,
)
from quality.adapters.scores_and_alerts import SqlAlertRepository, SqlScoreRepository
from quality.adapters.scoring_queries import SqlScoringQueries
from quality.adapters.sql_repositories import (
    SqlAssessmentStateRepository,
    SqlCellRepository,
    SqlDirtyMarkRepository,
    SqlExclusionRepository,
    SqlFrameworkRepository,
    SqlMethodologyRepository,
    SqlRequirementRepository,
)
from quality.adapters.tables import released_cells
from shared.contracts.catalogue.quality import (
    ExclusionRecorded,
    MethodologyPublished,
    ReleasePublished,
    ReleaseRestated,
)
from shared.platform.messaging.unit_of_work import AbstractUnitOfWork, UnitOfWork, narrowed


class AbstractQualityUnitOfWork(AbstractUnitOfWork):
    """What the quality use cases rely on: these repositories, publish, commit."""

    projection: RegistryProjectionRepository
    cluster_work: ClusterWorkRepository  # activities and goals
    assessments: AssessmentStateRepository
    exclusions: ExclusionRepository
    cells: CellRepository  # live
    released: CellRepository  # as the publications state them
    backlog: ReleaseBacklogRepository
    marks: DirtyMarkRepository
    frameworks: FrameworkRepository
    requirements: RequirementRepository
    methodologies: MethodologyRepository
    scores: ScoreRepository  # live
    publications: PublicationRepository
    alerts: AlertRepository
    queries: ScoringQueries


class SqlQualityUnitOfWork(UnitOfWork, AbstractQualityUnitOfWork):
    """The SQL unit of work (outbox included) with the SQL repositories on its session."""

    audit_trail = tables.audit_trail
    # The ministry's decisions, not the service's own scoring: methodology and releases.
    audit_system_writes = False
    audited_events = frozenset(
        {
            ExclusionRecorded.event_type,
            MethodologyPublished.event_type,
            ReleasePublished.event_type,
            ReleaseRestated.event_type,
        }
    )

    def open_repositories(self) -> None:
        self.projection = SqlRegistryProjection(self.session)
        self.cluster_work = SqlClusterWork(self.session)
        self.assessments = SqlAssessmentStateRepository(self.session)
        self.exclusions = SqlExclusionRepository(self.session)
        self.cells = SqlCellRepository(self.session)
        self.released = SqlCellRepository(self.session, released_cells)
        self.backlog = SqlReleaseBacklogRepository(self.session)
        self.marks = SqlDirtyMarkRepository(self.session)
        self.frameworks = SqlFrameworkRepository(self.session)
        self.requirements = SqlRequirementRepository(self.session)
        self.methodologies = SqlMethodologyRepository(self.session)
        self.scores = SqlScoreRepository(self.session)
        self.publications = SqlPublicationRepository(self.session)
        self.alerts = SqlAlertRepository(self.session)
        self.queries = SqlScoringQueries(self.session)

    async def write_tallies(self) -> None:
        """Write the tallies saved in memory (SqlCellRepository) in this transaction."""
        await self.cells.flush()
        await self.released.flush()

    async def commit(self) -> None:
        await self.write_tallies()
        await super().commit()


def quality_uow(uow: AbstractUnitOfWork) -> AbstractQualityUnitOfWork:
    """``uow`` as the quality unit of work it is."""
    return narrowed(uow, AbstractQualityUnitOfWork)
