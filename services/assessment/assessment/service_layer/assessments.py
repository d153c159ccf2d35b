"""Use cases for assessments: submit (one or many), revise, withdraw; history kept for each."""

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any, NamedTuple

from assessment import events
from assessment.adapters.repositories import AssessmentFilter
from assessment.domain.access import acts_for, may_list_assessments
from assessment.domain.eligibility import (
    Employment,
    counting,
    covers_period,
    not_eligible,
    overlaps_period,
)
from assessment.domain.model import (
    Action,
    Assessment,
    AssessmentRevision,
    Framework,
    Graduate,
    in_code_order,
)
from assessment.service_layer import known_facts
from assessment.service_layer.commands import ReviseAssessment, SubmitAssessment
from assessment.service_layer.unit_of_work import AbstractAssessmentUnitOfWork
from shared.platform.auth import Identity
from shared.platform.db.keyset import Page
from shared.platform.db.queries import now
from shared.platform.errors import Conflict, Loc, NotFound, NotKnownYet, RuleViolation
from shared.platform.ids import new_id
from shared.platform.messaging.payloads import EventPayload

ANNOUNCEMENTS = {
    "submitted": events.assessment_submitted,
    "revised": events.assessment_revised,
    "withdrawn": events.assessment_withdrawn,
}


@dataclass(frozen=True)
class AssessmentPolicy:
    """Settings the rules depend on (from AssessmentSettings), and the clock they read."""

    window_months: int
    today: Callable[[], date] = date.today


class _Checked(NamedTuple):
    """What the checks of a new assessment read, kept for its announcement."""

    graduate: Graduate
    framework: Framework


async def _check_new(
    uow: AbstractAssessmentUnitOfWork,
    command: SubmitAssessment,
    *,
    policy: AssessmentPolicy,
    at: Loc,
) -> _Checked:
    """Every rule for a new assessment; returns the projected graduate and the framework."""
    if command.period > policy.today().year:
        raise RuleViolation((*at, "period"), "period may not be a future year")
    framework = await known_facts.require_framework(
        uow, command.framework_id, path=(*at, "framework_id")
    )
    framework.check_known_codes(command.ratings, path=(*at, "ratings"))
    framework.check_not_required(command.not_required, command.ratings, path=(*at, "not_required"))
    await known_facts.require_employer(uow, command.employer_id, path=(*at, "employer_id"))
    graduate = await known_facts.require_graduate(
        uow, command.graduate_id, path=(*at, "graduate_id")
    )
    if command.period < graduate.graduation_year:
        raise RuleViolation(
            (*at, "period"), f"the graduate graduated in {graduate.graduation_year}"
        )
    await _check_employed(uow, command, policy=policy, at=at)
    await _check_no_active_twin(uow, command, at=at)
    return _Checked(graduate, framework)


async def _check_employed(
    uow: AbstractAssessmentUnitOfWork,
    command: SubmitAssessment,
    *,
    policy: AssessmentPolicy,
    at: Loc,
) -> None:
    known = await uow.facts.employments(
        employer_id=command.employer_id, graduate_id=command.graduate_id
    )
    if not known:
        raise known_facts.not_known_yet(
            (*at, "graduate_id"),
            f"an employment of graduate {command.graduate_id} by employer {command.employer_id}",
        )

    def covered(employments: list[Employment]) -> bool:
        return covers_period(
            employments,
            period=command.period,
            today=policy.today(),
            window_months=policy.window_months,
        )

    if not covered(known):
        raise RuleViolation(
            (*at, "graduate_id"),
            f"this employer did not employ the graduate in {command.period}, or the employment "
            f"ended more than {policy.window_months} months ago",
        )
    if not covered(counting(known)):
        covering = [e for e in known if covered([e])]
        reason = not_eligible(covering, period=command.period)
        if any(e.state == "claimed" for e in covering):
            # A confirmation may be on its way to the projection: a refusal that may pass.
            raise NotKnownYet(
                (*at, "graduate_id"),
                f"{reason} (if it was confirmed moments ago, retry shortly)",
                retry_after=known_facts.RETRY_AFTER_S,
            )
        raise RuleViolation((*at, "graduate_id"), reason)


