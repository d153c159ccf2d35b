"""Use cases for assessments: submit (one or many), revise, withdraw; history kept for each."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from assessment.adapters.tables import assessment_revisions, assessments
from assessment.domain.eligibility import covers_period
from assessment.domain.framework_rules import check_known_codes
from assessment.service_layer import known_facts
from assessment.service_layer.assessment_events import publish_state
from shared.platform.auth import Identity, forbidden
from shared.platform.db.queries import fetch_one, now
from shared.platform.errors import Conflict, NotKnownYet, Refused, RuleViolation
from shared.platform.ids import new_id
from shared.platform.messaging.unit_of_work import UnitOfWork

Path = tuple[str | int, ...]
CONTENT_FIELDS = (
    "ratings",
    "overall_satisfaction",
    "preparedness",
    "would_hire_again",
    "comment",
)


@dataclass(frozen=True)
class AssessmentPolicy:
    """Settings the rules depend on (from AssessmentSettings)."""

    window_months: int


def acts_for(identity: Identity, employer_id: str) -> None:
    """Only the employer itself submits, revises, withdraws or reads its assessments."""
    if not (identity.is_("employer") and identity.org == employer_id):
        raise forbidden("only the employer itself may assess its employees or see its assessments")


async def _check_new(
    uow: UnitOfWork, data: dict[str, Any], *, policy: AssessmentPolicy, at: Path
) -> dict[str, Any]:
    """Every rule for a new assessment; returns the projected graduate."""
    if data["period"] > date.today().year:
        raise RuleViolation((*at, "period"), "period may not be a future year")
    framework = await known_facts.require_framework(
        uow, data["framework_id"], path=(*at, "framework_id")
    )
    check_known_codes(data["ratings"], framework["content"], path=(*at, "ratings"))
    await known_facts.require_employer(uow, data["employer_id"], path=(*at, "employer_id"))
    graduate = await known_facts.require_graduate(
        uow, data["graduate_id"], path=(*at, "graduate_id")
    )
    if data["period"] < graduate["graduation_year"]:
        raise RuleViolation(
            (*at, "period"), f"the graduate graduated in {graduate['graduation_year']}"
        )
    await _check_employed(uow, data, policy=policy, at=at)
    await _check_no_active_twin(uow, data, at=at)
    return graduate


async def _check_employed(
    uow: UnitOfWork, data: dict[str, Any], *, policy: AssessmentPolicy, at: Path
) -> None:
    known = await known_facts.employments_of(
        uow, employer_id=data["employer_id"], graduate_id=data["graduate_id"]
    )
    if not known:
        raise known_facts.not_known_yet(
            (*at, "graduate_id"),
            f"an employment of graduate {data['graduate_id']} by employer {data['employer_id']}",
        )
    if not covers_period(
        known, period=data["period"], today=date.today(), window_months=policy.window_months
    ):
        raise RuleViolation(
            (*at, "graduate_id"),
            f"this employer did not employ the graduate in {data['period']}, or the employment "
            f"ended more than {policy.window_months} months ago",
        )


async def _check_no_active_twin(uow: UnitOfWork, data: dict[str, Any], *, at: Path) -> None:
    twin = await uow.session.scalar(
        select(assessments.c.id).where(
            assessments.c.employer_id == data["employer_id"],
            assessments.c.graduate_id == data["graduate_id"],
            assessments.c.period == data["period"],
            assessments.c.status == "active",
        )
    )
    if twin is not None:
        raise Conflict(
            f"this graduate already has an active assessment for {data['period']} ({twin}); "
            f"revise it with PUT /api/v1/assessments/{twin}",
            field=(*at, "graduate_id"),
        )


async def _record(uow: UnitOfWork, row: dict[str, Any], *, action: str, identity: Identity) -> None:
    """Keep this state in the history and announce it."""
    state = {k: row[k] for k in ("status", "framework_id", *CONTENT_FIELDS)}
    await uow.session.execute(
        assessment_revisions.insert().values(
            assessment_id=row["id"],
            revision=row["revision"],
            action=action,
            state=state,
            recorded_by=identity.sub,
            recorded_at=row["updated_at"],
        )
    )
    await publish_state(uow, row, action=action)


async def submit(
    uow: UnitOfWork,
    identity: Identity,
    data: dict[str, Any],
    *,
    policy: AssessmentPolicy,
    at: Path = (),
) -> dict[str, Any]:
    acts_for(identity, data["employer_id"])
    graduate = await _check_new(uow, data, policy=policy, at=at)
    at_ = now()
    row = {
        **data,
        "id": new_id(),
        "status": "active",
        "revision": 1,
        "institution_id": graduate["institution_id"],
        "program_id": graduate["program_id"],
        "submitted_at": at_,
        "updated_at": at_,
    }
    await uow.session.execute(assessments.insert().values(**row))
    await _record(uow, row, action="submitted", identity=identity)
    return row


async def submit_many(
    uow: UnitOfWork,
    identity: Identity,
    items: list[dict[str, Any]],
    *,
    policy: AssessmentPolicy,
) -> list[dict[str, Any]]:
    """All items or none: every item is checked, and every failure is reported by position."""
    created, failures = [], []
    for index, data in enumerate(items):
        try:
            created.append(await submit(uow, identity, data, policy=policy, at=("items", index)))
        except RuleViolation as failure:
            failures.append(failure)
    if failures:
        raise _bulk_refusal(failures, total=len(items))
    return created


def _bulk_refusal(failures: list[RuleViolation], *, total: int) -> Refused:
    # Only when every failure may pass on retry (the projection is behind) is the whole
    # request worth retrying as it is.
    retry = all(isinstance(f, NotKnownYet) for f in failures)
    return Refused(
        f"{len(failures)} of {total} items were refused; nothing was saved.",
        errors=[f.error() for f in failures],
        title="Conflict" if retry else "Invalid request",
        retry_after=known_facts.RETRY_AFTER_S if retry else None,
    )


async def _own(uow: UnitOfWork, identity: Identity, assessment_id: str) -> dict[str, Any]:
    row = await fetch_one(uow.session, assessments, assessment_id, "assessment")
    acts_for(identity, row["employer_id"])
    return row


async def _save(uow: UnitOfWork, row: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Write ``changes`` as the next revision, unless someone else wrote one first (409)."""
    updated = {**row, **changes, "revision": row["revision"] + 1, "updated_at": now()}
    result = await uow.session.execute(
        assessments.update()
        .where(assessments.c.id == row["id"], assessments.c.revision == row["revision"])
        .values(**changes, revision=updated["revision"], updated_at=updated["updated_at"])
    )
    if result.rowcount != 1:
        raise Conflict("The assessment was changed at the same time; read it and retry.")
    return updated


async def revise(
    uow: UnitOfWork, identity: Identity, assessment_id: str, changes: dict[str, Any]
) -> dict[str, Any]:
    row = await _own(uow, identity, assessment_id)
    if row["status"] != "active":
        raise Conflict("a withdrawn assessment cannot be revised; submit a new one", field="status")
    framework = await known_facts.require_framework(uow, row["framework_id"], path=("ratings",))
    check_known_codes(changes["ratings"], framework["content"], path=("ratings",))
    if all(row[k] == changes[k] for k in CONTENT_FIELDS):
        return row  # nothing changed: no revision, no event
    updated = await _save(uow, row, changes)
    await _record(uow, updated, action="revised", identity=identity)
    return updated


async def withdraw(uow: UnitOfWork, identity: Identity, assessment_id: str) -> dict[str, Any]:
    """Withdraw an active assessment; withdrawing it again changes nothing."""
    row = await _own(uow, identity, assessment_id)
    if row["status"] == "withdrawn":
        return row
    updated = await _save(uow, row, {"status": "withdrawn"})
    await _record(uow, updated, action="withdrawn", identity=identity)
    return updated
