"""Submit, revise, withdraw and read assessments through the in-memory unit of work."""

from dataclasses import replace
from datetime import date

import pytest
from assessment.adapters.repositories import AssessmentFilter
from assessment.domain.model import Assessment
from assessment.service_layer import assessments as handlers
from assessment.service_layer import bulk_submissions
from assessment.service_layer.commands import ReviseAssessment

from shared.contracts.catalogue.assessment import (
    AssessmentRevised,
    AssessmentSubmitted,
    AssessmentWithdrawn,
)
from shared.platform.errors import (
    Conflict,
    Forbidden,
    NotFound,
    NotKnownYet,
    Refused,
    RuleViolation,
)
from tests.unit.assessment.conftest import (
    AS_EMPLOYER,
    AS_OTHER_EMPLOYER,
    EMPLOYER,
    FRAMEWORK,
    INSTITUTION,
    MINISTRY,
    PERIOD,
    POLICY,
    PROGRAM,
    RATINGS,
    submission,
)
from tests.unit.assessment.fakes import FakeAssessmentRepository


async def submitted(uow, graduate_id: str = "grad-1", **changes) -> Assessment:
    """An assessment submitted and committed, as the create route does."""
    assessment = await handlers.submit(
        uow, AS_EMPLOYER, submission(graduate_id, **changes), policy=POLICY
    )
    await uow.commit()
    return assessment


def revision(assessment: Assessment, **changes) -> ReviseAssessment:
    content = {**assessment.content(), **changes}
    return ReviseAssessment(assessment_id=assessment.id, **content)


async def test_an_accepted_submission_is_stored_and_announces_everything_scoring_needs(uow):
    assessment = await handlers.submit(uow, AS_EMPLOYER, submission(), policy=POLICY)
    assert uow.published == []  # nothing counts before the commit
    await uow.commit()

    assert (assessment.status, assessment.revision) == ("active", 1)
    assert (assessment.institution_id, assessment.program_id) == (INSTITUTION.id, PROGRAM.id)
    assert uow.assessments.rows == {assessment.id: assessment}
    assert uow.published == [
        AssessmentSubmitted(
            assessment_id=assessment.id,
            revision=1,
            employer_id=EMPLOYER.id,
            graduate_id="grad-1",
            program_id=PROGRAM.id,
            institution_id=INSTITUTION.id,
            field_code="0613",
            level="6",
            graduation_year=2024,
            period=PERIOD,
            framework_id=FRAMEWORK.id,
            framework_version=1,
            ratings=RATINGS,
            overall_satisfaction=4,
            preparedness=3,
            would_hire_again=True,
        )
    ]
    assert uow.published[0].partition_key() == INSTITUTION.id
    history = await uow.assessments.history(assessment.id)
    assert [(h.revision, h.action, h.recorded_by) for h in history] == [
        (1, "submitted", AS_EMPLOYER.sub)
    ]
    assert history[0].state["comment"] == "Reliable and quick to learn."


async def test_a_graduate_the_projection_has_not_seen_yet_is_not_known_yet_with_retry_after(
    uow,
):
    with pytest.raises(NotKnownYet) as refused:
        await handlers.submit(uow, AS_EMPLOYER, submission("grad-unseen"), policy=POLICY)
    assert refused.value.loc == ["body", "graduate_id"]
    assert refused.value.retry_after == 5
    assert "not known to the assessment service yet" in str(refused.value)


async def test_a_graduate_with_no_known_employment_by_the_employer_is_not_known_yet(world):
    world.graduate("grad-2", employed=None)
    with pytest.raises(NotKnownYet) as refused:
        await handlers.submit(world.uow, AS_EMPLOYER, submission("grad-2"), policy=POLICY)
    assert refused.value.loc == ["body", "graduate_id"]


async def test_an_employer_that_did_not_employ_the_graduate_in_the_period_breaks_a_rule(world):
    world.graduate("grad-2", employed=(date(2024, 7, 1), date(2024, 12, 31)))
    with pytest.raises(RuleViolation) as refused:
        await handlers.submit(world.uow, AS_EMPLOYER, submission("grad-2"), policy=POLICY)
    assert not isinstance(refused.value, NotKnownYet)
    assert refused.value.field == "graduate_id"
    assert "did not employ the graduate" in str(refused.value)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period": PERIOD + 1}, "period"),
        ({"period": 2023}, "period"),
        ({"framework_id": "nope"}, "framework_id"),
        ({"ratings": {"made.up": 3}}, "made.up"),
    ],
)
async def test_a_submission_breaking_a_rule_names_the_field(uow, changes, field):
    with pytest.raises(RuleViolation) as refused:
        await handlers.submit(uow, AS_EMPLOYER, submission(**changes), policy=POLICY)
    assert refused.value.field == field
    assert uow.assessments.rows == {}


