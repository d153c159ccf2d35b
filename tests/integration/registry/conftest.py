"""A running registry service (real database, real broker) and tokens to call it with."""

from contextlib import asynccontextmanager
from datetime import date

import httpx
import pytest
from registry.bootstrap import create_app
from registry.config import RegistrySettings

from shared.platform.auth import mint_token
from shared.platform.auth_settings import AuthSettings
from shared.platform.db.migrations import upgrade
from shared.platform.messaging import outbox
from tests.integration.ledger import kafka_settings
from tests.support import TEST_TOKEN_TTL_S, eventually

SECRET = "test-secret-for-registry-tests-only"


def auth_settings() -> AuthSettings:
    return AuthSettings(secret=SECRET)


def headers(
    role: str, *, org: str | None = None, region: str | None = None, sub: str | None = None
) -> dict[str, str]:
    token = mint_token(
        auth_settings(),
        role=role,
        org=org,
        region=region,
        sub=sub or f"{role}-{org or region or 'user'}",
        ttl_s=TEST_TOKEN_TTL_S,
    )
    return {"Authorization": f"Bearer {token}"}


MINISTRY = headers("ministry")
NEXT_YEAR = date.today().year + 1


@asynccontextmanager
async def running_registry(database_url: str, bootstrap_servers: str):
    await upgrade("registry", database_url)
    settings = RegistrySettings(
        database_url=database_url, auth=auth_settings(), kafka=kafka_settings(bootstrap_servers)
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registry") as client:
            await eventually(
                lambda: client.get("/api/v1/regions", headers=MINISTRY),
                until=lambda r: r.status_code == 200 and len(r.json()["items"]) == 14,
                what="regions seeded",
            )
            client.app = app  # type: ignore[attr-defined]
            yield client


@pytest.fixture
async def registry(make_database_url, broker):
    """An httpx client on a running registry; ``registry.app.state.runtime`` is reachable."""
    async with running_registry(
        await make_database_url("registry"), broker.bootstrap_servers
    ) as client:
        yield client


async def create_organization(
    client,
    *,
    kind="education",
    subtype="university",
    region_code="UZ-SA",
    tax_id="201234567",
    name=None,
    auth=MINISTRY,
) -> dict:
    response = await client.post(
        "/api/v1/organizations",
        headers=auth,
        json={
            "kind": kind,
            "subtype": subtype,
            "name": name or f"{kind} {tax_id}",
            "region_code": region_code,
            "tax_id": tax_id,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


async def create_program(
    client, institution: dict, *, code="60610100", field_code="0613", level="6"
) -> dict:
    response = await client.post(
        "/api/v1/programs",
        headers=MINISTRY,
        json={
            "institution_id": institution["id"],
            "code": code,
            "name": f"Program {code}",
            "level": level,
            "field_code": field_code,
            "language": "uz",
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


async def institution_with_program(
    registry, *, tax_id="201234567", region_code="UZ-SA", code="60610100"
) -> tuple[dict, dict]:
    institution = await create_organization(registry, tax_id=tax_id, region_code=region_code)
    return institution, await create_program(registry, institution, code=code)


async def create_graduate(
    registry, program: dict, *, student_ref="S-0001", auth=MINISTRY, **fields
) -> dict:
    response = await registry.post(
        "/api/v1/graduates",
        headers=auth,
        json={
            "program_id": program["id"],
            "graduation_year": 2024,
            "student_ref": student_ref,
            "full_name": f"Graduate {student_ref}",
            **fields,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


async def drained(registry) -> None:
    engine = registry.app.state.runtime.engine

    async def backlog() -> int:
        async with engine.connect() as conn:
            return await outbox.backlog(conn)

    await eventually(backlog, until=lambda n: n == 0, what="outbox drained")


def as_institution(institution: dict) -> dict[str, str]:
    return headers("institution", org=institution["id"])
