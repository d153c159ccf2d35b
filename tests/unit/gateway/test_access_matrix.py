"""The gateway's role × route matrix covers every public route and matches docs/access.md."""

import re
from pathlib import Path

import pytest
from assessment.bootstrap import create_app as assessment_app
from gateway.edge.access import PUBLIC, RULES, allowed, matrix_markdown, rule_for
from quality.bootstrap import create_app as quality_app
from registry.bootstrap import create_app as registry_app

DOC = Path(__file__).resolve().parents[3] / "docs" / "access.md"


def public_routes() -> list[tuple[str, str]]:
    """(METHOD, path with each parameter as ``x``) of every service's /api/v1 operation."""
    found = []
    for build in (registry_app, assessment_app, quality_app):
        for path, operations in build().openapi()["paths"].items():
            if path.startswith("/api/v1/"):
                concrete = re.sub(r"\{[^}]+\}", "x", path)
                found += [(method.upper(), concrete) for method in operations]
    return found


def test_every_public_route_of_every_service_has_a_rule():
    routes = public_routes()
    assert len(routes) > 40
    missing = [(m, p) for m, p in routes if rule_for(m, p) is None]
    assert missing == []


def test_docs_access_md_is_the_generated_matrix_run_make_schemas_if_not():
    assert DOC.read_text() == matrix_markdown()


@pytest.mark.parametrize(
    ("role", "method", "path", "expected"),
    [
        ("ministry", "PUT", "/api/v1/regions/UZ-SA", True),
        ("employer", "PUT", "/api/v1/regions/UZ-SA", False),
        ("employer", "POST", "/api/v1/assessments", True),
        ("ministry", "POST", "/api/v1/assessments", False),
        ("institution", "GET", "/api/v1/assessments/summary", True),
        ("employer", "GET", "/api/v1/assessments/summary", False),
        ("institution", "GET", "/api/v1/assessments/abc", False),
        ("operator", "GET", "/api/v1/organizations", False),
        (PUBLIC, "GET", "/api/v1/quality/program/abc", True),
        (PUBLIC, "GET", "/api/v1/quality/alerts", False),
        (PUBLIC, "GET", "/api/v1/organizations", False),
        ("ministry", "POST", "/api/v1/quality/methodology", True),
        ("regional_authority", "POST", "/api/v1/quality/methodology", False),
        ("employer", "GET", "/api/v1/nothing-here", False),  # unknown: denied by default
        ("ministry", "DELETE", "/api/v1/regions/UZ-SA", False),  # a method no rule lists
        (PUBLIC, "HEAD", "/api/v1/quality/alerts", False),
        (PUBLIC, "GET", "/api/v1/quality/alerts/", False),
    ],
)
def test_the_matrix_allows_and_denies_by_role(role, method, path, expected):
    assert allowed(role, method, path) is expected


def test_no_two_rules_shadow_each_other():
    seen = set()
    for rule in RULES:
        assert (rule.method, rule.path) not in seen, rule
        seen.add((rule.method, rule.path))
