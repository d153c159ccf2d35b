"""A small registry world for assessment tests: an institution, a program, an employer and
graduates it employs, all projected into the assessment service."""

from dataclasses import dataclass, field, replace
from datetime import date

from assessment.adapters.tables import projected_employments, projected_organizations
from sqlalchemy import func, select

from shared.contracts.catalogue.registry import COUNTING_EMPLOYMENT_STATES
from tests.integration.registry.conftest import (
    MINISTRY,
    as_institution,
    create_graduate,
    create_organization,
    headers,
    institution_with_program,
)
from tests.support import eventually

PERIOD = date.today().year
RATINGS = {
    "foundation.oral_communication": 4,
    "technical.professional_knowledge": 5,
    "digital.information_data_literacy": None,
}


@dataclass
class World:
    registry: object
    assessment: object
    institution: dict
    program: dict
    employer: dict
    framework: dict
    graduates: list[dict] = field(default_factory=list)

    @property
    def as_employer(self) -> dict[str, str]:
        return headers("employer", org=self.employer["id"])

    def assessment_body(self, graduate: dict, **changes) -> dict:
        return {
            "employer_id": self.employer["id"],
            "graduate_id": graduate["id"],
            "period": PERIOD,
            "framework_id": self.framework["id"],
            "ratings": RATINGS,
            "overall_satisfaction": 4,
            "preparedness": 3,
            "would_hire_again": True,
            "comment": "Reliable and quick to learn.",
            **changes,
        }


async def default_framework(assessment) -> dict:
    listed = await eventually(
        lambda: assessment.get("/api/v1/frameworks", headers=MINISTRY),
        until=lambda r: r.status_code == 200 and r.json()["items"],
        what="default framework published",
    )
    return listed.json()["items"][0]


async def employ(
    world: World, graduate: dict, *, start="2024-09-01", end=None, confirm=True
) -> dict:
    """The employer records (claims) the employment; the graduate's institution confirms it
    unless ``confirm`` is false (a claim alone makes the employer eligible for nothing)."""
    response = await world.registry.post(
        "/api/v1/employments",
        headers=world.as_employer,
        json={
            "graduate_id": graduate["id"],
            "employer_id": world.employer["id"],
            "start_date": start,
            "end_date": end,
            "position": "Engineer",
            "isco_code": "2512",
            "in_field": True,
        },
    )
    assert response.status_code == 201, response.text
    if not confirm:
        return response.json()
    confirmed = await world.registry.post(
        f"/api/v1/employments/{response.json()['id']}/confirm",
        headers=as_institution(world.institution),
    )
    assert confirmed.status_code == 200, confirmed.text
    return confirmed.json()


async def projected_employment_count(assessment) -> int:
    """Confirmed or verified employments projected whose employer is projected too.

    Organizations are keyed by their own id, employments by the institution: the two reach the
    projection on different partitions, in either order.
    """
    known_employers = select(projected_organizations.c.id)
    async with assessment.app.state.runtime.engine.connect() as conn:
        return await conn.scalar(
            select(func.count())
            .select_from(projected_employments)
            .where(
                projected_employments.c.employer_id.in_(known_employers),
                projected_employments.c.state.in_(COUNTING_EMPLOYMENT_STATES),
            )
        )


async def build_world(registry, assessment, *, employed=1, wait=True) -> World:
    """``employed`` graduates employed since 2024-09 by one employer; waits until projected."""
    institution, program = await institution_with_program(registry)
    employer = await create_organization(
        registry, kind="employer", subtype="J", tax_id="301234567", region_code="UZ-TK"
    )
    world = World(
        registry=registry,
        assessment=assessment,
        institution=institution,
        program=program,
        employer=employer,
        framework=await default_framework(assessment),
    )
    for i in range(employed):
        graduate = await create_graduate(registry, program, student_ref=f"S-{i:04d}")
        await employ(world, graduate)
        world.graduates.append(graduate)
    if wait:
        await settled(world, employments=employed)
    return world


async def settled(world: World, *, employments: int) -> None:
    await eventually(
        lambda: projected_employment_count(world.assessment),
        until=lambda n: n == employments,
        what=f"{employments} employments projected",
    )


async def more_employers(world: World, count: int, *, each: int) -> list[World]:
    """``count`` more employers, each employing ``each`` new graduates of the program."""
    others = []
    for e in range(count):
        employer = await create_organization(
            world.registry, kind="employer", subtype="J", tax_id=f"30{e + 2}234567"
        )
        other = replace(world, employer=employer, graduates=[])
        for i in range(each):
            graduate = await create_graduate(
                world.registry, world.program, student_ref=f"E{e}-{i:03d}"
            )
            await employ(other, graduate)
            other.graduates.append(graduate)
        others.append(other)
    return others


async def assess(world: World, graduate: dict, **changes) -> str:
    body = world.assessment_body(graduate, **changes)
    created = await world.assessment.post(
        "/api/v1/assessments", headers=world.as_employer, json=body
    )
    assert created.status_code == 201, created.text
    return created.json()["id"]
