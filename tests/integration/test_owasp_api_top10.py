"""The OWASP API Security Top 10 (2023), one test per item that applies, against the real
platform through its gateway.

The platform runs as `educluster up` runs it (`bench.country.running`: bundled broker, the four
services, SQLite, 127.0.0.1 only) with small limits so that each is reached quickly. A world of
two regions is registered through the gateway: in UZ-TO an institution (with a program, a
graduate and a cluster it coordinates) and an employer who employs and has assessed the
graduate; in UZ-SA another institution coordinating another cluster and another employer.
API6 (business flows), API9 (inventory) and API10 (unsafe consumption) are process and
deployment matters, not request-level checks. The deeper suites for each item are named in its
test; this file is where each item is proved at least once end to end.
"""

import asyncio
import base64
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import httpx
import jwt
import pytest

from bench.assessment_world import _call
from bench.country import Bench, running
from shared.platform.auth import mint_token
from shared.platform.auth_settings import AuthSettings

pytestmark = pytest.mark.slow

MAX_BODY = 64 * 1024
BURST = 40
MAX_STREAMS = 2
MAX_SUBSCRIPTIONS = 3
LIMITS = {
    "EDUCLUSTER_GATEWAY_RATE_LIMIT_PER_S": "10",
    "EDUCLUSTER_GATEWAY_RATE_LIMIT_BURST": str(BURST),
    "EDUCLUSTER_GATEWAY_MAX_BODY_BYTES": str(MAX_BODY),
    "EDUCLUSTER_GATEWAY_SSE_MAX_STREAMS_PER_PRINCIPAL": str(MAX_STREAMS),
    "EDUCLUSTER_GATEWAY_MAX_SUBSCRIPTIONS_PER_OWNER": str(MAX_SUBSCRIPTIONS),
}
PROBLEM = "application/problem+json"
HOOK_SECRET = "a-webhook-signing-secret-of-32-chars"
CONTACT = {"contact_email": "hr@example.uz", "contact_phone": "+998 71 200 00 00"}
PRIVATE = ("contact_email", "contact_phone", "tax_id")


@dataclass
class World:
    bench: Bench
    ids: dict[str, str] = field(default_factory=dict)
    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_(self, role: str, **claims: str) -> dict[str, str]:
        """A fresh caller (a subject of its own, so its own rate bucket)."""
        token = mint_token(AuthSettings(secret=self.bench.secret), role=role, **claims)
        return {"Authorization": f"Bearer {token}"}

    def of(self, name: str) -> dict[str, str]:
        """The organization ``name``'s own caller (institution_* or employer_*)."""
        return self.as_(name.split("_")[0], org=self.ids[name])

    def client(self, **kwargs: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.bench.gateway, timeout=30, **kwargs)


_tax_ids = itertools.count(201_000_001)


async def _register(api: httpx.AsyncClient, kind: str, subtype: str, region: str) -> str:
    body = {"kind": kind, "subtype": subtype, "name": f"{kind} {region}", "region_code": region}
    body |= {"tax_id": str(next(_tax_ids))} | CONTACT
    return (await _call(api, "POST", "/api/v1/organizations", json=body))["id"]


