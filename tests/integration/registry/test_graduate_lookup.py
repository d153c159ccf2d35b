"""An employer finds the graduate it employs by the person's national identifier (PINFL):
exact matches only, for employers only, each lookup audited without the identifier, at most
a quota of lookups an hour per employer; no person key, no lookup."""

import json
import time
from contextlib import asynccontextmanager

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from registry.bootstrap import create_app
from registry.config import RegistrySettings

from shared.platform.auth_settings import AuthSettings
from shared.platform.db.migrations import upgrade
from tests.integration.ledger import kafka_settings
from tests.integration.registry.conftest import (
    MINISTRY,
    create_graduate,
    create_organization,
    create_program,
    headers,
    institution_with_program,
)
from tests.integration.registry.test_employment_import import database_text
from tests.integration.registry.test_employments import as_employer, record

LOOKUP = "/api/v1/graduates/lookup"
PERSON = "31234567890123"
ANOTHER_PERSON = "41234567890123"
LOOKED_UP = "educluster.registry.graduates.looked_up"


async def look_up(registry, employer: dict, national_id: object = PERSON) -> httpx.Response:
    return await registry.post(
        LOOKUP, headers=as_employer(employer), json={"national_id": national_id}
    )


async def person_with_two_degrees(registry) -> tuple[list[dict], dict]:
    """The person's bachelor's and master's degrees at two institutions (and a deactivated
    record of theirs, and another person at the first), and an employer."""
    first, bachelor = await institution_with_program(registry, tax_id="201234567")
    second = await create_organization(registry, tax_id="202345678")
    master = await create_program(registry, second, code="70610100", level="7")
    degrees = [
        await create_graduate(registry, bachelor, graduation_year=2021, national_id=PERSON),
        await create_graduate(
            registry, master, student_ref="M-0001", graduation_year=2023, national_id=PERSON
        ),
    ]
    mistaken = await create_graduate(registry, bachelor, student_ref="S-0009", national_id=PERSON)
    deactivated = await registry.patch(
        f"/api/v1/graduates/{mistaken['id']}", headers=MINISTRY, json={"active": False}
    )
    assert deactivated.status_code == 200, deactivated.text
    await create_graduate(registry, bachelor, student_ref="S-0002", national_id=ANOTHER_PERSON)
    await create_graduate(registry, bachelor, student_ref="S-0003")  # no identifier given
    employer = await create_organization(registry, kind="employer", subtype="J", tax_id="302345678")
    return degrees, employer


async def test_an_employer_finds_each_degree_of_the_person_and_nothing_it_did_not_know(registry):
    degrees, employer = await person_with_two_degrees(registry)
    found = await look_up(registry, employer)
    assert found.status_code == 200, found.text
    assert found.json() == {
        "items": [
            {
                "graduate_id": g["id"],
                "institution_id": g["institution_id"],
                "program_id": g["program_id"],
                "graduation_year": g["graduation_year"],
            }
            for g in sorted(degrees, key=lambda g: -g["graduation_year"])
        ]
    }
    # Spaces around the identifier are dropped; the match then claims the employment.
    spaced = await look_up(registry, employer, f"  {PERSON} ")
    assert spaced.json() == found.json()
    claimed = await record(registry, {"id": found.json()["items"][0]["graduate_id"]}, employer)
    assert claimed["state"] == "claimed"


async def test_no_match_is_an_empty_list_never_a_404(registry):
    _, employer = await person_with_two_degrees(registry)
    for unknown in ("51234567890123", "31234567890124"):
        found = await look_up(registry, employer, unknown)
        assert (found.status_code, found.json()) == (200, {"items": []})


@pytest.mark.parametrize(
    "caller",
    [
        MINISTRY,
        headers("institution", org="some-institution"),
        headers("regional_authority", region="UZ-SA"),
        headers("operator"),
    ],
    ids=["ministry", "institution", "regional_authority", "operator"],
)
async def test_only_an_employer_may_look_up(registry, caller):
    await person_with_two_degrees(registry)
    refused = await registry.post(LOOKUP, headers=caller, json={"national_id": PERSON})
    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    trail = (await registry.get("/api/v1/audit/registry", headers=MINISTRY)).json()["items"]
    assert [e for e in trail if e["action"] == LOOKED_UP] == []


