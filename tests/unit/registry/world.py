"""A small registry world in memory for the handler tests: callers, and builders that go
through the use cases (each on its own unit of work over the same state, like requests)."""

from datetime import date
from itertools import count

from registry.domain.commands import (
    RecordEmployment,
    RegisterGraduate,
    RegisterOrganization,
    RegisterProgram,
)
from registry.domain.model import Employment, Graduate, Organization, Program
from registry.service_layer import employments, graduates, organizations, programs

from shared.contracts import reference
from shared.platform.auth import Identity
from tests.unit.registry.fakes import FakeRegistryUnitOfWork, RegistryState

MINISTRY = Identity(sub="ministry", role="ministry")
OPERATOR = Identity(sub="operator", role="operator")


def as_institution(institution: Organization) -> Identity:
    return Identity(sub=f"staff-{institution.id}", role="institution", org=institution.id)


def as_employer(employer: Organization) -> Identity:
    return Identity(sub=f"hr-{employer.id}", role="employer", org=employer.id)


def as_authority(region_code: str) -> Identity:
    return Identity(sub=f"authority-{region_code}", role="regional_authority", region=region_code)


class World:
    """Uzbekistan's regions, and whatever a test builds on them."""

    def __init__(self) -> None:
        self.state = RegistryState(regions={r.code: r for r in reference.regions("UZ")})
        self._tax_ids = (f"2{n:08d}" for n in count(10_000_001))

    def uow(self) -> FakeRegistryUnitOfWork:
        """A fresh unit of work on the world's state (nothing published yet)."""
        return FakeRegistryUnitOfWork(self.state)

    async def organization(
        self, *, kind: str = "education", subtype: str = "university", region_code: str = "UZ-SA"
    ) -> Organization:
        command = RegisterOrganization(
            kind=kind,
            subtype=subtype,
            name=f"{kind} {subtype}",
            region_code=region_code,
            tax_id=next(self._tax_ids),
        )
        uow = self.uow()
        organization = await organizations.register(uow, MINISTRY, command)
        await uow.commit()
        return organization

    async def employer(self, *, region_code: str = "UZ-SA") -> Organization:
        return await self.organization(kind="employer", subtype="J", region_code=region_code)

    async def program(self, institution: Organization, *, code: str = "60610100") -> Program:
        command = RegisterProgram(
            institution_id=institution.id,
            code=code,
            name=f"Program {code}",
            level="6",
            field_code="0613",
        )
        uow = self.uow()
        program = await programs.register(uow, MINISTRY, command)
        await uow.commit()
        return program

    async def graduate(self, program: Program, *, student_ref: str = "S-1") -> Graduate:
        command = RegisterGraduate(
            program_id=program.id,
            graduation_year=2024,
            student_ref=student_ref,
            full_name=f"Graduate {student_ref}",
        )
        uow = self.uow()
        graduate = await graduates.register(uow, MINISTRY, command)
        await uow.commit()
        return graduate

    async def employment(
        self,
        graduate: Graduate,
        employer: Organization,
        *,
        start_date: date = date(2024, 9, 1),
        end_date: date | None = None,
        confirmed: bool = False,
    ) -> Employment:
        """An employment the employer claims (confirmed by the ministry when ``confirmed``)."""
        uow = self.uow()
        employment = await employments.record(
            uow, MINISTRY, hiring(graduate, employer, start_date=start_date, end_date=end_date)
        )
        if confirmed:
            employment = await employments.move(uow, MINISTRY, employment.id, move="confirm")
        await uow.commit()
        return employment


def hiring(
    graduate: Graduate,
    employer: Organization,
    *,
    start_date: date = date(2024, 9, 1),
    end_date: date | None = None,
    isco_code: str = "2512",
) -> RecordEmployment:
    return RecordEmployment(
        graduate_id=graduate.id,
        employer_id=employer.id,
        start_date=start_date,
        end_date=end_date,
        position="Software developer",
        isco_code=isco_code,
        in_field=True,
    )
