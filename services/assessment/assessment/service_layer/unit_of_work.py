"""The assessment service's unit of work: one transaction, its repositories and its events."""

from assessment.adapters import tables
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


class SqlAssessmentUnitOfWork(UnitOfWork, AbstractAssessmentUnitOfWork):
    """The SQL unit of work (outbox included) with the SQL repositories on its session."""

    audit_trail = tables.audit_trail

    def open_repositories(self) -> None:
        self.frameworks = SqlFrameworkRepository(self.session)
        self.requirements = SqlRequirementRepository(self.session)
        self.assessments = SqlAssessmentRepository(self.session)
        self.facts = SqlRegistryFactsRepository(self.session)
        self.reminders = SqlReminderRepository(self.session)


def assessment_uow(uow: AbstractUnitOfWork) -> AbstractAssessmentUnitOfWork:
    """``uow`` as the assessment unit of work it is."""
    return narrowed(uow, AbstractAssessmentUnitOfWork)
