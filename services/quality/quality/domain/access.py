"""Who may do what with the quality service's data (object-level rules; the web edge asks).

Scores and alerts are aggregates with small cells suppressed: readable by every role but
operator, and by anyone when the service is configured for public scores. Only the ministry
publishes a methodology version.
"""

from shared.platform.auth import Identity
from shared.platform.errors import Forbidden


def reads_without_token(*, public_scores: bool) -> bool:
    """Whether a caller without a token may read scores, alerts and the methodology."""
    return public_scores


def ensure_may_read_scores(identity: Identity) -> None:
    """Forbidden for an operator: they run the platform, they do not read its results."""
    if identity.is_("operator"):
        raise Forbidden("operators have no access to quality scores")


def ensure_may_publish_methodology(identity: Identity) -> None:
    """Forbidden for everyone but the ministry."""
    if not identity.is_("ministry"):
        raise Forbidden("only the ministry publishes the methodology")


def ensure_may_exclude(identity: Identity) -> None:
    """Forbidden for everyone but the ministry."""
    if not identity.is_("ministry"):
        raise Forbidden("only the ministry excludes assessments from the figures")


def ensure_may_publish(identity: Identity) -> None:
    """Forbidden for everyone but the ministry: it opens, answers and publishes releases."""
    if not identity.is_("ministry"):
        raise Forbidden("only the ministry opens and publishes releases")


def ensure_may_review(identity: Identity) -> None:
    """A draft release is seen by the ministry and, for their own figures, by institutions."""
    if not (identity.is_("ministry") or identity.is_("institution")):
        raise Forbidden("only the ministry and institutions see draft releases")


def ensure_may_query(identity: Identity, *, own: bool) -> None:
    """An institution queries figures of its own organization and programs."""
    if not identity.is_("institution"):
        raise Forbidden("institutions query draft figures; the ministry answers")
    if not own:
        raise Forbidden("an institution queries only its own figures")


def ensure_may_read_live(identity: Identity | None) -> None:
    """Live figures move with every assessment; only the ministry reads them."""
    if identity is None or not identity.is_("ministry"):
        raise Forbidden("only the ministry reads live figures; others read publications")
