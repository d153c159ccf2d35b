"""The ministry's integrity report over one period's active assessments, through the
in-memory unit of work: flags shown with their numbers, nothing changed."""

from dataclasses import replace
from datetime import date

import pytest
from assessment.service_layer import assessments as handlers
from assessment.service_layer.integrity import integrity_report

from shared.contracts.catalogue.registry import EmploymentEnded, EmploymentRecorded
from shared.contracts.registry_projection import employment_row
from shared.platform.errors import Forbidden
from tests.unit.assessment.conftest import (
    AS_EMPLOYER,
    AS_INSTITUTION,
    EMPLOYER,
    MINISTRY,
    OPERATOR,
    PERIOD,
    PROGRAM,
)
from tests.unit.assessment.test_assessment_handlers import submitted
from tests.unit.assessment.test_employment_states import change

# Five competencies of the default framework, all rated alike: a straight line.
STRAIGHT: dict[str, int | None] = {
    "foundation.oral_communication": 3,
    "foundation.numeracy": 3,
    "technical.professional_knowledge": 3,
    "technical.quality_of_work": 3,
    "collaborative.teamwork": 3,
    "digital.safety": None,
}


async def test_the_report_flags_a_straight_lining_employer_and_counts_self_confirmations(world):
    for i in range(2, 8):
        world.graduate(f"grad-{i}", changed_by="graduate" if i == 7 else "institution")
    for i in range(2, 8):
        await submitted(world.uow, f"grad-{i}", ratings=STRAIGHT)
    await submitted(world.uow, "grad-1")
    rows, published = dict(world.uow.assessments.rows), list(world.uow.published)

    report = await integrity_report(world.uow, MINISTRY, period=PERIOD)

    assert report.period == PERIOD and report.n == 7
    (employer,) = report.employers
    assert employer.employer_id == EMPLOYER.id and employer.flags == ("straight_lining",)
    assert (employer.straight_lining.n, employer.straight_lining.straight_lined) == (7, 6)
    (program,) = report.programs
    assert (program.program_id, program.institution_id, program.n) == (
        PROGRAM.id,
        PROGRAM.institution_id,
        7,
    )
    # grad-1 and grad-2..6 were confirmed by the institution, grad-7 by the graduate's code.
    assert (program.self_confirmed.n, program.self_confirmed.self_confirmed) == (7, 6)
    assert program.self_confirmed.unknown == 0
    assert not program.self_confirmed.flagged  # fewer than 10
    assert program.dominant_employer.employer_id == EMPLOYER.id
    assert program.dominant_employer.share == 1.0 and not program.dominant_employer.flagged
    # Shown, never applied: nothing was changed or announced.
    assert world.uow.assessments.rows == rows and world.uow.published == published


async def test_withdrawn_assessments_and_other_periods_are_not_checked(world):
    kept = await submitted(world.uow, "grad-1")
    world.graduate("grad-2")
    gone = await submitted(world.uow, "grad-2")
    await handlers.withdraw(world.uow, AS_EMPLOYER, gone.id)
    assert (await integrity_report(world.uow, MINISTRY, period=PERIOD)).n == 1
    earlier = await integrity_report(world.uow, MINISTRY, period=PERIOD - 1)
    assert (earlier.n, earlier.programs, earlier.employers) == (0, (), ())
    assert kept.status == "active"


async def test_an_employment_confirmed_before_who_confirmed_was_kept_is_unknown(world):
    world.graduate("grad-2", changed_by=None)
    world.graduate("grad-3", state="verified", changed_by=None)
    for graduate in ("grad-1", "grad-2", "grad-3"):
        await submitted(world.uow, graduate)
    (program,) = (await integrity_report(world.uow, MINISTRY, period=PERIOD)).programs
    counts = program.self_confirmed
    assert (counts.n, counts.self_confirmed, counts.unknown) == (2, 1, 1)


async def test_an_employment_that_does_not_overlap_the_period_says_nothing_of_it(world):
    world.graduate("grad-2", employed=(date(PERIOD, 1, 1), None))
    await submitted(world.uow, "grad-2")
    await submitted(world.uow, "grad-1")
    # The registry moved grad-2's employment to start after the period: no longer covering.
    key = f"employment-{EMPLOYER.id}-grad-2"
    who, whom, employment = world.uow.facts.employment_rows[key]
    later = replace(employment, start_date=date(PERIOD + 1, 1, 1))
    world.uow.facts.employment_rows[key] = (who, whom, later)
    (program,) = (await integrity_report(world.uow, MINISTRY, period=PERIOD)).programs
    assert (program.self_confirmed.n, program.self_confirmed.unknown) == (1, 1)


@pytest.mark.parametrize("who", [AS_EMPLOYER, AS_INSTITUTION, OPERATOR])
async def test_only_the_ministry_sees_integrity_checks(world, who):
    with pytest.raises(Forbidden, match="ministry"):
        await integrity_report(world.uow, who, period=PERIOD)


def test_a_state_change_carries_who_made_it_into_the_projection_and_nothing_else_does():
    confirmed = change("confirmed", previous="claimed")
    assert employment_row(confirmed)["changed_by"] == "institution"
    state = confirmed.model_dump(exclude={"previous_state", "changed_by", "reason"})
    for event in (EmploymentRecorded(**state), EmploymentEnded(**state)):
        # The projection upserts only the keys a row has: an end keeps who confirmed it.
        assert "changed_by" not in employment_row(event)
