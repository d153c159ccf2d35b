"""Webhook subscriptions: what one is, the receiver URLs allowed, and its life cycle."""

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from gateway.domain.filters import EventFilter
from shared.platform.auth import Identity
from shared.platform.errors import Conflict, RuleViolation

ACTIVE, DISABLED, DEACTIVATED = "active", "disabled", "deactivated"
_REASON_MAX = 500  # the length of the status_reason column


@dataclass(frozen=True)
class Subscription:
    id: str
    owner: str  # the creator's ``sub``, shown to the ministry
    owner_role: str
    # The creator's Identity.principal: who may see and manage it (a subject is not unique
    # across regions, organizations or issuers).
    owner_principal: str
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
        owner_principal=identity.principal,
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


def check_room(
    held: Sequence[Subscription], *, url: str, wanted: EventFilter, max_per_owner: int
) -> None:
    """Conflict when the owner's active subscriptions (``held``) already send these events to
    this receiver (naming ``url``), or are as many as one owner may hold."""
    same = normalised_url(url)
    for subscription in held:
        if normalised_url(subscription.url) == same and subscription.wanted == wanted:
            raise Conflict(
                f"subscription {subscription.id} already sends these events to this url",
                field="url",
            )
    if len(held) >= max_per_owner:
        raise Conflict(
            f"at most {max_per_owner} active subscriptions per owner; deactivate one first"
        )


def status_reason(reason: str) -> str:
    """A status reason as stored (the column holds 500 characters)."""
    return reason[:_REASON_MAX]


# IPv6 prefixes that carry an IPv4 address in their last 32 bits and lead to it: IPv4-mapped
# (::ffff:0:0/96), SIIT (::ffff:0:0:0/96), IPv4-compatible (::/96) and NAT64 (64:ff9b::/96).
_EMBEDDING_V4 = tuple(
    ipaddress.IPv6Network(prefix)
    for prefix in ("::ffff:0:0/96", "::ffff:0:0:0/96", "::/96", "64:ff9b::/96")
)
# Local-use NAT64 (RFC 8215): where the IPv4 sits depends on the operator's prefix length, so
# what it leads to cannot be known here; it is never a public receiver.
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")


def is_private_address(host: str) -> bool:
    """True for an IP literal that is not a public (global) address, IPv4 inside IPv6 too."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        if address in _LOCAL_NAT64:
            return True
        address = _embedded_ipv4(address) or address
    return not address.is_global or address.is_multicast


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one leads to (a connection to it reaches that IPv4 host)."""
    if address.sixtofour is not None:  # 2002::/16, the IPv4 in bits 16-47
        return address.sixtofour
    if any(address in network for network in _EMBEDDING_V4):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def check_target(url: str, *, allow_private: bool) -> None:
    """RuleViolation (on ``url``) for a receiver on loopback, private or link-local addresses,
    unless those are allowed. The gateway sits next to the services and their databases: a
    webhook must not reach them. Names are checked again when sending (a name may resolve to a
    private address)."""
    host = (urlsplit(url).hostname or "").lower()
    if not allow_private and (host == "localhost" or is_private_address(host)):
        raise RuleViolation("url", f"must lead to a public address; {host} is not one")


_DEFAULT_PORTS = {"http": 80, "https": 443}


def target_of(url: str) -> str:
    """The receiver a URL leads to: ``scheme://host:port``, in lower case."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    port = parts.port or _DEFAULT_PORTS.get(scheme, 0)
    return f"{scheme}://[{host}]:{port}" if ":" in host else f"{scheme}://{host}:{port}"


def normalised_url(url: str) -> str:
    """The URL as compared for duplicates: scheme and host in lower case, no default port, an
    empty path as ``/``."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    if parts.port is not None and parts.port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{host}" if userinfo else host
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, parts.fragment))