async def test_a_second_active_assessment_for_the_graduate_and_period_is_a_conflict(uow):
    first = await submitted(uow)
    with pytest.raises(Conflict) as refused:
        await handlers.submit(uow, AS_EMPLOYER, submission(), policy=POLICY)
    assert refused.value.loc == ["body", "graduate_id"]
    assert first.id in str(refused.value)


async def test_another_employer_may_not_assess_for_the_employer(uow):
    with pytest.raises(Forbidden):
        await handlers.submit(uow, AS_OTHER_EMPLOYER, submission(), policy=POLICY)
    with pytest.raises(Forbidden):
        await handlers.submit(uow, MINISTRY, submission(), policy=POLICY)


async def test_a_bulk_submission_is_all_or_nothing_with_one_error_per_refused_item(world):
    world.graduate("grad-2")
    uow = world.uow
    items = [
        submission("grad-1"),
        submission("grad-2", ratings={"made.up": 1}),
        submission("grad-1"),  # the same graduate twice in one request
    ]
    async with uow:
        with pytest.raises(Refused) as refused:
            await bulk_submissions.submit_many(uow, AS_EMPLOYER, items, policy=POLICY)
    assert [e["loc"] for e in refused.value.errors] == [
        ["body", "items", 1, "ratings", "made.up"],
        ["body", "items", 2, "graduate_id"],
    ]
    assert "nothing was saved" in str(refused.value)
    assert (refused.value.title, refused.value.retry_after) == ("Invalid request", None)
    assert uow.assessments.rows == {} and uow.published == [] and not uow.committed


async def test_a_bulk_refused_only_for_facts_not_known_yet_may_be_retried_as_it_is(uow):
    items = [submission("grad-unseen"), submission("grad-unseen-too")]
    with pytest.raises(Refused) as refused:
        await bulk_submissions.submit_many(uow, AS_EMPLOYER, items, policy=POLICY)
    assert (refused.value.title, refused.value.retry_after) == ("Conflict", 5)
    assert len(refused.value.errors) == 2


async def test_an_accepted_bulk_submission_stores_and_announces_every_item(world):
    for n in range(2, 5):
        world.graduate(f"grad-{n}")
    uow = world.uow
    items = [submission(f"grad-{n}") for n in range(1, 5)]
    created = await bulk_submissions.submit_many(uow, AS_EMPLOYER, items, policy=POLICY)
    await uow.commit()
    assert [a.graduate_id for a in created] == ["grad-1", "grad-2", "grad-3", "grad-4"]
    assert [type(e) for e in uow.published] == [AssessmentSubmitted] * 4


async def test_a_bulk_submission_is_checked_without_writing_then_stored_in_one_go(world):
    world.graduate("grad-2")
    uow = world.uow
    items = [submission("grad-1"), submission("grad-2")]
    checked = await bulk_submissions.prepare_many(uow, AS_EMPLOYER, items, policy=POLICY)
    assert uow.assessments.rows == {} and uow.assessments.revisions == []
    assert uow.published == []

    stored = await handlers.store(uow, checked)
    await uow.commit()
    assert set(uow.assessments.rows) == {a.id for a in stored}
    assert [r.assessment_id for r in uow.assessments.revisions] == [a.id for a in stored]
    assert [type(e) for e in uow.published] == [AssessmentSubmitted] * 2


async def test_a_revision_replaces_the_content_commits_and_announces_the_new_state(uow):
    first = await submitted(uow)
    revised = await handlers.revise(uow, AS_EMPLOYER, revision(first, overall_satisfaction=5))
    assert (revised.revision, revised.overall_satisfaction) == (2, 5)
    assert uow.assessments.rows[first.id] == revised
    assert uow.commits == 2
    assert [type(e) for e in uow.published] == [AssessmentSubmitted, AssessmentRevised]
    assert (uow.published[1].revision, uow.published[1].overall_satisfaction) == (2, 5)


