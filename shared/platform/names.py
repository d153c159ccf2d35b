"""The platform's names, said once: services, roles, topics, the API prefix, default ports."""

SERVICES = ("registry", "assessment", "quality", "gateway")
ROLES = ("ministry", "regional_authority", "institution", "employer", "operator")

# The port each service listens on when the launcher runs the platform locally.
DEFAULT_PORTS = {"gateway": 8000, "registry": 8001, "assessment": 8002, "quality": 8003}

API_PREFIX = "/api/v1"

REGISTRY_TOPIC = "educluster.registry.v1"
ASSESSMENT_TOPIC = "educluster.assessment.v1"
QUALITY_TOPIC = "educluster.quality.v1"
# The ministry's live figures (score.updated per window): only the ministry's systems may read it;
# everyone else follows publications on QUALITY_TOPIC.
QUALITY_LIVE_TOPIC = "educluster.quality.live.v1"
EPOCH_TOPIC = "educluster.epoch.v1"
EVENT_TOPICS = (REGISTRY_TOPIC, ASSESSMENT_TOPIC, QUALITY_TOPIC, QUALITY_LIVE_TOPIC)
PUBLISHING_SERVICES = ("registry", "assessment", "quality")
CONSUMING_SERVICES = ("assessment", "quality", "gateway")


def dead_letter_topic(service: str) -> str:
    return f"educluster.{service}.dlq.v1"


def all_topics() -> list[str]:
    """Every topic the platform uses, data topics first."""
    return [*EVENT_TOPICS, *(dead_letter_topic(s) for s in CONSUMING_SERVICES)]
