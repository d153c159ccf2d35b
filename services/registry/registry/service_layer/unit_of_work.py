"""The registry's unit of work: one transaction, its repositories and the events it publishes."""

from registry.adapters import tables
from registry.adapters.repositories import (
    ActivityRepository,
    AuditLog,
    ClusterRepository,
    EmploymentRepository,
    GoalRepository,
    GraduateRepository,
    MembershipRepository,
    OrganizationRepository,
    ProgramRepository,
    RegionRepository,
)
from registry.adapters.sql_repositories import (
    SqlActivityRepository,
    SqlAuditLog,
    SqlClusterRepository,
    SqlEmploymentRepository,
    SqlGoalRepository,
    SqlGraduateRepository,
    SqlMembershipRepository,
    SqlOrganizationRepository,
    SqlProgramRepository,
    SqlRegionRepository,
)
from shared.platform.messaging.unit_of_work import AbstractUnitOfWork, UnitOfWork, narrowed


class AbstractRegistryUnitOfWork(AbstractUnitOfWork):
    """What the registry's use cases rely on: its repositories, publish, commit."""

    regions: RegionRepository
    organizations: OrganizationRepository
    clusters: ClusterRepository
    memberships: MembershipRepository
    programs: ProgramRepository
    graduates: GraduateRepository
    employments: EmploymentRepository
    activities: ActivityRepository
    goals: GoalRepository
    audit_log: AuditLog

    async def flush_events(self) -> None:
        """Hand the events queued so far on before commit, to bound the memory of a unit of
        work that queues very many (the CSV import). Nothing to do unless storage says so."""


class SqlRegistryUnitOfWork(UnitOfWork, AbstractRegistryUnitOfWork):
    """The SQL unit of work with the registry's SQL repositories on its session."""

    audit_trail = tables.audit_trail

    def open_repositories(self) -> None:
        session = self.session
        self.regions = SqlRegionRepository(session)
        self.organizations = SqlOrganizationRepository(session)
        self.clusters = SqlClusterRepository(session)
        self.memberships = SqlMembershipRepository(session)
        self.programs = SqlProgramRepository(session)
        self.graduates = SqlGraduateRepository(session)
        self.employments = SqlEmploymentRepository(session)
        self.activities = SqlActivityRepository(session)
        self.goals = SqlGoalRepository(session)
        self.audit_log = SqlAuditLog(session)


def registry_unit_of_work(uow: AbstractUnitOfWork) -> AbstractRegistryUnitOfWork:
    """``uow`` as the registry unit of work it is."""
    return narrowed(uow, AbstractRegistryUnitOfWork)
