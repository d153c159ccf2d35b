"""Webhook subscriptions: what one is, the receiver URLs allowed, and its life cycle."""

import ipaddress
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from gateway.domain.filters import EventFilter
from shared.platform.auth import Identity
from shared.platform.errors import RuleViolation

ACTIVE, DISABLED, DEACTIVATED = "active", "disabled", "deactivated"
_REASON_MAX = 500  # the length of the status_reason column


@dataclass(frozen=True)
class Subscription:
    id: str
    owner: str  # the creator's ``sub``
    owner_role: str
    url: str
    secret: str
    scope: str | None
    region: str | None
    types: tuple[str, ...] | None  # full CloudEvents types, sorted; None: every type
    # active | disabled (by the gateway, after persistent failure) | deactivated (by its owner)
    status: str
    status_reason: str | None
    consecutive_failures: int  # deliveries in a row that failed every attempt
    failing_since: datetime | None  # the first failure since the last success
    created_at: datetime
    updated_at: datetime

    @property
    def wanted(self) -> EventFilter:
        return EventFilter(
            scope=self.scope,
            region=self.region,
            types=frozenset(self.types) if self.types else None,
        )


def new_subscription(
    identity: Identity, *, id: str, url: str, secret: str, wanted: EventFilter, at: datetime
) -> Subscription:
    """An active subscription of the caller's, with no failures yet."""
    return Subscription(
        id=id,
        owner=identity.sub,
        owner_role=identity.role,
        url=url,
        secret=secret,
        scope=wanted.scope,
        region=wanted.region,
        types=tuple(sorted(wanted.types)) if wanted.types else None,
        status=ACTIVE,
        status_reason=None,
        consecutive_failures=0,
        failing_since=None,
        created_at=at,
        updated_at=at,
    )


def status_reason(reason: str) -> str:
    """A status reason as stored (the column holds 500 characters)."""
    return reason[:_REASON_MAX]


def is_private_address(host: str) -> bool:
    """True for an IP literal that is not a public (global) address."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not address.is_global


def check_target(url: str, *, allow_private: bool) -> None:
    """RuleViolation (on ``url``) for a receiver on loopback, private or link-local addresses,
    unless those are allowed. The gateway sits next to the services and their databases: a
    webhook must not reach them. Names are checked again when sending (a name may resolve to a
    private address)."""
    host = (urlsplit(url).hostname or "").lower()
    if not allow_private and (host == "localhost" or is_private_address(host)):
        raise RuleViolation("url", f"must lead to a public address; {host} is not one")
