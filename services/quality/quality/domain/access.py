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
