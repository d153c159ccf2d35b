"""Use cases for requirements: what an employer, or a cluster, needs from a field or program.

Each publication is a new version of its series (owner + target); the previous one stays,
marked superseded, so what was asked when is never lost.
"""

from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, update

from assessment.adapters.tables import projected_clusters, requirements
from assessment.domain.framework_rules import check_known_codes
from assessment.service_layer import known_facts
from shared.contracts import reference
from shared.contracts.catalogue.assessment import RequirementPublished
from shared.platform.auth import Identity, forbidden
from shared.platform.db.queries import now
from shared.platform.errors import RuleViolation
from shared.platform.ids import new_id
from shared.platform.messaging.unit_of_work import UnitOfWork


async def _owner_key(uow: UnitOfWork, identity: Identity, data: dict[str, Any]) -> str:
    """Check the caller speaks for the owner; the owner's part of the series key."""
    if data["employer_id"] is not None:
        if not (identity.is_("employer") and identity.org == data["employer_id"]):
            raise forbidden("only the employer itself states its requirements")
        await known_facts.require_employer(uow, data["employer_id"], path=("employer_id",))
        return f"employer:{data['employer_id']}"
    cluster = await known_facts.require_cluster(uow, data["cluster_id"], path=("cluster_id",))
    if identity.org is None or identity.org != cluster["coordinator_id"]:
        raise forbidden("only the cluster's coordinator states the cluster's requirements")
    return f"cluster:{data['cluster_id']}"


async def _target_key(uow: UnitOfWork, data: dict[str, Any]) -> str:
    if data["field_code"] is not None:
        if data["field_code"] not in reference.isced_f_detailed_fields():
            raise RuleViolation("field_code", "field_code must be an ISCED-F 2013 detailed field")
        return f"field:{data['field_code']}"
    await known_facts.require_program(uow, data["program_id"], path=("program_id",))
    return f"program:{data['program_id']}"


async def publish(uow: UnitOfWork, identity: Identity, data: dict[str, Any]) -> dict[str, Any]:
    owner_key = await _owner_key(uow, identity, data)
    target_key = await _target_key(uow, data)
    framework = await known_facts.require_framework(
        uow, data["framework_id"], path=("framework_id",)
    )
    check_known_codes(data["importance"], framework["content"], path=("importance",))
    series = (requirements.c.owner_key == owner_key, requirements.c.target_key == target_key)
    latest = await uow.session.scalar(select(func.max(requirements.c.version)).where(*series))
    await uow.session.execute(update(requirements).where(*series).values(current=False))
    row = {
        **data,
        "id": new_id(),
        "owner_key": owner_key,
        "target_key": target_key,
        "version": (latest or 0) + 1,
        "current": True,
        "published_by": identity.sub,
        "published_at": now(),
    }
    # Two concurrent publications of one series collide on (owner, target, version): 409.
    await uow.session.execute(requirements.insert().values(**row))
    uow.publish(
        RequirementPublished(
            requirement_id=row["id"],
            version=row["version"],
            employer_id=row["employer_id"],
            cluster_id=row["cluster_id"],
            field_code=row["field_code"],
            program_id=row["program_id"],
            framework_id=framework["id"],
            framework_version=framework["version"],
            importance=row["importance"],
        )
    )
    return row


def visible_requirements(identity: Identity) -> list[ColumnElement[bool]]:
    """Institutions and authorities see every requirement (that is what they are for);
    an employer sees its own and those of the clusters it coordinates."""
    if identity.is_("ministry", "regional_authority", "institution"):
        return []
    if identity.is_("employer"):
        coordinated = select(projected_clusters.c.id).where(
            projected_clusters.c.coordinator_id == identity.org
        )
        return [
            or_(
                requirements.c.employer_id == identity.org,
                requirements.c.cluster_id.in_(coordinated),
            )
        ]
    raise forbidden(f"the {identity.role} role has no access to requirements")