async def _check_still_eligible(uow: AbstractAssessmentUnitOfWork, assessment: Assessment) -> None:
    """A revision needs a confirmed or verified employment overlapping the assessment's period
    (the window bounds new submissions only); a disputed one conflicts until it is settled."""
    known = await uow.facts.employments(
        employer_id=assessment.employer_id, graduate_id=assessment.graduate_id
    )
    period = assessment.period
    if not overlaps_period(counting(known), period=period):
        overlapping = [e for e in known if overlaps_period([e], period=period)]
        raise Conflict(not_eligible(overlapping, period=period))


async def _check_no_active_twin(
    uow: AbstractAssessmentUnitOfWork, command: SubmitAssessment, *, at: Loc
) -> None:
    twin = await uow.assessments.active_twin(
        employer_id=command.employer_id, graduate_id=command.graduate_id, period=command.period
    )
    if twin is not None:
        raise Conflict(
            f"this graduate already has an active assessment for {command.period} ({twin}); "
            f"revise it with PUT /api/v1/assessments/{twin}",
            field=(*at, "graduate_id"),
        )


@dataclass(frozen=True)
class NewAssessment:
    """A submission checked and ready to store: the assessment, its first history entry and
    its announcement."""

    assessment: Assessment
    revision: AssessmentRevision
    announcement: EventPayload


def _revision(
    assessment: Assessment, *, action: Action, by: str, reason: str | None = None
) -> AssessmentRevision:
    state = assessment.state()
    return AssessmentRevision(
        assessment_id=assessment.id,
        revision=assessment.revision,
        action=action,
        state=state if reason is None else {**state, "reason": reason},
        recorded_by=by,
        recorded_at=assessment.updated_at,
    )


async def _announcement(
    uow: AbstractAssessmentUnitOfWork,
    assessment: Assessment,
    *,
    action: Action,
    at: Loc = (),
    checked: _Checked | None = None,
) -> EventPayload:
    """The event announcing this state, keyed by the institution so its scoring stays in order
    (``checked``: the graduate and framework the caller read already)."""
    if checked is None:
        graduate = await uow.facts.graduate(assessment.graduate_id)
        framework = await uow.frameworks.get(assessment.framework_id)
    else:
        graduate, framework = checked
    # The graduate's program as the projection knows it now (a graduate's record holds one).
    program = await uow.facts.program(graduate.program_id) if graduate else None
    if graduate is None or program is None or framework is None:
        # The checks before made these known; only a projection behind its own rows gets here.
        raise known_facts.not_known_yet(
            (*at, "graduate_id"), f"the program of graduate {assessment.graduate_id}"
        )
    return ANNOUNCEMENTS[action](
        assessment, graduate=graduate, program=program, framework=framework
    )


async def _record(
    uow: AbstractAssessmentUnitOfWork,
    assessment: Assessment,
    *,
    action: Action,
    by: str,
    reason: str | None = None,
) -> None:
    """Keep this state in the history and announce it."""
    await uow.assessments.add_revisions(
        [_revision(assessment, action=action, by=by, reason=reason)]
    )
    uow.publish(await _announcement(uow, assessment, action=action))


async def prepare(
    uow: AbstractAssessmentUnitOfWork,
    identity: Identity,
    command: SubmitAssessment,
    *,
    policy: AssessmentPolicy,
    at: Loc = (),
) -> NewAssessment:
    """Check a new assessment and build what storing it writes (reads only)."""
    acts_for(identity, command.employer_id)
    checked = await _check_new(uow, command, policy=policy, at=at)
    graduate = checked.graduate
    moment = now()
    assessment = Assessment(
        **asdict(command) | {"not_required": in_code_order(command.not_required)},
        id=new_id(),
        status="active",
        revision=1,
        institution_id=graduate.institution_id,
        program_id=graduate.program_id,
        submitted_at=moment,
        updated_at=moment,
    )
    return NewAssessment(
        assessment=assessment,
        revision=_revision(assessment, action="submitted", by=identity.sub),
        announcement=await _announcement(
            uow, assessment, action="submitted", at=at, checked=checked
        ),
    )


async def prepare_one(
    uow: AbstractAssessmentUnitOfWork,
    identity: Identity,
    command: SubmitAssessment,
    *,
    policy: AssessmentPolicy,
) -> NewAssessment:
    """``prepare`` for a submission on its own, its facts read in one query, not one each."""
    acts_for(identity, command.employer_id)
    await uow.read_ahead_submission(
        employer_id=command.employer_id,
        graduate_id=command.graduate_id,
        period=command.period,
        framework_id=command.framework_id,
    )
    return await prepare(uow, identity, command, policy=policy)


