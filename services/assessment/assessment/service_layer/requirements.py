"""Use cases for requirements: what an employer, or a cluster, needs from a field or program.

Each publication is a new version of its series (owner + target); the previous one stays,
marked superseded, so what was asked when is never lost.
"""

from dataclasses import asdict

from assessment import events
from assessment.adapters.repositories import RequirementFilter
from assessment.domain.access import (
    RequirementScope,
    coordinates,
    may_see_requirement,
    sees_every_requirement,
    speaks_for_employer,
)
from assessment.domain.model import Requirement
from assessment.service_layer import known_facts
from assessment.service_layer.commands import PublishRequirement
from assessment.service_layer.unit_of_work import AbstractAssessmentUnitOfWork
from shared.contracts import reference
from shared.platform.auth import Identity
from shared.platform.db.keyset import Page
from shared.platform.db.queries import now
from shared.platform.errors import NotFound, RuleViolation
from shared.platform.ids import new_id


async def _owner_key(
    uow: AbstractAssessmentUnitOfWork, identity: Identity, command: PublishRequirement
) -> str:
    """Check the caller speaks for the owner; the owner's part of the series key."""
    if command.employer_id is not None:
        speaks_for_employer(identity, command.employer_id)
        await known_facts.require_employer(uow, command.employer_id, path=("employer_id",))
        return f"employer:{command.employer_id}"
    cluster_id = command.cluster_id or ""
    cluster = await known_facts.require_cluster(uow, cluster_id, path=("cluster_id",))
    coordinates(identity, cluster)
    return f"cluster:{cluster_id}"


async def _target_key(uow: AbstractAssessmentUnitOfWork, command: PublishRequirement) -> str:
    if command.field_code is not None:
        if command.field_code not in reference.isced_f_detailed_fields():
            raise RuleViolation("field_code", "field_code must be an ISCED-F 2013 detailed field")
        return f"field:{command.field_code}"
    program_id = command.program_id or ""
    await known_facts.require_program(uow, program_id, path=("program_id",))
    return f"program:{program_id}"


async def publish(
    uow: AbstractAssessmentUnitOfWork, identity: Identity, command: PublishRequirement
) -> Requirement:
    """Store the next version of the series and queue requirement.published (the caller
    commits)."""
    owner_key = await _owner_key(uow, identity, command)
    target_key = await _target_key(uow, command)
    framework = await known_facts.require_framework(
        uow, command.framework_id, path=("framework_id",)
    )
    framework.check_known_codes(command.importance, path=("importance",))
    latest = await uow.requirements.latest_version(owner_key, target_key)
    await uow.requirements.supersede(owner_key, target_key)
    requirement = Requirement(
        **asdict(command),
        id=new_id(),
        owner_key=owner_key,
        target_key=target_key,
        version=latest + 1,
        current=True,
        published_by=identity.sub,
        published_at=now(),
    )
    # Two concurrent publications of one series collide on (owner, target, version): 409.
    await uow.requirements.add(requirement)
    uow.publish(events.requirement_published(requirement, framework))
    return requirement


async def _scope(uow: AbstractAssessmentUnitOfWork, identity: Identity) -> RequirementScope:
    """The requirements the caller may see (Forbidden for roles that see none)."""
    if sees_every_requirement(identity):
        return RequirementScope()
    employer_id = identity.org or ""
    return RequirementScope(
        employer_id=employer_id,
        cluster_ids=await uow.facts.clusters_coordinated_by(employer_id),
    )


async def list_visible(
    uow: AbstractAssessmentUnitOfWork,
    identity: Identity,
    where: RequirementFilter,
    *,
    limit: int,
    cursor: str | None,
) -> Page[Requirement]:
    """The requirements the caller may see, a keyset page at a time."""
    scope = await _scope(uow, identity)
    return await uow.requirements.page(scope, where, limit=limit, cursor=cursor)


async def get_visible(
    uow: AbstractAssessmentUnitOfWork, identity: Identity, requirement_id: str
) -> Requirement:
    """One requirement, if the caller may see it."""
    scope = await _scope(uow, identity)
    requirement = await uow.requirements.get(requirement_id)
    if requirement is None:
        raise NotFound("requirement", requirement_id)
    may_see_requirement(scope, requirement)
    return requirement
