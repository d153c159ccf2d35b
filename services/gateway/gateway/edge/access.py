"""The coarse role × route matrix the gateway enforces before forwarding a request.

Coarse: "may this role call this kind of route at all". Each service checks again, on the
verified identity the gateway passes on, whether the caller may touch *this* object (an
employer its own assessments, an institution its own programs). docs/access.md is generated
from RULES (``python -m gateway.edge.access > docs/access.md``, also run by
``make schemas``) and checked for drift in the tests.
"""

import re
from dataclasses import dataclass

from shared.platform.names import ROLES

READERS = frozenset({"ministry", "regional_authority", "institution", "employer"})
MINISTRY = frozenset({"ministry"})
INSTITUTIONS = frozenset({"institution"})
REVIEWERS = MINISTRY | INSTITUTIONS  # of a draft release
CHECKERS = MINISTRY | INSTITUTIONS  # of an employer's claim to employ a graduate
ORGANIZATIONS = frozenset({"institution", "employer"})  # a cluster's coordinator and members
CLUSTER_WORK = "the ministry, the region's authority, the cluster's members"
PUBLIC = "anonymous"  # an unauthenticated caller, where public scores are enabled
# An unauthenticated caller holding a one-time code (a graduate confirming an employment): the
# code is the credential, so these routes need no token whatever the public-scores setting.
CODE_HOLDER = "code holder"


@dataclass(frozen=True)
class Rule:
    method: str
    path: str  # ``*`` is one path segment
    roles: frozenset[str]
    note: str = ""

    def matches(self, method: str, path: str) -> bool:
        return method == self.method and _pattern(self.path).fullmatch(path) is not None


def _pattern(path: str) -> re.Pattern[str]:
    return re.compile(re.escape(path).replace(r"\*", "[^/]+"))


def _r(methods: str, path: str, roles: frozenset[str], note: str = "") -> list[Rule]:
    return [Rule(m, path, roles, note) for m in methods.split()]


