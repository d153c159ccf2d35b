"""Recording, ending and reading employments, on the fake unit of work."""

from datetime import date

import pytest
from registry.domain.commands import EndEmployment
from registry.service_layer import employments, graduates, organizations

from shared.contracts.catalogue import registry as ev
from shared.platform.errors import Conflict, Forbidden, NotFound, RuleViolation
from tests.unit.registry.world import (
    MINISTRY,
    World,
    as_authority,
    as_employer,
    as_institution,
    hiring,
)


async def a_world():
    world = World()
    institution = await world.organization()
    program = await world.program(institution)
    graduate = await world.graduate(program)
    employer = await world.employer()
    return world, institution, program, graduate, employer


async def test_an_employer_records_an_employment_published_under_the_institutions_key():
    world, institution, program, graduate, employer = await a_world()
    uow = world.uow()
    employment = await employments.record(uow, as_employer(employer), hiring(graduate, employer))
    await uow.commit()
    assert employment.end_date is None and employment.employer_id == employer.id
    [event] = uow.published
    assert isinstance(event, ev.EmploymentRecorded)
    assert event.partition_key() == institution.id
    assert (event.employment_id, event.program_id, event.isco_code) == (
        employment.id,
        program.id,
        "2512",
    )


async def test_an_employer_records_employments_only_for_itself():
    world, _, _, graduate, employer = await a_world()
    other = await world.employer()
    with pytest.raises(Forbidden):
        await employments.record(world.uow(), as_employer(other), hiring(graduate, employer))


async def test_an_overlapping_period_at_the_same_employer_is_a_conflict():
    world, _, _, graduate, employer = await a_world()
    await world.employment(graduate, employer, end_date=date(2025, 6, 30))
    uow = world.uow()
    with pytest.raises(Conflict) as refused:
        await employments.record(
            uow, MINISTRY, hiring(graduate, employer, start_date=date(2025, 6, 30))
        )
    assert refused.value.loc == ["body", "start_date"]
    later = await employments.record(
        uow, MINISTRY, hiring(graduate, employer, start_date=date(2025, 7, 1))
    )
    assert later.start_date == date(2025, 7, 1)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"isco_code": "9999"}, "isco_code"),
        ({"end_date": date(2024, 8, 31)}, "end_date"),
        # The trusted-inputs issue: an employer claimed a graduate "since 2000-01-01".
        ({"start_date": date(2000, 1, 1)}, "start_date"),
        ({"start_date": date(2023, 12, 31)}, "start_date"),
    ],
)
async def test_an_employment_breaking_a_rule_is_refused_naming_the_field(change, field):
    world, _, _, graduate, employer = await a_world()
    with pytest.raises(RuleViolation) as refused:
        await employments.record(world.uow(), MINISTRY, hiring(graduate, employer, **change))
    assert refused.value.field == field


async def test_an_inactive_graduate_cannot_be_hired():
    world, _, _, graduate, employer = await a_world()
    await graduates.update(world.uow(), MINISTRY, graduate.id, {"active": False})
    with pytest.raises(RuleViolation) as refused:
        await employments.record(world.uow(), MINISTRY, hiring(graduate, employer))
    assert refused.value.field == "graduate_id"


async def test_ending_an_employment_publishes_it_once_and_a_second_end_is_a_conflict():
    world, institution, _, graduate, employer = await a_world()
    employment = await world.employment(graduate, employer)
    uow = world.uow()
    end = EndEmployment(employment_id=employment.id, end_date=date(2025, 6, 30))
    ended = await employments.end(uow, as_employer(employer), end)
    await uow.commit()
    assert ended.end_date == date(2025, 6, 30)
    assert world.state.employments[employment.id].end_date == date(2025, 6, 30)
    [event] = uow.published
    assert isinstance(event, ev.EmploymentEnded)
    assert event.end_date == date(2025, 6, 30) and event.partition_key() == institution.id
    with pytest.raises(Conflict) as refused:
        await employments.end(uow, as_employer(employer), end)
    assert refused.value.loc == ["body", "end_date"]


async def test_an_end_before_the_start_or_of_an_unknown_employment_is_refused():
    world, _, _, graduate, employer = await a_world()
    employment = await world.employment(graduate, employer)
    uow = world.uow()
    with pytest.raises(RuleViolation):
        await employments.end(
            uow, MINISTRY, EndEmployment(employment_id=employment.id, end_date=date(2024, 1, 1))
        )
    with pytest.raises(NotFound):
        await employments.end(
            uow, MINISTRY, EndEmployment(employment_id="nope", end_date=date(2025, 1, 1))
        )


async def test_each_role_sees_only_the_employments_in_its_scope():
    world, institution, _, graduate, employer = await a_world()
    other_employer = await world.employer(region_code="UZ-TK")
    far = await world.organization(region_code="UZ-TK")
    far_graduate = await world.graduate(await world.program(far))
    mine = await world.employment(graduate, employer)
    theirs = await world.employment(far_graduate, other_employer)
    uow = world.uow()

    async def visible(identity) -> set[str]:
        page = await employments.list_visible(uow, identity, limit=50, cursor=None)
        return {e.id for e in page.items}

    assert await visible(MINISTRY) == {mine.id, theirs.id}
    assert await visible(as_employer(employer)) == {mine.id}
    assert await visible(as_institution(institution)) == {mine.id}
    assert await visible(as_authority("UZ-TK")) == {theirs.id}
    assert await employments.get_visible(uow, as_employer(other_employer), theirs.id) == theirs
    with pytest.raises(NotFound):  # out of reach is answered as missing
        await employments.get_visible(uow, as_employer(employer), theirs.id)


