"""Each service's real app: health, readiness and metrics, on both databases and a real broker."""

import importlib
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import jwt
import pytest

from shared.devtools.local_broker import free_port
from shared.platform.auth_settings import AuthSettings
from shared.platform.db.migrations import SERVICES, upgrade
from shared.platform.settings import KafkaSettings
from tests.integration.registry.conftest import MINISTRY, SECRET, create_organization
from tests.support import eventually

SETTINGS_CLASSES = {
    "registry": "RegistrySettings",
    "assessment": "AssessmentSettings",
    "quality": "QualitySettings",
    "gateway": "GatewaySettings",
}

CONSUMING = {"assessment", "quality", "gateway"}  # all but the registry consume events


def settings_for(service: str, database_url: str, bootstrap_servers: str):
    config = importlib.import_module(f"{service}.config")
    settings_class = getattr(config, SETTINGS_CLASSES[service])
    return settings_class(
        database_url=database_url,
        kafka=KafkaSettings(
            bootstrap_servers=bootstrap_servers,
            partitions=3,
            epoch_check_interval_s=0.5,
            request_timeout_ms=2000,
        ),
    )


@asynccontextmanager
async def running(service: str, settings) -> AsyncIterator[httpx.AsyncClient]:
    """The service's app under its own lifespan, with a client that talks to it in-process."""
    app = importlib.import_module(f"{service}.bootstrap").create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


def broker_checked(response: httpx.Response) -> bool:
    """True once the broker watch has reached the broker (readiness settles after that)."""
    return response.json()["checks"]["broker"]["ok"]


@pytest.mark.parametrize("service", SERVICES)
async def test_a_migrated_service_with_a_broker_is_healthy_ready_and_exports_metrics(
    service, make_database_url, broker
):
    url = await make_database_url(service)
    await upgrade(service, url)

    async with running(service, settings_for(service, url, broker.bootstrap_servers)) as client:
        healthz = await client.get("/healthz")
        ready = await eventually(
            lambda: client.get("/readyz"),
            until=lambda r: r.status_code == 200 and r.json()["status"] == "ready",
            what=f"{service} ready",
        )
        metrics = await client.get("/metrics")

    assert (healthz.status_code, healthz.json()) == (200, {"status": "ok"})
    report = ready.json()
    assert report["status"] == "ready"
    consuming = CONSUMING  # services that run consumers report them too
    expected = {"database", "migrations", "broker"} | (
        {"consumers"} if service in consuming else set()
    )
    assert set(report["checks"]) == expected
    assert all(check["ok"] for check in report["checks"].values())
    assert report["checks"]["database"]["detail"] == url.split("+")[0]
    assert report["checks"]["migrations"]["detail"].startswith("at head ")
    assert report["checks"]["broker"]["detail"] == broker.bootstrap_servers
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    assert 'educluster_http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in (
        metrics.text
    )


@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_whose_database_is_not_migrated_is_not_ready_and_says_migrations(
    service, make_database_url, broker
):
    url = await make_database_url(service)

    async with running(service, settings_for(service, url, broker.bootstrap_servers)) as client:
        response = await eventually(
            lambda: client.get("/readyz"), until=broker_checked, what="broker reached"
        )
        healthz = await client.get("/healthz")

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["title"], problem["status"]) == ("Not ready", 503)
    # Only what serving requests needs decides readiness (a consumer that cannot run on an
    # unmigrated database is reported in the checks, not in the verdict).
    assert problem["detail"] == "Failing checks: migrations"
    assert problem["checks"]["migrations"]["detail"].startswith("at nothing, head is ")
    assert healthz.status_code == 200  # alive, just not ready


async def test_a_service_whose_broker_is_unreachable_stays_ready_degraded_and_says_broker(
    make_database_url,
):
    # Found: every service's /readyz required the broker, so a Kafka outage took every pod out
    # of its Service and the whole API down, defeating the outbox (writes commit without the
    # broker). Readiness now requires database and migrations; the broker is reported, and
    # watched through educluster_broker_reachable.
    url = await make_database_url("registry")
    await upgrade("registry", url)
    nowhere = f"127.0.0.1:{free_port()}"
    settings = settings_for("registry", url, nowhere)
    settings = settings.model_copy(update={"auth": AuthSettings(secret=SECRET)})

    async with running("registry", settings) as client:
        response = await eventually(
            lambda: client.get("/readyz"),
            until=lambda r: r.json()["checks"]["database"]["ok"],
            what="database checked",
        )
        healthz = await client.get("/healthz")
        # Writes still succeed: the event waits in the outbox for the broker.
        await eventually(
            lambda: client.get("/api/v1/regions/UZ-SA", headers=MINISTRY),
            until=lambda r: r.status_code == 200,
            what="regions seeded",
        )
        await create_organization(client, kind="employer", subtype="J", tax_id="301234567")
        metrics = await client.get("/metrics")

    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "degraded"
    assert report["checks"]["broker"] == {"ok": False, "detail": f"{nowhere} not reachable"}
    assert report["checks"]["database"]["ok"] and report["checks"]["migrations"]["ok"]
    assert healthz.status_code == 200
    assert "educluster_broker_reachable 0.0" in metrics.text


# A route of each service that needs a verified caller (the gateway's own: its door checks first).
GUARDED = {
    "registry": "/api/v1/regions",
    "assessment": "/api/v1/frameworks",
    "quality": "/api/v1/quality/exclusions",
    "gateway": "/api/v1/subscriptions",
}


def signed_token(**changes: object) -> str:
    settings = AuthSettings(secret=SECRET)
    now = int(time.time())
    claims = {
        "sub": "hr",
        "role": "employer",
        "org": "org-1",
        "iat": now,
        "exp": now + 600,
        "iss": settings.issuer,
        "aud": settings.audience,
    }
    return jwt.encode(claims | changes, SECRET, algorithm="HS256")


@pytest.mark.parametrize("service", SERVICES)
async def test_every_service_refuses_a_signed_token_with_a_list_for_a_claim_naming_it(
    service, make_database_url
):
    # Found: a signed ``org: ["a", "b"]`` passed verification and gave a 500.
    url = await make_database_url(service)
    await upgrade(service, url)
    settings = settings_for(service, url, f"127.0.0.1:{free_port()}")
    settings = settings.model_copy(update={"auth": AuthSettings(secret=SECRET)})
    tokens = {
        "org": signed_token(org=["a", "b"]),
        "region": signed_token(role="regional_authority", region=["UZ-SA"]),
    }

    async with running(service, settings) as client:
        answers = {
            claim: await client.get(GUARDED[service], headers={"Authorization": f"Bearer {token}"})
            for claim, token in tokens.items()
        }

    for claim, response in answers.items():
        assert response.status_code == 401, (claim, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert claim in response.json()["detail"]
