"""Who may read the quality event stream and hold webhook subscriptions, and whose they see.

The gateway's role × route matrix (edge/access.py) already keeps other roles off these routes;
this is the rule itself, checked again by the use cases on the verified identity.
"""

from shared.platform.auth import Identity, forbidden

SUBSCRIBER_ROLES = ("ministry", "regional_authority")
# The ministry oversees every subscription; anyone else sees only their own.
_OVERSEER = "ministry"


def require_subscriber(identity: Identity) -> None:
    """Forbidden unless the caller may stream quality events and subscribe to them."""
    if not identity.is_(*SUBSCRIBER_ROLES):
        raise forbidden("quality event streams and webhooks are for the ministry and regions")


def visible_owner(identity: Identity) -> str | None:
    """The owner principal whose subscriptions the caller sees; None when it sees everyone's."""
    return None if identity.is_(_OVERSEER) else identity.principal


def may_see(identity: Identity, owner_principal: str) -> bool:
    """May the caller see (and manage) a subscription created by ``owner_principal``? The whole
    identity must match, not the subject alone."""
    return identity.is_(_OVERSEER) or identity.principal == owner_principal