# Provenance (the trusted-inputs issue): an employer's record is a claim until the graduate's
# institution, or the graduate with a one-time code, confirms it.


async def employer_reads(world: World, employer, graduate) -> bool:
    try:
        await graduates.get_visible(world.uow(), as_employer(employer), graduate.id)
    except NotFound:
        return False
    return True


async def test_a_claimed_employment_shows_its_employer_nothing_of_the_graduate():
    # Observed: E records an employment and then reads the graduate's name and reference.
    world, _, _, graduate, employer = await a_world()
    claimed = await world.employment(graduate, employer)
    assert claimed.state == "claimed" and claimed.source == "employer"
    assert not claimed.counts
    assert not await employer_reads(world, employer, graduate)


async def test_the_institution_confirms_and_the_employer_then_reads_the_minimum():
    world, institution, _, graduate, employer = await a_world()
    claimed = await world.employment(graduate, employer)
    uow = world.uow()
    confirmed = await employments.move(uow, as_institution(institution), claimed.id, move="confirm")
    await uow.commit()
    assert (confirmed.state, confirmed.state_by) == ("confirmed", institution.id)
    [event] = uow.published
    assert isinstance(event, ev.EmploymentStateChanged)
    assert (event.previous_state, event.state) == ("claimed", "confirmed")
    assert await employer_reads(world, employer, graduate)
    seen = graduates.view_of(as_employer(employer), graduate)
    assert seen["full_name"] == graduate.full_name and seen["student_ref"] is None


async def test_only_the_graduates_institution_or_the_ministry_moves_an_employment():
    world, _, _, graduate, employer = await a_world()
    claimed = await world.employment(graduate, employer)
    other = await world.organization()
    for identity in (as_employer(employer), as_institution(other)):
        with pytest.raises(Forbidden):
            await employments.move(world.uow(), identity, claimed.id, move="confirm")


async def test_the_graduate_confirms_once_with_the_code_its_institution_issued():
    world, institution, _, graduate, employer = await a_world()
    claimed = await world.employment(graduate, employer)
    uow = world.uow()
    code, expires_at = await employments.issue_code(uow, as_institution(institution), claimed.id)
    assert len(code) == 14 and expires_at > claimed.created_at
    with pytest.raises(RuleViolation) as refused:
        await employments.confirm_with_code(uow, "0000-0000-0000")
    assert refused.value.field == "code"
    confirmed = await employments.confirm_with_code(uow, code.lower().replace("-", " "))
    assert (confirmed.state, confirmed.state_by) == ("confirmed", "graduate")
    with pytest.raises(RuleViolation):
        await employments.confirm_with_code(uow, code)  # spent


async def test_disputes_and_rejections_need_a_reason_and_a_rejection_is_final():
    world, institution, _, graduate, employer = await a_world()
    claimed = await world.employment(graduate, employer, confirmed=True)
    uow = world.uow()
    school = as_institution(institution)
    with pytest.raises(RuleViolation) as refused:
        await employments.move(uow, school, claimed.id, move="dispute", reason=" ")
    assert refused.value.field == "reason"
    disputed = await employments.move(uow, school, claimed.id, move="dispute", reason="unknown")
    assert disputed.state == "disputed" and not disputed.counts
    assert not await employer_reads(world, employer, graduate)
    rejected = await employments.move(uow, MINISTRY, claimed.id, move="reject", reason="no job")
    assert rejected.state_reason == "no job"
    for move in ("confirm", "dispute"):
        with pytest.raises(Conflict):
            await employments.move(uow, school, claimed.id, move=move, reason="again")
    with pytest.raises(Conflict):
        await employments.issue_code(uow, school, claimed.id)


async def test_an_employer_reads_its_graduate_only_within_the_window_after_the_job_ends():
    world, _, _, graduate, employer = await a_world()
    await world.employment(graduate, employer, end_date=date(2025, 6, 30), confirmed=True)
    uow = world.uow()
    window = (date.today().year - 2025) * 12 + 24  # the end is well inside it
    assert await graduates.get_visible(
        uow, as_employer(employer), graduate.id, window_months=window
    )
    with pytest.raises(NotFound):
        await graduates.get_visible(uow, as_employer(employer), graduate.id, window_months=0)


async def test_a_repeated_move_changes_nothing_and_announces_nothing():
    world, institution, _, graduate, employer = await a_world()
    claimed = await world.employment(graduate, employer, confirmed=True)
    uow = world.uow()
    announced = len(uow.published)
    again = await employments.move(uow, as_institution(institution), claimed.id, move="confirm")
    await uow.commit()
    assert again.state == "confirmed" and again.updated_at == claimed.updated_at
    assert len(uow.published) == announced
    with pytest.raises(Conflict):
        await employments.issue_code(uow, as_institution(institution), claimed.id)


async def test_an_employment_starting_before_the_employer_was_registered_is_refused():
    world, _, _, graduate, employer = await a_world()
    uow = world.uow()
    with pytest.raises(Forbidden):  # an employer cannot move its own registration date
        await organizations.update(
            uow, as_employer(employer), employer.id, {"registered_on": date(2020, 1, 1)}
        )
    await organizations.update(uow, MINISTRY, employer.id, {"registered_on": date(2025, 3, 1)})
    await uow.commit()
    uow = world.uow()
    with pytest.raises(RuleViolation) as refused:
        await employments.record(uow, as_employer(employer), hiring(graduate, employer))
    assert refused.value.field == "start_date"
    assert "registered (2025-03-01)" in str(refused.value)
    later = hiring(graduate, employer, start_date=date(2025, 3, 1))
    assert await employments.record(uow, as_employer(employer), later)
