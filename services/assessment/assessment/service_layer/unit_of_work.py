"""The assessment service's unit of work: one transaction, its repositories and its events."""

from assessment.adapters import tables
from assessment.adapters.read_ahead import ReadAhead, read_submission_ahead
from assessment.adapters.reminders import SqlReminderRepository
from assessment.adapters.repositories import (
    AssessmentRepository,
    FrameworkRepository,
    RegistryFactsRepository,
    ReminderRepository,
    RequirementRepository,
)
from assessment.adapters.sql_repositories import (
    SqlAssessmentRepository,
    SqlFrameworkRepository,
    SqlRegistryFactsRepository,
    SqlRequirementRepository,
)
from shared.platform.messaging.unit_of_work import AbstractUnitOfWork, UnitOfWork, narrowed


class AbstractAssessmentUnitOfWork(AbstractUnitOfWork):
    """What the assessment use cases rely on: these repositories, publish, commit."""

    frameworks: FrameworkRepository
    requirements: RequirementRepository
    assessments: AssessmentRepository
    facts: RegistryFactsRepository
    reminders: ReminderRepository

    async def read_ahead_submission(
        self, *, employer_id: str, graduate_id: str, period: int, framework_id: str
    ) -> None:
        """Before one submission's checks: read the employer, the graduate and its program,
        the framework, the graduate's employments by the employer and the active twin at
        once. A hint: a unit of work that reads each in one round trip anyway may ignore it."""
        return None


class SqlAssessmentUnitOfWork(UnitOfWork, AbstractAssessmentUnitOfWork):
    """The SQL unit of work (outbox included) with the SQL repositories on its session."""

    audit_trail = tables.audit_trail

    def open_repositories(self) -> None:
        # The repositories' single reads answer from what was read ahead, by any of them.
        self._ahead = ReadAhead()
        self.frameworks = SqlFrameworkRepository(self.session, self._ahead)
        self.requirements = SqlRequirementRepository(self.session)
        self.assessments = SqlAssessmentRepository(self.session, self._ahead)
        self.facts = SqlRegistryFactsRepository(self.session, self._ahead)
        self.reminders = SqlReminderRepository(self.session)

    async def read_ahead_submission(
        self, *, employer_id: str, graduate_id: str, period: int, framework_id: str
    ) -> None:
        await read_submission_ahead(
            self.session,
            self._ahead,
            employer_id=employer_id,
            graduate_id=graduate_id,
            period=period,
            framework_id=framework_id,
        )


def assessment_uow(uow: AbstractUnitOfWork) -> AbstractAssessmentUnitOfWork:
    """``uow`` as the assessment unit of work it is."""
    return narrowed(uow, AbstractAssessmentUnitOfWork)