async def _seed(world: World) -> None:
    ids = world.ids
    async with world.client(headers=world.as_("ministry")) as api:
        for region, key in (("UZ-TO", "to"), ("UZ-SA", "sa")):
            ids[f"institution_{key}"] = await _register(api, "education", "university", region)
            ids[f"employer_{key}"] = await _register(api, "employer", "J", region)
            cluster = {"name": f"Cluster {key}", "region_code": region, "sectors": ["J"]}
            cluster |= {"coordinator_id": ids[f"institution_{key}"]}
            ids[f"cluster_{key}"] = (await _call(api, "POST", "/api/v1/clusters", json=cluster))[
                "id"
            ]
        program = {"institution_id": ids["institution_to"], "code": "60610100", "level": "6"}
        program |= {"name": "Dasturiy injiniring", "field_code": "0613"}
        ids["program"] = (await _call(api, "POST", "/api/v1/programs", json=program))["id"]
        graduate = {"program_id": ids["program"], "graduation_year": 2024}
        graduate |= {"student_ref": "OW-1", "full_name": "Owasp Graduate"}
        ids["graduate"] = (await _call(api, "POST", "/api/v1/graduates", json=graduate))["id"]
        job = {"employer_id": ids["employer_to"], "graduate_id": ids["graduate"]}
        job |= {"start_date": "2024-09-01", "position": "Dasturchi", "isco_code": "2512"}
        employment = await _call(api, "POST", "/api/v1/employments", json=job | {"in_field": True})
        ids["employment"] = employment["id"]
        await _call(api, "POST", f"/api/v1/employments/{employment['id']}/confirm")
        framework = await _framework(api)
    ids["assessment_key"] = str(uuid4())
    world.bodies["assessment"] = {
        "employer_id": ids["employer_to"],
        "graduate_id": ids["graduate"],
        "period": 2025,
        "framework_id": framework["id"],
        "ratings": {c["code"]: 4 for d in framework["domains"] for c in d["competencies"]},
        "overall_satisfaction": 4,
        "preparedness": 4,
        "would_hire_again": True,
    }
    async with world.client(headers=world.of("employer_to")) as employer:
        assessed = await _call(
            employer,
            "POST",
            "/api/v1/assessments",
            json=world.bodies["assessment"],
            headers={"Idempotency-Key": ids["assessment_key"]},
        )
    ids["assessment"] = assessed["id"]


async def _framework(api: httpx.AsyncClient) -> dict[str, Any]:
    for _ in range(120):
        if items := (await _call(api, "GET", "/api/v1/frameworks"))["items"]:
            return items[0]
        await asyncio.sleep(0.5)  # well within the caller's rate
    raise AssertionError("the assessment service published no framework")


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[World]:
    with running(tmp_path_factory.mktemp("owasp"), postgres=None, env=LIMITS) as bench:
        found = World(bench)
        asyncio.run(_seed(found))
        yield found


def _refused(response: httpx.Response, *statuses: int) -> None:
    assert response.status_code in statuses, (response.request.url, response.status_code)
    assert response.headers["content-type"].startswith(PROBLEM), response.text


# --- API1: broken object level authorization -------------------------------------------------


async def test_api1_objects_of_another_organization_region_or_cluster_are_refused(world):
    """Deeper: tests/integration/registry, assessment and quality access tests."""
    ids = world.ids
    async with world.client() as api:
        # An employer: another employer's assessment, read, changed, deleted or replayed.
        other = world.of("employer_sa")
        path = f"/api/v1/assessments/{ids['assessment']}"
        _refused(await api.get(path, headers=other), 403, 404)
        _refused(await api.get(f"{path}/history", headers=other), 403, 404)
        _refused(await api.delete(path, headers=other), 403, 404)
        replay = await api.post(
            "/api/v1/assessments",
            json=world.bodies["assessment"],
            headers=other | {"Idempotency-Key": ids["assessment_key"]},
        )
        _refused(replay, 403, 404, 409, 422)
        # An institution: another's program and its graduate's employment.
        institution = world.of("institution_sa")
        _refused(
            await api.patch(
                f"/api/v1/programs/{ids['program']}", json={"name": "Taken"}, headers=institution
            ),
            403,
            404,
        )
        reject = f"/api/v1/employments/{ids['employment']}/reject"
        _refused(await api.post(reject, json={"reason": "x"}, headers=institution), 403, 404)
        # A regional authority: an organization and a cluster's work in another region.
        authority = world.as_("regional_authority", region="UZ-SA")
        _refused(
            await api.patch(
                f"/api/v1/organizations/{ids['employer_to']}", json={"name": "X"}, headers=authority
            ),
            403,
            404,
        )
        _refused(
            await api.get(f"/api/v1/clusters/{ids['cluster_to']}/goals", headers=authority),
            403,
            404,
        )
        # A cluster's coordinator: another cluster's work.
        coordinator = world.of("institution_to")
        for path in (
            f"/api/v1/clusters/{ids['cluster_sa']}/goals",
            f"/api/v1/clusters/{ids['cluster_sa']}/activities",
        ):
            _refused(await api.get(path, headers=coordinator), 403, 404)
        # The owners themselves are let in: the refusals above are about the object.
        own = await api.get(
            f"/api/v1/assessments/{ids['assessment']}", headers=world.of("employer_to")
        )
        assert own.status_code == 200, own.text
        goals = await api.get(f"/api/v1/clusters/{ids['cluster_to']}/goals", headers=coordinator)
        assert goals.status_code == 200, goals.text


