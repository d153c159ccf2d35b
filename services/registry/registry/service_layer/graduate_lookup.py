"""An employer finds the graduate it employs by the person's national identifier (PINFL).

Only exact matches of the identifier's person key are answered (every active degree of that
person), never a list or a prefix, and no match is an empty answer, not a refusal. Each lookup
is kept in the audit trail with the graduates it matched, never the identifier. An employer
makes at most ``per_hour`` lookups in any hour, counted from that trail: a PINFL holds its
owner's birth date, so the gateway's per-token rate (20 a second) would let an employer try
every plausible identifier of someone it knows of; the quota does not.
"""

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

from registry.domain import access
from registry.domain.model import Graduate
from registry.domain.person_key import PersonKeys
from registry.service_layer.unit_of_work import AbstractRegistryUnitOfWork
from shared.platform.auth import Identity
from shared.platform.db.queries import now
from shared.platform.errors import RuleViolation

LOOKED_UP = "educluster.registry.graduates.looked_up"
QUOTA_WINDOW = timedelta(hours=1)


class TooManyLookups(Exception):
    """The employer made its ``quota`` of lookups in the last hour: the next one fits in
    ``retry_after_s`` seconds."""

    def __init__(self, *, quota: int, retry_after_s: int) -> None:
        super().__init__(f"{quota} lookups in the last hour")
        self.quota, self.retry_after_s = quota, retry_after_s


def require_person_keys(keys: PersonKeys | None) -> PersonKeys:
    """``keys``; without a person key configured, national identifiers are refused."""
    if keys is None:
        raise RuleViolation(
            "national_id",
            "national identifiers are not accepted here: the registry has no person key "
            "(EDUCLUSTER_REGISTRY_PERSON_KEY_SECRET)",
        )
    return keys


async def look_up(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    national_id: str,
    *,
    person_keys: PersonKeys | None,
    per_hour: int,
) -> list[Graduate]:
    """The active graduate records of the person ``national_id`` names, the latest
    graduation first (audited: commit the unit of work)."""
    access.can_look_up_graduates(identity)
    person_key = require_person_keys(person_keys).of(national_id)
    subject = f"organizations/{identity.org}/graduate-lookups"
    latest = await uow.audit_log.latest_times(subject, limit=per_hour)
    wait_s = seconds_until_one_more(latest, quota=per_hour, at=now())
    if wait_s:
        raise TooManyLookups(quota=per_hour, retry_after_s=wait_s)
    found = (await uow.graduates.by_person_keys([person_key])).get(person_key, [])
    matches = sorted((g for g in found if g.active), key=lambda g: (-g.graduation_year, g.id))
    uow.audit(LOOKED_UP, subject, {"matches": [g.id for g in matches]})
    return matches


def seconds_until_one_more(latest: Sequence[datetime], *, quota: int, at: datetime) -> int:
    """0 when a lookup fits the quota at ``at``, given the times of the latest ``quota``
    lookups (newest first); else the whole seconds until the oldest of them leaves the hour."""
    if len(latest) < quota:
        return 0
    frees_at = latest[quota - 1] + QUOTA_WINDOW
    return max(0, math.ceil((frees_at - at).total_seconds()))
