"""What the registry's use cases share: saving a partial change, and the lookups of the
organizations and regions a request refers to."""

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from registry.adapters.repositories import Repository
from registry.domain.model import Organization
from registry.service_layer.unit_of_work import AbstractRegistryUnitOfWork
from shared.platform.db.queries import now
from shared.platform.errors import NotFound, RuleViolation
from shared.platform.messaging.payloads import EventPayload

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

E = TypeVar("E", bound="DataclassInstance")


def given(**filters: object) -> dict[str, object]:
    """The list filters a caller gave (those left out are None)."""
    return {name: value for name, value in filters.items() if value is not None}


async def fetch(repository: Repository[E], key: str, what: str) -> E:
    """The entity with id ``key``; NotFound (naming ``what``) if there is none."""
    item = await repository.get(key)
    if item is None:
        raise NotFound(what, key)
    return item


async def save_changes(
    uow: AbstractRegistryUnitOfWork,
    repository: Repository[E],
    current: E,
    changes: Mapping[str, Any],
    *,
    to_event: Callable[[E], EventPayload],
) -> E:
    """Apply ``changes`` to ``current``; if anything really changed, stamp, store and publish."""
    updated = replace(current, **changes)
    if updated == current:
        return current  # no change, no event
    updated = replace(updated, updated_at=now())
    await repository.update(updated, fields=[*changes, "updated_at"])
    uow.publish(to_event(updated))
    return updated


async def require_organization(
    uow: AbstractRegistryUnitOfWork, organization_id: str, *, field: str, kind: str | None = None
) -> Organization:
    """An active organization a request refers to (RuleViolation naming ``field`` otherwise)."""
    organization = await uow.organizations.get(organization_id)
    if organization is None:
        raise RuleViolation(field, f"unknown organization {organization_id}")
    if not organization.active:
        raise RuleViolation(field, f"organization {organization_id} is not active")
    if kind is not None and organization.kind != kind:
        raise RuleViolation(field, f"organization {organization_id} is not a {kind} organization")
    return organization


async def check_region(uow: AbstractRegistryUnitOfWork, region_code: str) -> None:
    """The region a request refers to exists (RuleViolation on ``region_code`` otherwise)."""
    if await uow.regions.get(region_code) is None:
        raise RuleViolation("region_code", f"unknown region {region_code}")