async def store(
    uow: AbstractAssessmentUnitOfWork, new: Sequence[NewAssessment]
) -> list[Assessment]:
    """Write checked submissions in batched statements and queue their events (the caller
    commits). Two concurrent twins both pass the checks; the partial unique index stops one."""
    await uow.assessments.add_many([n.assessment for n in new])
    await uow.assessments.add_revisions([n.revision for n in new])
    for n in new:
        uow.publish(n.announcement)
    return [n.assessment for n in new]


async def submit(
    uow: AbstractAssessmentUnitOfWork,
    identity: Identity,
    command: SubmitAssessment,
    *,
    policy: AssessmentPolicy,
) -> Assessment:
    """Store a new assessment and queue assessment.submitted (the caller commits)."""
    (stored,) = await store(uow, [await prepare_one(uow, identity, command, policy=policy)])
    return stored


async def own(
    uow: AbstractAssessmentUnitOfWork, identity: Identity, assessment_id: str
) -> Assessment:
    """The caller's assessment: Forbidden for a role that has none; NotFound if there is none
    or it is another employer's (that an employer assessed a graduate is not the others' to
    learn, even by the answer)."""
    may_list_assessments(identity)
    assessment = await uow.assessments.get(assessment_id)
    if assessment is None or assessment.employer_id != identity.org:
        raise NotFound("assessment", assessment_id)
    return assessment


async def _save(
    uow: AbstractAssessmentUnitOfWork, assessment: Assessment, **changes: Any
) -> Assessment:
    """Write ``changes`` as the next revision, unless someone else wrote one first (409)."""
    updated = replace(assessment, **changes, revision=assessment.revision + 1, updated_at=now())
    if not await uow.assessments.update(updated, expected_revision=assessment.revision):
        raise Conflict("The assessment was changed at the same time; read it and retry.")
    return updated


async def revise(
    uow: AbstractAssessmentUnitOfWork, identity: Identity, command: ReviseAssessment
) -> Assessment:
    """Replace an active assessment's content as its next revision and commit; an unchanged
    content makes no revision and no event."""
    assessment = await own(uow, identity, command.assessment_id)
    if assessment.status != "active":
        raise Conflict("a withdrawn assessment cannot be revised; submit a new one", field="status")
    framework = await known_facts.require_framework(uow, assessment.framework_id, path=("ratings",))
    framework.check_known_codes(command.ratings, path=("ratings",))
    framework.check_not_required(command.not_required, command.ratings, path=("not_required",))
    content = {k: v for k, v in asdict(command).items() if k != "assessment_id"}
    content["not_required"] = in_code_order(command.not_required)
    if assessment.content() == content:
        return assessment
    await _check_still_eligible(uow, assessment)
    updated = await _save(uow, assessment, **content)
    await _record(uow, updated, action="revised", by=identity.sub)
    await uow.commit()
    return updated


async def withdraw(
    uow: AbstractAssessmentUnitOfWork, identity: Identity, assessment_id: str
) -> Assessment:
    """Withdraw an active assessment and commit; withdrawing it again changes nothing."""
    assessment = await own(uow, identity, assessment_id)
    if assessment.status == "withdrawn":
        return assessment
    updated = await withdrawn(uow, assessment, by=identity.sub)
    await uow.commit()
    return updated


async def withdrawn(
    uow: AbstractAssessmentUnitOfWork,
    assessment: Assessment,
    *,
    by: str,
    reason: str | None = None,
) -> Assessment:
    """An active assessment withdrawn as its next revision, kept in the history (with
    ``reason``, if given) and announced; the caller commits. Every withdrawal goes this way."""
    updated = await _save(uow, assessment, status="withdrawn")
    await _record(uow, updated, action="withdrawn", by=by, reason=reason)
    return updated


async def list_own(
    uow: AbstractAssessmentUnitOfWork,
    identity: Identity,
    where: AssessmentFilter,
    *,
    limit: int,
    cursor: str | None,
) -> Page[Assessment]:
    """The caller's own assessments (employers only), a keyset page at a time."""
    may_list_assessments(identity)
    return await uow.assessments.page_of_employer(
        identity.org or "", where, limit=limit, cursor=cursor
    )


async def history(
    uow: AbstractAssessmentUnitOfWork, identity: Identity, assessment_id: str
) -> list[AssessmentRevision]:
    """Every state the caller's assessment has had, oldest first."""
    await own(uow, identity, assessment_id)
    return await uow.assessments.history(assessment_id)
