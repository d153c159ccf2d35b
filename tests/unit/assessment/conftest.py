"""A small world for the assessment use cases, in memory: an institution with a program, an
employer employing a graduate of it, the default framework, and a fixed today."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest
from assessment.domain.eligibility import Employment
from assessment.domain.model import Framework, Graduate, Organization, Program
from assessment.service_layer.assessments import AssessmentPolicy
from assessment.service_layer.commands import SubmitAssessment
from assessment.service_layer.frameworks import default_framework

from shared.contracts.catalogue.registry import EmploymentChanger, EmploymentStatus
from shared.platform.auth import Identity
from tests.unit.assessment.fakes import FakeAssessmentUnitOfWork

TODAY = date(2026, 5, 15)
PERIOD = TODAY.year
POLICY = AssessmentPolicy(window_months=12, today=lambda: TODAY)
RATINGS: dict[str, int | None] = {
    "foundation.oral_communication": 4,
    "technical.professional_knowledge": 5,
    "digital.information_data_literacy": None,
}

INSTITUTION = Organization(id="inst-1", kind="institution", region_code="UZ-TK", active=True)
EMPLOYER = Organization(id="emp-1", kind="employer", region_code="UZ-TK", active=True)
PROGRAM = Program(id="prog-1", institution_id="inst-1", field_code="0613", level="6", active=True)
FRAMEWORK = Framework(
    id="fw-1",
    code=default_framework()["code"],
    version=1,
    content=default_framework(),
    published_at=datetime(2026, 1, 1, tzinfo=UTC),
)

AS_EMPLOYER = Identity(sub="hr@emp-1", role="employer", org=EMPLOYER.id)
AS_OTHER_EMPLOYER = Identity(sub="hr@emp-2", role="employer", org="emp-2")
AS_INSTITUTION = Identity(sub="dean@inst-1", role="institution", org=INSTITUTION.id)
MINISTRY = Identity(sub="ministry", role="ministry")
OPERATOR = Identity(sub="ops", role="operator")


def employment_id(employer_id: str, graduate_id: str) -> str:
    """The id ``World.graduate`` gives the employment it records."""
    return f"employment-{employer_id}-{graduate_id}"


@dataclass
class World:
    uow: FakeAssessmentUnitOfWork
    graduates: list[Graduate] = field(default_factory=list)

    def graduate(
        self,
        graduate_id: str,
        *,
        employed: tuple[date, date | None] | None = (date(2024, 9, 1), None),
        by: str = EMPLOYER.id,
        state: EmploymentStatus = "confirmed",
        changed_by: EmploymentChanger | None = "institution",
    ) -> Graduate:
        """A projected graduate of PROGRAM (class of 2024), employed by ``by`` unless not
        (under an employment in ``state``: confirmed by its institution unless said;
        ``changed_by`` None for one projected before the projection kept who moved it)."""
        graduate = Graduate(
            id=graduate_id,
            institution_id=INSTITUTION.id,
            program_id=PROGRAM.id,
            graduation_year=2024,
            active=True,
        )
        self.uow.facts.graduates[graduate_id] = graduate
        if employed is not None:
            start, end = employed
            key = employment_id(by, graduate_id)
            self.uow.facts.employment_rows[key] = (
                by,
                graduate_id,
                Employment(start_date=start, end_date=end, state=state),
            )
            self.uow.facts.changed_by[key] = changed_by
        self.graduates.append(graduate)
        return graduate


def submission(graduate_id: str = "grad-1", **changes) -> SubmitAssessment:
    fields = {
        "employer_id": EMPLOYER.id,
        "graduate_id": graduate_id,
        "period": PERIOD,
        "framework_id": FRAMEWORK.id,
        "ratings": RATINGS,
        "overall_satisfaction": 4,
        "preparedness": 3,
        "would_hire_again": True,
        "comment": "Reliable and quick to learn.",
        **changes,
    }
    return SubmitAssessment(**fields)


@pytest.fixture
def world() -> World:
    uow = FakeAssessmentUnitOfWork()
    for organization in (INSTITUTION, EMPLOYER):
        uow.facts.organizations[organization.id] = organization
    uow.facts.programs[PROGRAM.id] = PROGRAM
    uow.frameworks.rows[FRAMEWORK.id] = FRAMEWORK
    world = World(uow=uow)
    world.graduate("grad-1")
    return world


@pytest.fixture
def uow(world: World) -> FakeAssessmentUnitOfWork:
    return world.uow
