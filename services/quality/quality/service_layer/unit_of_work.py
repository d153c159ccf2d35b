"""The quality service's unit of work: one transaction, its repositories and its events."""

from quality.adapters.registry_projection import SqlRegistryProjection
from quality.adapters.repositories import (
    AlertRepository,
    AssessmentStateRepository,
    CellRepository,
    DirtyMarkRepository,
    FrameworkRepository,
    MethodologyRepository,
    RegistryProjectionRepository,
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
    SqlFrameworkRepository,
    SqlMethodologyRepository,
    SqlRequirementRepository,
)
from shared.platform.messaging.unit_of_work import AbstractUnitOfWork, UnitOfWork, narrowed


class AbstractQualityUnitOfWork(AbstractUnitOfWork):
    """What the quality use cases rely on: these repositories, publish, commit."""

    projection: RegistryProjectionRepository
    assessments: AssessmentStateRepository
    cells: CellRepository
    marks: DirtyMarkRepository
    frameworks: FrameworkRepository
    requirements: RequirementRepository
    methodologies: MethodologyRepository
    scores: ScoreRepository
    alerts: AlertRepository
    queries: ScoringQueries


class SqlQualityUnitOfWork(UnitOfWork, AbstractQualityUnitOfWork):
    """The SQL unit of work (outbox included) with the SQL repositories on its session."""

    def open_repositories(self) -> None:
        self.projection = SqlRegistryProjection(self.session)
        self.assessments = SqlAssessmentStateRepository(self.session)
        self.cells = SqlCellRepository(self.session)
        self.marks = SqlDirtyMarkRepository(self.session)
        self.frameworks = SqlFrameworkRepository(self.session)
        self.requirements = SqlRequirementRepository(self.session)
        self.methodologies = SqlMethodologyRepository(self.session)
        self.scores = SqlScoreRepository(self.session)
        self.alerts = SqlAlertRepository(self.session)
        self.queries = SqlScoringQueries(self.session)


def quality_uow(uow: AbstractUnitOfWork) -> AbstractQualityUnitOfWork:
    """``uow`` as the quality unit of work it is."""
    return narrowed(uow, AbstractQualityUnitOfWork)
