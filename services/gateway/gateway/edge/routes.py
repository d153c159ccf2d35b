"""Which service answers which /api/v1 path: one table keyed by the first path segment (the
first two for each service's audit trail, /api/v1/audit/<service>)."""

from collections.abc import Mapping
from dataclasses import dataclass

from shared.platform.names import API_PREFIX as _PREFIX

API_PREFIX = _PREFIX + "/"
GATEWAY = "gateway"

RESOURCES: Mapping[str, tuple[str, ...]] = {
    "registry": (
        "regions",
        "clusters",
        "organizations",
        "programs",
        "graduates",
        "employments",
        "audit/registry",
    ),
    "assessment": (
        "frameworks",
        "requirements",
        "assessments",
        "reminders",
        "audit/assessment",
    ),
    "quality": ("quality", "audit/quality"),
    # Served by the gateway's own FastAPI routes (server-sent events, webhook subscriptions).
    GATEWAY: ("events", "subscriptions"),
}


@dataclass(frozen=True, slots=True)
class Route:
    """Where one resource lives.

    ``path`` doubles as the route template the HTTP metrics label requests with (it reads
    ``scope["route"].path``), so proxied requests are counted per resource, a bounded set.
    """

    service: str
    path: str
    origin: str  # e.g. "http://127.0.0.1:8001"; empty for the gateway's own resources

    @property
    def local(self) -> bool:
        return self.service == GATEWAY


class RouteTable:
    def __init__(self, service_urls: Mapping[str, str]) -> None:
        self._routes = {
            resource: Route(
                service=service,
                path=API_PREFIX + resource,
                origin=service_urls.get(service, "").rstrip("/"),
            )
            for service, resources in RESOURCES.items()
            for resource in resources
        }

    def resolve(self, path: str) -> Route | None:
        """The route for an /api/v1 path, or None when no service owns it."""
        if not path.startswith(API_PREFIX):
            return None
        first, _, rest = path[len(API_PREFIX) :].partition("/")
        # A two-segment resource (each service's audit trail) before a one-segment one.
        return self._routes.get(f"{first}/{rest.partition('/')[0]}") or self._routes.get(first)