# --- API2: broken authentication ------------------------------------------------------------


def _forged(world: World) -> dict[str, str]:
    auth = AuthSettings(secret=world.bench.secret)
    now = int(time.time())
    claims = {"sub": "forger", "role": "ministry", "iat": now, "exp": now + 600}
    claims |= {"iss": auth.issuer, "aud": auth.audience}
    secret = world.bench.secret
    valid = jwt.encode(claims, secret, algorithm="HS256")
    head, body, signature = valid.split(".")

    def b64(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return {
        "tampered signature": f"{head}.{body}.{signature[:-4]}AAAA",
        "tampered claims": f"{head}.{b64(claims | {'role': 'operator'})}.{signature}",
        "alg none": f"{b64({'alg': 'none', 'typ': 'JWT'})}.{body}.",
        "expired": jwt.encode(claims | {"exp": now - 60}, secret, algorithm="HS256"),
        "wrong audience": jwt.encode(claims | {"aud": "elsewhere"}, secret, algorithm="HS256"),
        "wrong issuer": jwt.encode(claims | {"iss": "https://evil"}, secret, algorithm="HS256"),
        # HS/RS confusion: an RS256 header over an HMAC signature made with the secret.
        "key confusion": _resigned(b64({"alg": "RS256", "typ": "JWT"}), body, secret),
        "another secret": jwt.encode(claims, "x" * 40, algorithm="HS256"),
    }


def _resigned(head: str, body: str, secret: str) -> str:
    mac = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


async def test_api2_forged_expired_misaddressed_or_oversized_tokens_are_refused(world):
    """Deeper: tests/integration/gateway/test_access.py, tests/unit/test_token_claims.py."""
    registry = f"http://127.0.0.1:{world.bench.launcher.ports['registry']}"
    async with world.client() as api, httpx.AsyncClient(base_url=registry, timeout=30) as direct:
        for name, token in _forged(world).items():
            headers = {"Authorization": f"Bearer {token}"}
            for client in (api, direct):  # the service verifies again, whoever forwards
                answer = await client.get("/api/v1/organizations", headers=headers)
                assert answer.status_code in (400, 401, 431), (name, client.base_url, answer.text)
        assert (await api.get("/api/v1/organizations", headers=world.as_("ministry"))).is_success


async def test_api2_an_oversized_token_is_refused_before_it_is_verified(world):
    auth = AuthSettings(secret=world.bench.secret)
    now = int(time.time())
    claims = {"sub": "big", "role": "ministry", "iat": now, "exp": now + 600}
    claims |= {"iss": auth.issuer, "aud": auth.audience, "pad": "x" * 32_000}
    headers = {"Authorization": f"Bearer {jwt.encode(claims, auth.secret, algorithm='HS256')}"}
    async with world.client() as api:
        answer = await api.get("/api/v1/organizations", headers=headers)
    assert answer.status_code in (400, 401, 431), answer.status_code


# --- API3: broken object property level authorization ----------------------------------------


async def test_api3_identity_fields_in_bodies_are_refused_and_private_fields_withheld(world):
    """Deeper: tests/integration/registry (organization_withheld, graduate fields)."""
    ids = world.ids
    async with world.client() as api:
        employer = world.of("employer_to")
        for extra in ({"role": "ministry"}, {"org": ids["employer_sa"]}, {"region": "UZ-SA"}):
            body = world.bodies["assessment"] | extra
            _refused(await api.post("/api/v1/assessments", json=body, headers=employer), 422)
        patch = {"name": "Moved", "region_code": "UZ-SA", "role": "ministry"}
        _refused(
            await api.patch(
                f"/api/v1/organizations/{ids['employer_to']}", json=patch, headers=employer
            ),
            403,
            422,
        )
        path = f"/api/v1/organizations/{ids['employer_to']}"
        readers = {
            "ministry": (world.as_("ministry"), True),
            "itself": (employer, True),
            "its region": (world.as_("regional_authority", region="UZ-TO"), True),
            "another region": (world.as_("regional_authority", region="UZ-SA"), False),
            "another employer": (world.of("employer_sa"), False),
            "an institution": (world.of("institution_sa"), False),
        }
        for who, (headers, sees) in readers.items():
            answer = await api.get(path, headers=headers)
            assert answer.status_code == 200, (who, answer.text)
            shown = {name: answer.json().get(name) for name in PRIVATE}
            assert all(shown.values()) if sees else not any(shown.values()), (who, shown)
            listed = await api.get("/api/v1/organizations?region=UZ-TO&limit=100", headers=headers)
            for item in listed.json()["items"]:
                if item["id"] == ids["employer_to"]:
                    assert bool(item.get("tax_id")) == sees, (who, item)
        # A graduate: its employer reads who they are, its region no person at all.
        graduate = f"/api/v1/graduates/{ids['graduate']}"
        withheld = {
            "employer": (employer, ("student_ref", "follow_up_outcome")),
            "region": (
                world.as_("regional_authority", region="UZ-TO"),
                ("full_name", "student_ref", "follow_up_outcome"),
            ),
        }
        for who, (headers, names) in withheld.items():
            answer = await api.get(graduate, headers=headers)
            assert answer.status_code == 200, (who, answer.text)
            assert {n: answer.json().get(n) for n in names} == dict.fromkeys(names), who
        owner = await api.get(graduate, headers=world.of("institution_to"))
        assert owner.json()["full_name"] and owner.json()["student_ref"]


# --- API4: unrestricted resource consumption ------------------------------------------------


async def test_api4_rate_body_page_subscription_and_stream_caps_hold(world):
    """Deeper: tests/integration/gateway/test_limits.py, test_events_sse.py, test_webhooks.py."""
    async with world.client() as api:
        caller = world.as_("ministry")
        answers = [await api.get("/api/v1/regions", headers=caller) for _ in range(BURST + 20)]
        limited = [a for a in answers if a.status_code == 429]
        assert limited and limited[0].headers["retry-after"], [a.status_code for a in answers]
        _refused(limited[0], 429)

        big = {"name": "x" * (MAX_BODY + 1), "kind": "employer", "subtype": "J"}
        _refused(
            await api.post("/api/v1/organizations", json=big, headers=world.as_("ministry")), 413
        )
        _refused(
            await api.get("/api/v1/organizations?limit=100000", headers=world.as_("ministry")), 422
        )

        owner = world.as_("regional_authority", region="UZ-TO")
        made = [
            await api.post(
                "/api/v1/subscriptions",
                json={
                    "url": f"https://hooks{n}.example.org/in",
                    "secret": HOOK_SECRET,
                    "filters": {},
                },
                headers=owner,
            )
            for n in range(MAX_SUBSCRIPTIONS + 1)
        ]
        assert [a.status_code for a in made[:-1]] == [201] * MAX_SUBSCRIPTIONS, made[-2].text
        _refused(made[-1], 409)

    streamer = world.as_("ministry")
    async with httpx.AsyncClient(base_url=world.bench.gateway, timeout=30) as sse:
        opened = []
        try:
            for _ in range(MAX_STREAMS + 1):
                request = sse.build_request("GET", "/api/v1/events", headers=streamer)
                opened.append(await sse.send(request, stream=True))
            statuses = [response.status_code for response in opened]
            assert statuses == [200] * MAX_STREAMS + [429], statuses
        finally:
            for response in opened:
                await response.aclose()


# --- API5: broken function level authorization -----------------------------------------------


async def test_api5_operator_and_ministry_routes_are_refused_to_other_roles(world):
    """Deeper: tests/integration/gateway/test_access.py (every rule × role)."""
    ids = world.ids
    others = {
        "regional_authority": world.as_("regional_authority", region="UZ-TO"),
        "institution": world.of("institution_to"),
        "employer": world.of("employer_to"),
    }
    ministry_only = [
        ("PUT", "/api/v1/regions/UZ-TO", {"name": "Taken"}),
        ("POST", "/api/v1/frameworks", {}),
        ("POST", "/api/v1/quality/publications", {"period": 2025, "kind": "interim"}),
        ("GET", "/api/v1/quality/exclusions", None),
        ("GET", "/api/v1/assessments/integrity?period=2025", None),
    ]
    operator_routes = [
        ("GET", f"/api/v1/audit/{s}", None) for s in ("registry", "assessment", "quality")
    ]
    async with world.client() as api:
        for headers in others.values():
            for method, path, body in ministry_only + operator_routes:
                answer = await api.request(method, path, json=body, headers=headers)
                _refused(answer, 403)
        operator = world.as_("operator")
        for method, path, _ in operator_routes:
            assert (await api.request(method, path, headers=operator)).status_code == 200
        for method, path in (
            ("GET", "/api/v1/organizations"),
            ("GET", f"/api/v1/programs/{ids['program']}"),
        ):
            _refused(await api.request(method, path, headers=operator), 403)


# --- API7: server side request forgery -------------------------------------------------------

SSRF_TARGETS = [
    "http://127.0.0.1/hook",
    "http://localhost:8001/api/v1/organizations",
    "http://10.0.0.5/hook",
    "http://192.168.1.1/hook",
    "http://169.254.169.254/latest/meta-data",
    "http://[::1]/hook",
    "http://[fe80::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",  # IPv4-mapped
    "http://[::127.0.0.1]/hook",  # IPv4-compatible
    "http://[64:ff9b::a9fe:a9fe]/hook",  # NAT64
    "http://[2002:a9fe:a9fe::1]/hook",  # 6to4
    "http://0.0.0.0/hook",
]


async def test_api7_webhook_targets_inside_the_network_are_refused(world):
    """Deeper: tests/integration/gateway/test_webhook_targets.py, tests/unit (target checks)."""
    owner = world.as_("regional_authority", region="UZ-SA")
    async with world.client(headers=owner) as api:
        for url in SSRF_TARGETS:
            refused = await api.post(
                "/api/v1/subscriptions", json={"url": url, "secret": HOOK_SECRET, "filters": {}}
            )
            _refused(refused, 422)
            assert [e["loc"] for e in refused.json()["errors"]] == [["body", "url"]], url
        assert (await api.get("/api/v1/subscriptions")).json()["items"] == []


# --- API8: security misconfiguration ---------------------------------------------------------


async def test_api8_headers_errors_and_documents_are_as_configured(world):
    """Deeper: tests/integration/gateway/test_limits.py and test_access.py (headers)."""
    async with world.client(headers=world.as_("ministry")) as api:
        read = await api.get("/api/v1/organizations")
        missing = await api.get(f"/api/v1/organizations/{uuid4()}")
        broken = await api.post(
            "/api/v1/organizations",
            content=b'{"name": [',
            headers={"Content-Type": "application/json"},
        )
        unknown = await api.get("/api/v1/no-such-thing")
        docs, schema = await api.get("/docs"), await api.get("/openapi.json")
    for answer in (read, missing, broken, unknown):
        assert answer.headers["x-content-type-options"] == "nosniff", answer.request.url
        assert "no-store" in answer.headers.get("cache-control", ""), answer.request.url
    for answer in (missing, broken, unknown):
        assert answer.headers["content-type"].startswith(PROBLEM), answer.text
        assert "Traceback" not in answer.text and 'File "' not in answer.text
        assert answer.json()["status"] == answer.status_code
    assert (missing.status_code, broken.status_code, unknown.status_code) == (404, 422, 404)
    assert docs.status_code == 200 and docs.headers["content-type"].startswith("text/html")
    assert schema.status_code == 200 and schema.json()["paths"]