RULES: tuple[Rule, ...] = (
    # registry
    *_r("GET", "/api/v1/regions", READERS),
    *_r("GET", "/api/v1/regions/*", READERS),
    *_r("PUT", "/api/v1/regions/*", MINISTRY),
    *_r("GET", "/api/v1/organizations", READERS),
    *_r("GET", "/api/v1/organizations/*", READERS),
    *_r("POST", "/api/v1/organizations", frozenset({"ministry", "regional_authority"})),
    *_r("PATCH", "/api/v1/organizations/*", READERS, "own organization, or its region"),
    *_r("GET", "/api/v1/clusters", READERS),
    *_r("GET", "/api/v1/clusters/*", READERS),
    *_r("GET", "/api/v1/clusters/*/members", READERS),
    *_r("POST", "/api/v1/clusters", frozenset({"ministry", "regional_authority"})),
    *_r("PATCH", "/api/v1/clusters/*", frozenset({"ministry", "regional_authority"})),
    *_r("POST", "/api/v1/clusters/*/members", frozenset({"ministry", "regional_authority"})),
    *_r("DELETE", "/api/v1/clusters/*/members/*", frozenset({"ministry", "regional_authority"})),
    *_r("GET", "/api/v1/clusters/*/activities", READERS, CLUSTER_WORK),
    *_r(
        "POST", "/api/v1/clusters/*/activities", ORGANIZATIONS, "the coordinator, members involved"
    ),
    *_r("GET", "/api/v1/clusters/*/activities/*", READERS, CLUSTER_WORK),
    *_r(
        "PATCH",
        "/api/v1/clusters/*/activities/*",
        ORGANIZATIONS,
        "the coordinator, members involved",
    ),
    *_r("GET", "/api/v1/clusters/*/goals", READERS, CLUSTER_WORK),
    *_r("POST", "/api/v1/clusters/*/goals", ORGANIZATIONS, "the cluster's coordinator"),
    *_r("GET", "/api/v1/clusters/*/goals/*", READERS, CLUSTER_WORK),
    *_r("PUT", "/api/v1/clusters/*/goals/*", ORGANIZATIONS, "the cluster's coordinator"),
    *_r("GET", "/api/v1/clusters/*/goals/*/versions", READERS, CLUSTER_WORK),
    *_r("GET", "/api/v1/programs", READERS),
    *_r("GET", "/api/v1/programs/*", READERS),
    *_r("POST", "/api/v1/programs", frozenset({"ministry", "institution"}), "own programs"),
    *_r("PATCH", "/api/v1/programs/*", frozenset({"ministry", "institution"}), "own programs"),
    *_r("GET", "/api/v1/graduates", READERS, "those the caller may see"),
    *_r("GET", "/api/v1/graduates/counts", READERS, "over those the caller may see"),
    *_r(
        "POST",
        "/api/v1/graduates/lookup",
        frozenset({"employer"}),
        "exact national identifier; audited; a quota an hour per employer",
    ),
    *_r("GET", "/api/v1/graduates/*", READERS, "those the caller may see"),
    *_r("POST", "/api/v1/graduates", frozenset({"ministry", "institution"})),
    *_r("POST", "/api/v1/graduates/import", frozenset({"ministry", "institution"})),
    *_r("PATCH", "/api/v1/graduates/*", frozenset({"ministry", "institution"})),
    *_r("GET", "/api/v1/employments", READERS, "those the caller may see"),
    *_r("GET", "/api/v1/employments/*", READERS, "those the caller may see"),
    *_r("POST", "/api/v1/employments", frozenset({"ministry", "employer"}), "own employees"),
    *_r("POST", "/api/v1/employments/*/end", frozenset({"ministry", "employer"})),
    *_r("POST", "/api/v1/employments/import", frozenset({"ministry", "operator"}), "registers"),
    *_r(
        "POST",
        "/api/v1/employments/confirmations",
        frozenset({*ROLES, CODE_HOLDER}),
        "the code confirms one employment, once",
    ),
    *_r("POST", "/api/v1/employments/*/confirm", CHECKERS, "the graduate's institution"),
    *_r("POST", "/api/v1/employments/*/dispute", CHECKERS, "the graduate's institution"),
    *_r("POST", "/api/v1/employments/*/reject", CHECKERS, "the graduate's institution"),
    *_r("POST", "/api/v1/employments/*/confirmation-code", CHECKERS, "the graduate's institution"),
    # assessment
    *_r("GET", "/api/v1/frameworks", READERS | {PUBLIC}, "public reference data"),
    *_r("GET", "/api/v1/frameworks/*", READERS | {PUBLIC}, "public reference data"),
    *_r("POST", "/api/v1/frameworks", MINISTRY),
    *_r("GET", "/api/v1/requirements", READERS, "employers: their own and their clusters'"),
    *_r("GET", "/api/v1/requirements/*", READERS, "employers: their own and their clusters'"),
    *_r(
        "POST",
        "/api/v1/requirements",
        frozenset({"employer", "institution"}),
        "the employer itself, or the cluster's coordinator",
    ),
    *_r(
        "GET PUT",
        "/api/v1/reminders/subscription",
        frozenset({"employer", "institution"}),
        "its own (employers: pending assessments; institutions: claims to confirm)",
    ),
    *_r(
        "POST",
        "/api/v1/reminders/unsubscribe",
        frozenset({*ROLES, CODE_HOLDER}),
        "anyone holding a reminder's unsubscribe token (RFC 8058 one-click)",
    ),
    *_r("GET POST", "/api/v1/assessments", frozenset({"employer"}), "own assessments only"),
    *_r("POST", "/api/v1/assessments/bulk", frozenset({"employer"})),
    *_r(
        "GET",
        "/api/v1/assessments/summary",
        frozenset({"ministry", "regional_authority", "institution"}),
        "institutions: own programs; authorities: their region",
    ),
    *_r("GET", "/api/v1/assessments/integrity", MINISTRY, "flags: shown, never applied"),
    *_r("GET PUT DELETE", "/api/v1/assessments/*", frozenset({"employer"}), "own assessments"),
    *_r("GET", "/api/v1/assessments/*/history", frozenset({"employer"}), "own assessments"),
    # quality (aggregates with small cells suppressed)
    *_r("GET", "/api/v1/quality/publications", READERS | {PUBLIC}, "drafts: reviewers only"),
    *_r("POST", "/api/v1/quality/publications", MINISTRY),
    *_r("GET", "/api/v1/quality/publications/*", READERS | {PUBLIC}, "drafts: reviewers only"),
    *_r(
        "GET",
        "/api/v1/quality/publications/*/figures",
        READERS | {PUBLIC},
        "a draft: the ministry, and each institution for its own figures",
    ),
    *_r("POST", "/api/v1/quality/publications/*/publish", MINISTRY),
    *_r("GET", "/api/v1/quality/publications/*/audit", MINISTRY),
    *_r("GET", "/api/v1/quality/publications/*/data.csv", READERS | {PUBLIC}, "open data"),
    *_r("GET", "/api/v1/quality/publications/*/data.json", READERS | {PUBLIC}, "open data"),
    *_r("GET", "/api/v1/quality/publications/*/datapackage.json", READERS | {PUBLIC}),
    *_r("GET", "/api/v1/quality/publications/*/queries", REVIEWERS, "institutions: their own"),
    *_r("POST", "/api/v1/quality/publications/*/queries", INSTITUTIONS, "own figures, a draft"),
    *_r("POST", "/api/v1/quality/publications/*/queries/*/answer", MINISTRY),
    *_r("GET", "/api/v1/quality/scores", READERS | {PUBLIC}, "view=live: the ministry only"),
    *_r("GET", "/api/v1/quality/rankings", READERS | {PUBLIC}),
    *_r("GET", "/api/v1/quality/funnel", READERS | {PUBLIC}),
    *_r("GET", "/api/v1/quality/benchmarks", READERS | {PUBLIC}),
    *_r("GET", "/api/v1/quality/alerts", READERS),
    *_r("GET POST", "/api/v1/quality/exclusions", MINISTRY, "with a reason; audited"),
    *_r("GET", "/api/v1/quality/methodology", READERS | {PUBLIC}),
    *_r("GET", "/api/v1/quality/names", READERS | {PUBLIC}, "names and ids of scored units only"),
    *_r("POST", "/api/v1/quality/methodology", MINISTRY),
    *_r("GET", "/api/v1/quality/clusters/*/comparison", READERS | {PUBLIC}),
    *_r("GET", "/api/v1/quality/clusters/*/activities/intensity", READERS, CLUSTER_WORK),
    *_r("GET", "/api/v1/quality/clusters/*/activities/effect", READERS, CLUSTER_WORK),
    *_r("GET", "/api/v1/quality/clusters/*/goals/progress", READERS, CLUSTER_WORK),
    *_r("GET", "/api/v1/quality/clusters/*/flows", READERS, CLUSTER_WORK),
    *_r(
        "GET",
        "/api/v1/quality/regions/*/flows",
        frozenset({"ministry", "regional_authority"}),
        "the region's own authority",
    ),
    *_r("GET", "/api/v1/quality/*/*", READERS | {PUBLIC}),
    *_r("GET", "/api/v1/quality/*/*/history", READERS | {PUBLIC}),
    *_r("GET", "/api/v1/quality/*/*/competency-gaps", READERS | {PUBLIC}),
    # gateway
    *_r("GET", "/api/v1/audit/registry", frozenset({"ministry", "operator"})),
    *_r("GET", "/api/v1/audit/assessment", frozenset({"ministry", "operator"})),
    *_r("GET", "/api/v1/audit/quality", frozenset({"ministry", "operator"})),
    *_r("GET", "/api/v1/events", frozenset({"ministry", "regional_authority"})),
    *_r("GET POST", "/api/v1/subscriptions", frozenset({"ministry", "regional_authority"})),
    *_r("GET DELETE", "/api/v1/subscriptions/*", frozenset({"ministry", "regional_authority"})),
    *_r("GET", "/api/v1/subscriptions/*/deliveries", frozenset({"ministry", "regional_authority"})),
    *_r("POST", "/api/v1/subscriptions/*/test", frozenset({"ministry", "regional_authority"})),
)


