"""Registry facts as this service knows them from its projection, with honest refusals.

The projection follows registry events, so it may be a moment behind: an id it has not seen yet
is answered with 409 and Retry-After ("not known here yet"), never with "does not exist".
"""

from typing import TypeVar

from assessment.domain.model import Cluster, Framework, Graduate, Organization, Program
from assessment.service_layer.unit_of_work import AbstractAssessmentUnitOfWork
from shared.platform.errors import Loc, NotKnownYet, RuleViolation

RETRY_AFTER_S = 5
Fact = TypeVar("Fact", Organization, Program, Graduate, Cluster)


def not_known_yet(path: Loc, what: str) -> NotKnownYet:
    return NotKnownYet(
        path,
        f"{what} is not known to the assessment service yet. If it was registered moments ago, "
        "retry shortly; otherwise register it in the registry first.",
        retry_after=RETRY_AFTER_S,
    )


def known(fact: Fact | None, key: str, *, path: Loc, what: str) -> Fact:
    """``fact``: 409 + Retry-After if the projection lacks it, 422 if no longer active."""
    if fact is None:
        raise not_known_yet(path, f"{what} {key}")
    if not fact.active:
        raise RuleViolation(path, f"{what} {key} is not active")
    return fact


async def require_employer(
    uow: AbstractAssessmentUnitOfWork, employer_id: str, *, path: Loc
) -> Organization:
    employer = known(
        await uow.facts.organization(employer_id), employer_id, path=path, what="employer"
    )
    if employer.kind != "employer":
        raise RuleViolation(path, f"organization {employer_id} is not an employer")
    return employer


async def require_graduate(
    uow: AbstractAssessmentUnitOfWork, graduate_id: str, *, path: Loc
) -> Graduate:
    return known(await uow.facts.graduate(graduate_id), graduate_id, path=path, what="graduate")


async def require_program(
    uow: AbstractAssessmentUnitOfWork, program_id: str, *, path: Loc
) -> Program:
    return known(await uow.facts.program(program_id), program_id, path=path, what="program")


async def require_cluster(
    uow: AbstractAssessmentUnitOfWork, cluster_id: str, *, path: Loc
) -> Cluster:
    return known(await uow.facts.cluster(cluster_id), cluster_id, path=path, what="cluster")


async def require_framework(
    uow: AbstractAssessmentUnitOfWork, framework_id: str, *, path: Loc
) -> Framework:
    """A published framework (frameworks are this service's own data: unknown means 422)."""
    framework = await uow.frameworks.get(framework_id)
    if framework is None:
        raise RuleViolation(path, f"framework {framework_id} does not exist")
    return framework
