"""Only a confirmed or verified employment makes its employer eligible; a rejected one takes
back the assessments it alone made eligible, exactly once."""

from dataclasses import replace
from datetime import date

import pytest
from assessment.service_layer import assessments as handlers
from assessment.service_layer.employment_rejections import employment_state_changed

from shared.contracts.catalogue.assessment import AssessmentWithdrawn
from shared.contracts.catalogue.registry import EmploymentStateChanged, EmploymentStatus
from shared.platform.errors import Conflict, NotKnownYet, RuleViolation
from tests.unit.assessment.conftest import (
    AS_EMPLOYER,
    EMPLOYER,
    INSTITUTION,
    PERIOD,
    POLICY,
    PROGRAM,
    employment_id,
    submission,
)
from tests.unit.assessment.test_assessment_handlers import revision, submitted


def set_state(world, state: EmploymentStatus, graduate_id: str = "grad-1") -> None:
    """The projection took a state change of the world's employment of ``graduate_id``."""
    key = employment_id(EMPLOYER.id, graduate_id)
    who, whom, employment = world.uow.facts.employment_rows[key]
    world.uow.facts.employment_rows[key] = (who, whom, replace(employment, state=state))


def change(state: EmploymentStatus, *, previous="confirmed", graduate_id="grad-1"):
    return EmploymentStateChanged(
        employment_id=employment_id(EMPLOYER.id, graduate_id),
        graduate_id=graduate_id,
        institution_id=INSTITUTION.id,
        program_id=PROGRAM.id,
        employer_id=EMPLOYER.id,
        start_date=date(2024, 9, 1),
        end_date=None,
        isco_code="2512",
        in_field=True,
        state=state,
        previous_state=previous,
        changed_by="institution",
        reason="not on our records",
    )


@pytest.mark.parametrize("state", ["claimed", "disputed", "rejected"])
async def test_an_employment_neither_confirmed_nor_verified_makes_no_one_eligible(world, state):
    world.graduate("grad-2", state=state)
    with pytest.raises(RuleViolation) as refused:
        await handlers.submit(world.uow, AS_EMPLOYER, submission("grad-2"), policy=POLICY)
    assert refused.value.field == "graduate_id"
    assert f"is {state}" in str(refused.value)
    # A claim may have been confirmed moments ago: 409 + Retry-After, not a final 422.
    assert isinstance(refused.value, NotKnownYet) == (state == "claimed")
    assert world.uow.assessments.rows == {}


@pytest.mark.parametrize("state", ["confirmed", "verified"])
async def test_a_confirmed_or_verified_employment_makes_its_employer_eligible(world, state):
    world.graduate("grad-2", state=state)
    assert (await submitted(world.uow, "grad-2")).status == "active"


async def test_a_disputed_employment_keeps_its_assessments_but_refuses_their_revision(world):
    assessment = await submitted(world.uow)
    set_state(world, "disputed")
    assert await employment_state_changed(world.uow, change("disputed")) == []
    assert world.uow.assessments.rows[assessment.id].status == "active"
    with pytest.raises(Conflict, match="disputed"):
        await handlers.revise(world.uow, AS_EMPLOYER, revision(assessment, overall_satisfaction=5))


async def test_a_rejection_withdraws_the_employers_assessments_once_with_the_reason(world):
    assessment = await submitted(world.uow)
    earlier = await submitted(world.uow, period=PERIOD - 1)
    before = len(world.uow.published)
    set_state(world, "rejected")

    withdrawn = await employment_state_changed(world.uow, change("rejected"))
    await world.uow.commit()
    assert {a.id for a in withdrawn} == {assessment.id, earlier.id}
    assert all(world.uow.assessments.rows[a.id].status == "withdrawn" for a in withdrawn)
    announced = world.uow.published[before:]
    assert [type(e) for e in announced] == [AssessmentWithdrawn, AssessmentWithdrawn]
    history = [r for r in world.uow.assessments.revisions if r.action == "withdrawn"]
    assert {r.recorded_by for r in history} == {"registry"}
    assert all("employment rejected" in r.state["reason"] for r in history)

    # The same change again (a redelivery past the inbox, or a second rejection): nothing.
    assert await employment_state_changed(world.uow, change("rejected")) == []
    await world.uow.commit()
    assert world.uow.published[before:] == announced


async def test_a_rejection_spares_periods_another_confirmed_employment_covers(world):
    assessment = await submitted(world.uow)
    other = "employment-second"
    first = world.uow.facts.employment_rows[employment_id(EMPLOYER.id, "grad-1")][2]
    world.uow.facts.employment_rows[other] = (
        EMPLOYER.id,
        "grad-1",
        replace(first, start_date=date(PERIOD, 1, 1), state="verified"),
    )
    set_state(world, "rejected")
    assert await employment_state_changed(world.uow, change("rejected")) == []
    assert world.uow.assessments.rows[assessment.id].status == "active"