def rule_for(method: str, path: str) -> Rule | None:
    """The first rule matching the request, or None (an unlisted route: the gateway refuses it)."""
    method = "GET" if method == "HEAD" else method
    return next((r for r in RULES if r.matches(method, path.rstrip("/") or "/")), None)


def allowed(role: str, method: str, path: str) -> bool:
    """May ``role`` (or PUBLIC) call this route at all? Never an unlisted one (deny by default)."""
    rule = rule_for(method, path)
    return rule is not None and role in rule.roles


def matrix_markdown() -> str:
    """docs/access.md: one row per route, one column per role."""
    roles = (*ROLES, PUBLIC, CODE_HOLDER)
    lines = [
        "# Access: role × route (generated from services/gateway/gateway/edge/access.py)",
        "",
        "The gateway verifies the bearer token (401 when it is missing or invalid) and refuses a",
        "route a role may never call (403) before forwarding; each service then checks",
        "object-level rules on the verified identity (the note column). `anonymous` (no token)",
        "applies only when public scores are enabled (`EDUCLUSTER_GATEWAY_PUBLIC_SCORES=true`,",
        "and `EDUCLUSTER_QUALITY_PUBLIC_SCORES=true` for the quality service itself; the",
        "assessment service answers framework reads without a token always: public reference",
        "data, so its gateway rule alone decides);",
        "`code holder` (no token, a one-time code in the body) always. A method and path not",
        "listed are refused by the gateway without asking a service (deny by default): 405 with",
        "an Allow header when other methods are listed for the path, else 404. How the gateway",
        "enforces it, and its rate and body limits: docs/gateway.md.",
        "",
        "| method | path | " + " | ".join(roles) + " | object-level rule |",
        "|---|---|" + "---|" * len(roles) + "---|",
    ]
    for rule in RULES:
        marks = " | ".join("✓" if role in rule.roles else "—" for role in roles)
        lines.append(f"| {rule.method} | `{rule.path}` | {marks} | {rule.note} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(matrix_markdown(), end="")
