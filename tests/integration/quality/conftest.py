"""Registry, assessment and quality services running on one broker, each with its database."""

from contextlib import asynccontextmanager

import httpx
import pytest
from quality.bootstrap import create_app
from quality.config import QualitySettings

from shared.platform.db.migrations import upgrade
from tests.integration.assessment.conftest import running_assessment
from tests.integration.ledger import kafka_settings
from tests.integration.registry.conftest import MINISTRY, auth_settings, running_registry


@asynccontextmanager
async def running_quality(database_url: str, bootstrap_servers: str, **settings):
    await upgrade("quality", database_url)
    app = create_app(
        QualitySettings(
            database_url=database_url,
            auth=auth_settings(),
            kafka=kafka_settings(bootstrap_servers),
            **{"score_window_s": 0.2, **settings},
        )
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://quality") as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


@pytest.fixture
async def services(make_database_url, broker):
    """(registry, assessment, quality) clients."""
    servers = broker.bootstrap_servers
    async with running_registry(await make_database_url("registry"), servers) as registry:
        async with running_assessment(await make_database_url("assessment"), servers) as assessment:
            async with running_quality(await make_database_url("quality"), servers) as quality:
                yield registry, assessment, quality


async def publish_interim(quality: httpx.AsyncClient, period: int) -> dict:
    """The ministry makes an interim publication of ``period`` now (not waiting for the
    hourly one)."""
    response = await quality.post(
        "/api/v1/quality/publications", headers=MINISTRY, json={"period": period, "kind": "interim"}
    )
    assert response.status_code == 201, response.text
    return response.json()
