"""Bulk submissions: all items or none, every refusal reported by its position.

Every item is checked first (reads only), so a bulk submission's checks run before its write
transaction opens and SQLite's one write lock is held only for the batched inserts.
"""

from collections.abc import Sequence

from assessment.domain.model import Assessment
from assessment.service_layer import known_facts
from assessment.service_layer.assessments import (
    AssessmentPolicy,
    NewAssessment,
    prepare,
    store,
)
from assessment.service_layer.commands import SubmitAssessment
from assessment.service_layer.unit_of_work import AbstractAssessmentUnitOfWork
from shared.platform.auth import Identity
from shared.platform.errors import Conflict, Loc, NotKnownYet, Refused, RuleViolation


async def prepare_many(
    uow: AbstractAssessmentUnitOfWork,
    identity: Identity,
    commands: Sequence[SubmitAssessment],
    *,
    policy: AssessmentPolicy,
) -> list[NewAssessment]:
    """Check every item (reads only); Refused, with every failure by position, if any fails."""
    # The items' facts in a few queries, not a round trip per item and fact.
    await uow.facts.read_ahead(
        organization_ids={c.employer_id for c in commands},
        graduate_ids={c.graduate_id for c in commands},
    )
    await uow.assessments.read_twins_ahead(
        {(c.employer_id, c.graduate_id, c.period) for c in commands}
    )
    checked: list[NewAssessment] = []
    failures: list[RuleViolation | Conflict] = []
    first_of: dict[tuple[str, str, int], int] = {}
    for index, command in enumerate(commands):
        at: Loc = ("items", index)
        key = (command.employer_id, command.graduate_id, command.period)
        try:
            if key in first_of:
                raise Conflict(
                    f"item {first_of[key]} already assesses this graduate for {command.period}",
                    field=(*at, "graduate_id"),
                )
            first_of[key] = index
            checked.append(await prepare(uow, identity, command, policy=policy, at=at))
        except (RuleViolation, Conflict) as failure:  # each refusal names its item
            failures.append(failure)
    if failures:
        raise _bulk_refusal(failures, total=len(commands))
    return checked


async def submit_many(
    uow: AbstractAssessmentUnitOfWork,
    identity: Identity,
    commands: Sequence[SubmitAssessment],
    *,
    policy: AssessmentPolicy,
) -> list[Assessment]:
    """All items or none: every item is checked, and every failure is reported by position."""
    return await store(uow, await prepare_many(uow, identity, commands, policy=policy))


def _bulk_refusal(failures: list[RuleViolation | Conflict], *, total: int) -> Refused:
    # Only when every failure may pass on retry (the projection is behind) is the whole
    # request worth retrying as it is.
    retry = all(isinstance(f, NotKnownYet) for f in failures)
    return Refused(
        f"{len(failures)} of {total} items were refused; nothing was saved.",
        errors=[f.error() for f in failures],
        title="Conflict" if retry else "Invalid request",
        retry_after=known_facts.RETRY_AFTER_S if retry else None,
    )