@pytest.mark.parametrize(
    "body",
    [
        {"national_id": PERSON[:13]},  # a prefix is no identifier: never a prefix search
        {"national_id": PERSON + "4"},
        {"national_id": "3123456789012a"},
        {"national_id": "3123 4567 8901 23"},
        {"national_id": ""},
        {"national_id": None},
        {"national_id": int(PERSON)},
        {"national_id": "%"},
        {},
        {"national_id": PERSON, "full_name": "A Person"},
    ],
)
async def test_a_malformed_identifier_is_a_422_naming_it(registry, body):
    _, employer = await person_with_two_degrees(registry)
    refused = await registry.post(LOOKUP, headers=as_employer(employer), json=body)
    assert refused.status_code == 422, refused.text
    named = [error["loc"] for error in refused.json()["errors"]]
    field = "full_name" if "full_name" in body else "national_id"
    assert named == [["body", field]]


async def test_each_lookup_is_audited_with_its_matches_never_the_identifier(registry):
    degrees, employer = await person_with_two_degrees(registry)
    await look_up(registry, employer)
    await look_up(registry, employer, "51234567890123")
    trail = (
        await registry.get(f"/api/v1/audit/registry?action={LOOKED_UP}", headers=MINISTRY)
    ).json()["items"]
    assert [(e["actor_role"], e["actor_org"]) for e in trail] == [("employer", employer["id"])] * 2
    assert {e["subject"] for e in trail} == {f"organizations/{employer['id']}/graduate-lookups"}
    ids = sorted(degrees, key=lambda g: -g["graduation_year"])
    assert [e["after"] for e in trail] == [{"matches": [g["id"] for g in ids]}, {"matches": []}]
    # Neither the identifier nor its person key is kept anywhere, the trail included.
    stored = await database_text(registry)
    assert "51234567890123" not in stored and PERSON not in stored
    keys = registry.app.state.runtime.settings.person_keys()
    assert keys.of("51234567890123") not in stored
    assert keys.of(PERSON) not in json.dumps(trail)


@pytest.fixture
def three_lookups_an_hour(monkeypatch):
    # Read when the registry fixture builds its settings (requested after this one).
    monkeypatch.setenv("EDUCLUSTER_REGISTRY_GRADUATE_LOOKUPS_PER_HOUR", "3")


async def test_an_employer_past_its_hourly_quota_is_told_when_to_retry(
    three_lookups_an_hour, registry
):
    _, employer = await person_with_two_degrees(registry)
    other = await create_organization(registry, kind="employer", subtype="J", tax_id="303456789")
    for _ in range(3):
        assert (await look_up(registry, employer)).status_code == 200
    refused = await look_up(registry, employer)
    assert refused.status_code == 429, refused.text
    assert 3590 <= int(refused.headers["Retry-After"]) <= 3600
    assert "3 graduate lookups" in refused.json()["detail"]
    # Another employer has its own quota; a refused lookup is not audited (nothing was read).
    assert (await look_up(registry, other)).status_code == 200
    trail = (
        await registry.get(f"/api/v1/audit/registry?action={LOOKED_UP}", headers=MINISTRY)
    ).json()["items"]
    assert [e["actor_org"] for e in trail] == [employer["id"]] * 3 + [other["id"]]


# -- a registry without a person key ------------------------------------------------------


def rsa_keys() -> tuple[str, str]:
    """A private key (to sign tokens with) and its public key, both PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private.decode(), public.decode()


@asynccontextmanager
async def registry_verifying_public_keys(database_url: str, bootstrap_servers: str, public: str):
    """A registry whose tokens come from an identity provider (no shared secret), with no
    person key configured: nothing to derive one from."""
    await upgrade("registry", database_url)
    auth = AuthSettings(public_key=public, algorithms=["RS256"])
    settings = RegistrySettings(
        database_url=database_url, auth=auth, kafka=kafka_settings(bootstrap_servers)
    )
    assert settings.person_keys() is None
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registry") as client:
            yield client


async def test_without_a_person_key_a_lookup_is_refused_naming_the_identifier(
    make_database_url, broker
):
    private, public = rsa_keys()
    now = int(time.time())
    claims = {"sub": "hr-1", "role": "employer", "org": "employer-1", "iat": now, "exp": now + 600}
    claims |= {"iss": "educluster", "aud": "educluster-api"}
    token = jwt.encode(claims, private, algorithm="RS256")
    database_url = await make_database_url("registry")
    async with registry_verifying_public_keys(
        database_url, broker.bootstrap_servers, public
    ) as registry:
        refused = await registry.post(
            LOOKUP, headers={"Authorization": f"Bearer {token}"}, json={"national_id": PERSON}
        )
    assert refused.status_code == 422, refused.text
    (error,) = refused.json()["errors"]
    assert error["loc"] == ["body", "national_id"]
    assert "no person key" in error["msg"]
