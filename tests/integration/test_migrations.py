"""Every service's Alembic history goes up to head and back down to nothing, on both databases."""

import pytest
from sqlalchemy import inspect

from shared.platform.db.engine import create_engine
from shared.platform.db.migrations import current_revisions, downgrade, head_revisions, upgrade
from shared.platform.names import PUBLISHING_SERVICES, SERVICES


async def table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


@pytest.mark.parametrize("service", SERVICES)
async def test_migrations_upgrade_to_head_downgrade_to_base_and_upgrade_again(
    make_database_url, service
):
    # Only a service that publishes keeps an outbox (the gateway's was dropped: nothing wrote it).
    messaging = {"inbox", "messaging_state"} | (
        {"outbox"} if service in PUBLISHING_SERVICES else set()
    )
    url = await make_database_url(service)
    await upgrade(service, url)
    engine = create_engine(url)
    try:
        assert await current_revisions(engine) == head_revisions(service)
    finally:
        await engine.dispose()
    assert messaging <= await table_names(url)

    await downgrade(service, url, "base")
    assert await table_names(url) <= {"alembic_version"}

    await upgrade(service, url)
    assert messaging <= await table_names(url)
