"""A running assessment service next to a running registry, on one broker."""

from contextlib import asynccontextmanager

import httpx
import pytest
from assessment.bootstrap import create_app
from assessment.config import AssessmentSettings

from shared.platform.db.migrations import upgrade
from tests.integration.ledger import kafka_settings
from tests.integration.registry.conftest import auth_settings, running_registry


@asynccontextmanager
async def running_assessment(database_url: str, bootstrap_servers: str, **overrides):
    await upgrade("assessment", database_url)
    settings = AssessmentSettings(
        database_url=database_url,
        auth=auth_settings(),
        kafka=kafka_settings(bootstrap_servers),
        **overrides,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://assessment") as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


@pytest.fixture
async def platform(make_database_url, broker):
    """(registry client, assessment client), each service with its own database."""
    async with running_registry(
        await make_database_url("registry"), broker.bootstrap_servers
    ) as registry:
        async with running_assessment(
            await make_database_url("assessment"), broker.bootstrap_servers
        ) as assessment:
            yield registry, assessment