async def test_a_revision_that_changes_nothing_makes_no_revision_and_publishes_nothing(uow):
    first = await submitted(uow)
    unchanged = await handlers.revise(uow, AS_EMPLOYER, revision(first))
    assert unchanged == first
    assert [type(e) for e in uow.published] == [AssessmentSubmitted]
    assert len(await uow.assessments.history(first.id)) == 1


async def test_a_revision_naming_an_unknown_competency_is_refused(uow):
    first = await submitted(uow)
    with pytest.raises(RuleViolation) as refused:
        await handlers.revise(uow, AS_EMPLOYER, revision(first, ratings={"made.up": 2}))
    assert refused.value.loc == ["body", "ratings", "made.up"]


async def test_a_revision_that_read_a_state_replaced_meanwhile_is_a_conflict(uow):
    first = await submitted(uow)

    class Stale(FakeAssessmentRepository):
        async def get(self, assessment_id):
            # What a request read just before another revision was written.
            return replace(self.rows[assessment_id], revision=1)

    uow.assessments = Stale(rows={first.id: replace(first, revision=2)})
    with pytest.raises(Conflict):
        await handlers.revise(uow, AS_EMPLOYER, revision(first, preparedness=1))
    assert uow.assessments.rows[first.id].revision == 2


async def test_a_withdrawn_assessment_cannot_be_revised(uow):
    first = await submitted(uow)
    await handlers.withdraw(uow, AS_EMPLOYER, first.id)
    with pytest.raises(Conflict) as refused:
        await handlers.revise(uow, AS_EMPLOYER, revision(first, overall_satisfaction=1))
    assert refused.value.loc == ["body", "status"]


async def test_withdrawing_twice_changes_nothing_the_second_time(uow):
    first = await submitted(uow)
    withdrawn = await handlers.withdraw(uow, AS_EMPLOYER, first.id)
    again = await handlers.withdraw(uow, AS_EMPLOYER, first.id)
    assert (withdrawn.status, withdrawn.revision) == ("withdrawn", 2)
    assert again == withdrawn
    assert [type(e) for e in uow.published] == [AssessmentSubmitted, AssessmentWithdrawn]
    assert uow.published[1].overall_satisfaction == 4  # the state that stops counting
    history = await handlers.history(uow, AS_EMPLOYER, first.id)
    assert [h.action for h in history] == ["submitted", "withdrawn"]


async def test_a_new_assessment_may_follow_a_withdrawn_one(uow):
    first = await submitted(uow)
    await handlers.withdraw(uow, AS_EMPLOYER, first.id)
    second = await submitted(uow)
    assert second.id != first.id and second.status == "active"


async def test_only_the_employer_itself_reads_or_changes_its_assessments(uow):
    first = await submitted(uow)
    # Another employer is told what it would be told of an assessment that does not exist.
    for call in (
        handlers.own(uow, AS_OTHER_EMPLOYER, first.id),
        handlers.history(uow, AS_OTHER_EMPLOYER, first.id),
        handlers.withdraw(uow, AS_OTHER_EMPLOYER, first.id),
        handlers.revise(uow, AS_OTHER_EMPLOYER, revision(first, preparedness=1)),
    ):
        with pytest.raises(NotFound):
            await call
    for call in (
        handlers.own(uow, MINISTRY, first.id),
        handlers.list_own(uow, MINISTRY, AssessmentFilter(), limit=10, cursor=None),
    ):
        with pytest.raises(Forbidden):
            await call
    with pytest.raises(NotFound):
        await handlers.own(uow, AS_EMPLOYER, "nope")
    others = await handlers.list_own(
        uow, AS_OTHER_EMPLOYER, AssessmentFilter(), limit=10, cursor=None
    )
    assert others.items == []


async def test_an_employer_lists_its_own_assessments_a_page_at_a_time(world):
    for n in range(2, 4):
        world.graduate(f"grad-{n}")
    uow = world.uow
    for n in range(1, 4):
        await submitted(uow, f"grad-{n}")
    first = await handlers.list_own(uow, AS_EMPLOYER, AssessmentFilter(), limit=2, cursor=None)
    rest = await handlers.list_own(
        uow, AS_EMPLOYER, AssessmentFilter(), limit=2, cursor=first.next_cursor
    )
    assert len(first.items) == 2 and len(rest.items) == 1 and rest.next_cursor is None
    only = await handlers.list_own(
        uow, AS_EMPLOYER, AssessmentFilter(graduate_id="grad-2"), limit=10, cursor=None
    )
    assert [a.graduate_id for a in only.items] == ["grad-2"]
