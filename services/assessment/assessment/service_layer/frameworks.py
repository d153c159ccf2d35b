"""Competency frameworks: versioned and immutable once published."""

import json
import logging
from collections.abc import Callable
from dataclasses import asdict
from functools import cache
from importlib import resources
from typing import Any

from assessment import events
from assessment.domain.access import may_publish_frameworks, may_read_frameworks
from assessment.domain.framework_rules import check_codes_unique
from assessment.domain.model import Framework
from assessment.service_layer.commands import PublishFramework
from assessment.service_layer.unit_of_work import AbstractAssessmentUnitOfWork
from shared.platform.auth import Identity
from shared.platform.db.keyset import Page
from shared.platform.db.queries import now
from shared.platform.errors import NotFound
from shared.platform.ids import new_id

log = logging.getLogger(__name__)


@cache
def _default_framework_text() -> str:
    # Read once: a package file, so later calls do no I/O on the event loop.
    return resources.files("assessment.domain").joinpath("default_framework.json").read_text()


def default_framework() -> dict[str, Any]:
    """The bundled ESS-based framework (domain/default_framework.json; see methodology)."""
    content: dict[str, Any] = json.loads(_default_framework_text())
    return content


async def publish(uow: AbstractAssessmentUnitOfWork, content: dict[str, Any]) -> Framework:
    """Store a framework version for good and queue framework.published (the caller commits)."""
    framework = Framework(
        id=new_id(),
        code=content["code"],
        version=content["version"],
        content=content,
        published_at=now(),
    )
    await uow.frameworks.add(framework)
    uow.publish(events.framework_published(framework))
    return framework


async def publish_next_version(
    uow: AbstractAssessmentUnitOfWork, identity: Identity, command: PublishFramework
) -> Framework:
    """The ministry publishes a framework: the next version of its code, frozen from now on.

    Published versions never change (assessments and requirements name the one they used);
    a correction is a new version. It uses the default framework's 1–5 scale.
    """
    may_publish_frameworks(identity)
    content: dict[str, Any] = asdict(command)
    check_codes_unique(content)
    latest = await uow.frameworks.latest_version(command.code)
    scale = default_framework()["scale"]
    return await publish(uow, {**content, "scale": scale, "version": latest + 1})


async def ensure_default(uow_factory: Callable[[], AbstractAssessmentUnitOfWork]) -> None:
    """Publish the bundled default framework unless its version is there already."""
    content = default_framework()
    async with uow_factory() as uow:
        if await uow.frameworks.find_version(content["code"], content["version"]) is not None:
            return
        framework = await publish(uow, content)
        await uow.commit()
    log.info("published the default framework", extra={"framework_id": framework.id})


async def list_frameworks(
    uow: AbstractAssessmentUnitOfWork, identity: Identity | None, *, limit: int, cursor: str | None
) -> Page[Framework]:
    """Published frameworks, a keyset page at a time."""
    may_read_frameworks(identity)
    return await uow.frameworks.page(limit=limit, cursor=cursor)


async def get_framework(
    uow: AbstractAssessmentUnitOfWork, identity: Identity | None, framework_id: str
) -> Framework:
    may_read_frameworks(identity)
    framework = await uow.frameworks.get(framework_id)
    if framework is None:
        raise NotFound("framework", framework_id)
    return framework
