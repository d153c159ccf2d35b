"""An assessment event listing competencies "not required" (issue 18) is read by the quality
service and counted as before: not required, like not observed, is no rating."""

from typing import TypeVar

import pytest
from quality.service_layer import aggregation

from shared.contracts.catalogue import assessment as ev
from shared.platform.messaging.envelope import decode, encode, new_event
from tests.unit.quality.fakes import FakeQualityUnitOfWork
from tests.unit.quality.test_scoring_handlers import PERIOD, state, tally_json


@pytest.fixture
def uow() -> FakeQualityUnitOfWork:
    return FakeQualityUnitOfWork()


Change = TypeVar("Change", ev.AssessmentSubmitted, ev.AssessmentRevised)


def carried(payload: Change) -> Change:
    """``payload`` as the consumer gets it: through the CloudEvent on the wire."""
    received = decode(encode(new_event(payload, service="assessment"))).payload()
    assert isinstance(received, type(payload))
    return received


async def test_an_event_marking_a_competency_not_required_counts_as_one_without(uow):
    # T1 is rated null in state(); the employer marked it not required in this job.
    marked = carried(ev.AssessmentSubmitted(**state(), not_required=["T1"]))
    assert marked.not_required == ["T1"]

    await aggregation.apply_assessment(uow, marked)

    assert uow.cells.rows[("p1", PERIOD)] == tally_json(state())
    assert uow.cells.rows[("p1", PERIOD)]["not_rated"] == {"T1": 1}
    assert uow.assessments.rows["a1"].active is True


async def test_a_revision_from_not_required_to_a_rating_subtracts_exactly(uow):
    await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**state(), not_required=["T1"]))
    rated = {**state(2), "ratings": {"F1": 4, "T1": 3}}
    await aggregation.apply_assessment(uow, carried(ev.AssessmentRevised(**rated)))

    assert uow.cells.rows[("p1", PERIOD)] == tally_json(rated)


def test_an_event_marking_none_is_written_as_before_the_field():
    data = new_event(ev.AssessmentSubmitted(**state()), service="assessment").data
    assert "not_required" not in data
    assert data == state()
