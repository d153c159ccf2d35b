"""Competency frameworks: versioned and immutable once published."""

import json
import logging
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from sqlalchemy import func, select

from assessment.adapters.tables import frameworks
from assessment.domain.framework_rules import check_codes_unique
from shared.contracts.catalogue.assessment import (
    FrameworkCompetency,
    FrameworkDomain,
    FrameworkPublished,
)
from shared.platform.auth import Identity, forbidden
from shared.platform.ids import new_id
from shared.platform.messaging.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def default_framework() -> dict[str, Any]:
    """The bundled ESS-based framework (domain/default_framework.json; see methodology)."""
    text = resources.files("assessment.domain").joinpath("default_framework.json").read_text()
    return json.loads(text)


def published_event(row: dict[str, Any]) -> FrameworkPublished:
    content = row["content"]
    return FrameworkPublished(
        framework_id=row["id"],
        code=row["code"],
        version=row["version"],
        scale_min=content["scale"]["min"],
        scale_max=content["scale"]["max"],
        domains=[
            FrameworkDomain(
                code=d["code"],
                name_en=d["name"]["en"],
                competencies=[
                    FrameworkCompetency(code=c["code"], name_en=c["name"]["en"])
                    for c in d["competencies"]
                ],
            )
            for d in content["domains"]
        ],
    )


async def publish(uow: UnitOfWork, content: dict[str, Any]) -> dict[str, Any]:
    """Store a framework version for good and announce it (framework.published)."""
    row = {
        "id": new_id(),
        "code": content["code"],
        "version": content["version"],
        "content": content,
        "published_at": datetime.now(UTC),
    }
    await uow.session.execute(frameworks.insert().values(**row))
    uow.publish(published_event(row))
    return row


async def publish_next_version(
    uow: UnitOfWork, identity: Identity, content: dict[str, Any]
) -> dict[str, Any]:
    """The ministry publishes a framework: the next version of its code, frozen from now on.

    Published versions never change (assessments and requirements name the one they used);
    a correction is a new version. Without a scale of its own it uses the default's 1–5 scale.
    """
    if not identity.is_("ministry"):
        raise forbidden("only the ministry publishes competency frameworks")
    check_codes_unique(content)
    latest = await uow.session.scalar(
        select(func.max(frameworks.c.version)).where(frameworks.c.code == content["code"])
    )
    scale = content.get("scale") or default_framework()["scale"]
    return await publish(uow, {**content, "scale": scale, "version": (latest or 0) + 1})


async def ensure_default(uow_factory) -> None:  # type: ignore[no-untyped-def]
    content = default_framework()
    async with uow_factory() as uow:
        found = await uow.session.scalar(
            select(frameworks.c.id).where(
                frameworks.c.code == content["code"], frameworks.c.version == content["version"]
            )
        )
        if found is not None:
            return
        row = await publish(uow, content)
        await uow.commit()
    log.info("published the default framework", extra={"framework_id": row["id"]})
