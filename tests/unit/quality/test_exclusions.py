"""The ministry excludes an assessment, or an employer's, from the figures: at once, for good,
with a reason announced (and so audited)."""

import pytest
from quality.service_layer import aggregation
from quality.service_layer.exclusions import exclude

from shared.contracts.catalogue import assessment as ev
from shared.contracts.catalogue.quality import ExclusionRecorded
from shared.platform.auth import Identity
from shared.platform.errors import Forbidden, RuleViolation
from tests.unit.quality.fakes import FakeQualityUnitOfWork
from tests.unit.quality.test_scoring_handlers import MINISTRY, PERIOD, state, tally_json


def by(employer_id: str, **changes):
    return {**state(**changes), "employer_id": employer_id}


@pytest.fixture
def uow() -> FakeQualityUnitOfWork:
    return FakeQualityUnitOfWork()


async def test_an_excluded_assessment_leaves_its_cell_and_a_later_revision_stays_out(uow):
    await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**state(1)))
    kept = by("e1", assessment_id="a2", overall=2)
    await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**kept))

    exclusion, excluded = await exclude(
        uow, MINISTRY, assessment_id="a1", employer_id=None, reason="straight-lined"
    )
    await uow.commit()
    assert excluded == 1
    assert uow.cells.rows[("p1", PERIOD)] == tally_json(kept)
    [announced] = uow.published
    assert isinstance(announced, ExclusionRecorded)
    assert (announced.assessment_id, announced.reason) == ("a1", "straight-lined")
    assert exclusion.excluded_by == MINISTRY.sub

    await aggregation.apply_assessment(uow, ev.AssessmentRevised(**state(2, overall=5)))
    assert uow.cells.rows[("p1", PERIOD)] == tally_json(kept)
    assert uow.assessments.rows["a1"].revision == 2  # kept, never counted


async def test_an_excluded_employer_loses_every_assessment_now_and_later(uow):
    other = by("e2", assessment_id="a9")
    for one in (by("e1", assessment_id="a1"), by("e1", assessment_id="a2"), other):
        await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**one))
    _, excluded = await exclude(
        uow, MINISTRY, assessment_id=None, employer_id="e1", reason="wrote 46 of 50"
    )
    assert excluded == 2
    await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**by("e1", assessment_id="a3")))
    assert uow.cells.rows[("p1", PERIOD)] == tally_json(other)


async def test_only_the_ministry_excludes_one_thing_with_a_reason(uow):
    employer = Identity(sub="hr", role="employer", org="e1")
    with pytest.raises(Forbidden):
        await exclude(uow, employer, assessment_id="a1", employer_id=None, reason="mine")
    with pytest.raises(RuleViolation) as both:
        await exclude(uow, MINISTRY, assessment_id="a1", employer_id="e1", reason="x")
    assert both.value.field == "assessment_id"
    with pytest.raises(RuleViolation) as silent:
        await exclude(uow, MINISTRY, assessment_id="a1", employer_id=None, reason="  ")
    assert silent.value.field == "reason"
    assert uow.exclusions.rows == []
