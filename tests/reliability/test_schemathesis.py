"""schemathesis against the gateway's merged OpenAPI document: every operation, positive and
negative data, each case sent as every role. No answer may be a 5xx, and every answer must be
documented: its status code, its content type and its body's schema (error answers are RFC 9457
problems, documented on every operation by shared/platform/web/openapi_errors.py).

The whole platform runs as `educluster up` runs it (`bench.country.running`: bundled broker,
four services, SQLite, 127.0.0.1 only). A small world is registered first (an institution with
a program and a graduate, an employer employing them, a cluster of both, all in one region), and
each case is also sent with its path parameters pointing at those real objects, so object-level
checks run rather than only "not found". Tokens carry the real organization and region.

Size: a few examples per operation in the suite; `make reliability` (RELIABILITY_SIZE=full)
many more.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bench.country import Bench, running
from shared.platform.auth import mint_token
from shared.platform.auth_settings import AuthSettings
from tests.support import TEST_TOKEN_TTL_S

pytestmark = pytest.mark.slow

FULL = os.environ.get("RELIABILITY_SIZE") == "full"
MAX_EXAMPLES = 100 if FULL else 5
REGION = "UZ-TO"
# A live event stream never ends: its caps are tested in tests/integration/test_owasp_api_top10.
STREAMS = "/api/v1/events"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    return response.json()


def _world(gateway: str, ministry: dict[str, str]) -> dict[str, str]:
    """Real objects in REGION, registered through the gateway: path parameter → id."""
    with httpx.Client(base_url=gateway, headers=ministry, timeout=30) as api:
        organization = {"region_code": REGION}
        institution = _created(
            api.post(
                "/api/v1/organizations",
                json=organization
                | {"kind": "education", "subtype": "university", "name": "Fuzz University"}
                | {"tax_id": "209000001"},
            )
        )
        employer = _created(
            api.post(
                "/api/v1/organizations",
                json=organization
                | {"kind": "employer", "subtype": "J", "name": "Fuzz employer"}
                | {"tax_id": "309000001"},
            )
        )
        program = _created(
            api.post(
                "/api/v1/programs",
                json={"institution_id": institution["id"], "code": "60610100"}
                | {"name": "Dasturiy injiniring", "level": "6", "field_code": "0613"},
            )
        )
        graduate = _created(
            api.post(
                "/api/v1/graduates",
                json={"program_id": program["id"], "graduation_year": 2024}
                | {"student_ref": "F-1", "full_name": "Fuzz Graduate"},
            )
        )
        employment = _created(
            api.post(
                "/api/v1/employments",
                json={"employer_id": employer["id"], "graduate_id": graduate["id"]}
                | {"start_date": "2024-09-01", "position": "Dasturchi", "isco_code": "2512"}
                | {"in_field": True},
            )
        )
        cluster = _created(
            api.post(
                "/api/v1/clusters",
                json={"name": "Fuzz cluster", "region_code": REGION, "sectors": ["J"]}
                | {"coordinator_id": institution["id"]},
            )
        )
    return {
        "institution": institution["id"],
        "employer": employer["id"],
        "organization_id": employer["id"],
        "program_id": program["id"],
        "graduate_id": graduate["id"],
        "employment_id": employment["id"],
        "cluster_id": cluster["id"],
        "code": REGION,
        "region_code": REGION,
    }


def _bearer(
    bench: Bench, role: str, *, org: str | None = None, region: str | None = None
) -> dict[str, str]:
    token = mint_token(
        AuthSettings(secret=bench.secret), role=role, org=org, region=region, ttl_s=TEST_TOKEN_TTL_S
    )
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def platform(tmp_path_factory) -> Iterator[tuple[Bench, dict[str, str], dict[str, dict]]]:
    data_dir: Path = tmp_path_factory.mktemp("schemathesis")
    with running(data_dir, postgres=None) as bench:
        ministry = _bearer(bench, "ministry")
        world = _world(bench.gateway, ministry)
        roles = {
            "ministry": ministry,
            "regional_authority": _bearer(bench, "regional_authority", region=REGION),
            "institution": _bearer(bench, "institution", org=world["institution"]),
            "employer": _bearer(bench, "employer", org=world["employer"]),
            "operator": _bearer(bench, "operator"),
        }
        yield bench, world, roles


@pytest.fixture(scope="module")
def merged_api(platform) -> schemathesis.BaseSchema:
    bench, _, roles = platform
    schema = schemathesis.openapi.from_url(
        f"{bench.gateway}/openapi.json", headers=roles["ministry"]
    )
    schema.config.update(base_url=bench.gateway)
    return schema.exclude(path=STREAMS)


def _on_real_objects(case: schemathesis.Case, world: dict[str, str]) -> schemathesis.Case | None:
    """The same case with each known path parameter naming a real object (None: it has none)."""
    known = {name for name in case.path_parameters or {} if name in world}
    if not known:
        return None
    real = {**(case.path_parameters or {}), **{name: world[name] for name in known}}
    return case.operation.Case(
        method=case.method,
        path_parameters=real,
        headers=case.headers,
        query=case.query,
        body=case.body,
        media_type=case.media_type,
    )


def _found(
    operation: Any, mode: GenerationMode, world: dict[str, str], roles: dict[str, dict[str, str]]
) -> dict[str, str]:
    """Each distinct failure on this operation (what failed → the first answer that showed it),
    after MAX_EXAMPLES generated cases, each sent as every role, as generated and on real
    objects."""
    found: dict[str, str] = {}

    @given(operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        phases=[Phase.generate],
        database=None,
    )
    def explore(case: schemathesis.Case) -> None:
        real = _on_real_objects(case, world)
        for sent in [case] if real is None else [case, real]:
            for role, headers in roles.items():
                response = sent.call(headers=headers, timeout=30)
                try:
                    sent.validate_response(response, checks=CHECKS, headers=headers)
                except FailureGroup as failures:
                    for failure in failures.exceptions:
                        what = f"{operation.label} as {role}: {failure.title}"
                        found.setdefault(what, str(failures)[:3000])

    explore()
    return found


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_as_every_role(merged_api, platform, mode):
    _, world, roles = platform
    found: dict[str, str] = {}
    operations = [result.ok() for result in merged_api.get_all_operations()]
    assert len(operations) > 90
    for operation in operations:
        found |= _found(operation, mode, world, roles)
    assert not found, "\n\n".join(f"## {what}\n{shown}" for what, shown in found.items())
