"""Upgrades without dead letters, rollbacks without a dead service (operations issue): services
hold until their schema fits, a missing table is an outage, a database ahead of the code by
compatible revisions still serves, and `educluster migrate --to` goes both ways."""

import asyncio

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from educluster.main import main as educluster
from shared.contracts.catalogue.registry import OrganizationRegistered
from shared.platform.auth import mint_token
from shared.platform.auth_settings import AuthSettings
from shared.platform.db.engine import create_engine
from shared.platform.db.migrations import (
    current_revisions,
    downgrade,
    head_revisions,
    script_directory,
    upgrade,
)
from shared.platform.messaging.envelope import encode, kafka_headers, new_event
from shared.platform.messaging.inbox_apply import is_outage
from shared.platform.messaging.kafka import ensure_topics, new_producer
from shared.platform.messaging.tables import messaging_state
from shared.platform.names import REGISTRY_TOPIC, dead_letter_topic
from shared.platform.schema_compatibility import FLOOR_KEY
from tests.integration.ledger import kafka_settings
from tests.integration.test_service_app import running, settings_for
from tests.integration.topic_reader import read_topic
from tests.support import eventually, stays


async def test_a_missing_table_is_an_outage_not_the_events_fault(make_database_url):
    # Found: on PostgreSQL "relation does not exist" was a ProgrammingError, so a consumer
    # started before its migration dead-lettered every event after three attempts.
    engine = create_engine(await make_database_url("outage"))
    try:
        with pytest.raises(DBAPIError) as missing:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT id FROM table_a_migration_will_add"))
    finally:
        await engine.dispose()
    assert is_outage(missing.value)


async def test_each_upgrade_records_which_code_each_revision_serves(make_database_url):
    url = await make_database_url("quality")
    await upgrade("quality", url)
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(messaging_state.c.key, messaging_state.c.value).where(
                    messaging_state.c.key.startswith(FLOOR_KEY)
                )
            )
            floors = {key.removeprefix(FLOOR_KEY): value for key, value in rows}
    finally:
        await engine.dispose()
    assert floors["quality_0011"] == "quality_0010"  # only adds a table
    assert floors["quality_0010"] == "quality_0010"
    assert set(floors) >= head_revisions("quality")


async def organizations_in(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return set((await conn.execute(text("SELECT id FROM q_organizations"))).scalars())
    except DBAPIError:
        return set()
    finally:
        await engine.dispose()


async def test_consumers_hold_until_their_database_is_migrated_and_lose_nothing(
    make_database_url, broker
):
    # Found: consumers and relays started before the migration Job finished; on PostgreSQL the
    # missing tables sent events to the dead-letter topic. Now they wait for the schema.
    url = await make_database_url("quality")
    await upgrade("quality", url, "quality_0001")  # the messaging tables only
    settings = kafka_settings(broker.bootstrap_servers)
    await ensure_topics(settings, [REGISTRY_TOPIC, dead_letter_topic("quality")])
    event = new_event(
        OrganizationRegistered(
            organization_id="org-upgrade",
            kind="education",
            subtype="university",
            name="Upgrade University",
            region_code="UZ-SA",
            tax_id="200000001",
            active=True,
        ),
        service="registry",
    )
    producer = new_producer(settings)
    await producer.start()
    try:
        await producer.send_and_wait(
            REGISTRY_TOPIC, value=encode(event), key=b"org-upgrade", headers=kafka_headers()
        )
    finally:
        await producer.stop()

    async with running("quality", settings_for("quality", url, broker.bootstrap_servers)) as app:
        waiting = await eventually(
            lambda: app.get("/readyz"),
            until=lambda r: r.json()["checks"].get("broker", {}).get("ok"),
            what="broker reached",
        )
        assert waiting.status_code == 503
        checks = waiting.json()["checks"]
        assert "migrations pending" in checks["migrations"]["detail"]
        assert "waiting for the database schema" in checks["consumers"]["detail"]
        await stays(
            lambda: read_topic(settings, dead_letter_topic("quality"), quiet_polls=1),
            holds=lambda records: not records,
            for_s=3.0,
            what="nothing dead-lettered while the schema is behind",
        )

        await upgrade("quality", url)  # the migration Job finishes

        await eventually(
            lambda: organizations_in(url),
            until=lambda ids: "org-upgrade" in ids,
            what="the held event applied",
        )
        ready = await eventually(
            lambda: app.get("/readyz"),
            until=lambda r: r.status_code == 200 and r.json()["status"] == "ready",
            what="ready once migrated",
        )
    assert ready.json()["checks"]["migrations"]["detail"].startswith("at head ")
    assert await read_topic(settings, dead_letter_topic("quality"), quiet_polls=1) == []


async def set_revision(url: str, revision: str, floor: str | None) -> None:
    """Make the database look migrated by newer code: at ``revision``, with its floor."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
            if floor is not None:
                await conn.execute(
                    update(messaging_state)
                    .where(messaging_state.c.key == FLOOR_KEY + HEAD)
                    .values(key=FLOOR_KEY + revision, value=floor)
                )
    finally:
        await engine.dispose()


# This code plays the old code: the database is one revision past its head, by newer code.
(HEAD,) = head_revisions("quality")
AHEAD = f"quality_{int(HEAD.removeprefix('quality_')) + 1:04d}"


@pytest.mark.parametrize(
    ("floor", "status", "says"),
    [
        ("quality_0010", 200, f"ahead of head {HEAD} and compatible (from quality_0010)"),
        (AHEAD, 503, f"not compatible: needs code at {AHEAD} or later"),
        (None, 503, "not compatible: needs newer code"),
    ],
)
async def test_code_rolled_back_serves_a_database_ahead_by_compatible_revisions(
    make_database_url, broker, floor, status, says
):
    # Found: readiness required the database to be exactly at the code's head, so after a
    # migration `kubectl rollout undo` never became ready. (This code plays the old code: the
    # database is at AHEAD, written by newer code.)
    url = await make_database_url("quality")
    await upgrade("quality", url)
    await set_revision(url, AHEAD, floor)

    async with running("quality", settings_for("quality", url, broker.bootstrap_servers)) as app:
        response = await eventually(
            lambda: app.get("/readyz"),
            until=lambda r: r.json()["checks"].get("broker", {}).get("ok"),
            what="broker reached",
        )
    assert response.status_code == status
    assert says in response.json()["checks"]["migrations"]["detail"]


async def cli(*args: str) -> int:
    return await asyncio.to_thread(educluster, list(args))  # the command runs its own loop


async def test_migrate_to_a_revision_goes_down_and_back_up(make_database_url, monkeypatch, capsys):
    # Found: there was no downgrade command, so a schema could not follow a rollback.
    url = await make_database_url("quality")
    monkeypatch.setenv("EDUCLUSTER_QUALITY_DATABASE_URL", url)
    assert await cli("migrate", "--service", "quality") == 0
    assert await cli("migrate", "--service", "quality", "--to", "quality_0010") == 0
    engine = create_engine(url)
    try:
        assert await current_revisions(engine) == {"quality_0010"}
        assert await cli("migrate", "--service", "quality", "--to", "head") == 0
        assert await current_revisions(engine) == head_revisions("quality")
    finally:
        await engine.dispose()
    printed = capsys.readouterr().out
    assert "quality: downgraded to quality_0010" in printed
    assert "quality: migrated to head" in printed


async def test_requests_to_code_ahead_of_its_database_are_refused_503_not_failed_500(
    make_database_url, broker
):
    # Found by the fault suite (platform upgraded under load): the assessment code of
    # assessment_0009 started on a database at assessment_0008 and answered 241 writes with
    # 500 (a missing column). Until the schema fits, every request but the health checks
    # gets 503 with Retry-After: nothing was done, retry.
    url = await make_database_url("assessment")
    (head,) = head_revisions("assessment")
    await upgrade("assessment", url)
    auth = AuthSettings(secret="test-secret-for-upgrade-tests-only")
    settings = settings_for("assessment", url, broker.bootstrap_servers)
    settings = settings.model_copy(update={"auth": auth})
    previous = script_directory("assessment").get_revision(head).down_revision
    assert isinstance(previous, str)
    await downgrade("assessment", url, previous)
    token = mint_token(settings.auth, role="employer", org="org-upgrade", sub="employer-upgrade")
    employer = {"Authorization": f"Bearer {token}", "Accept-Language": "ru"}

    async with running("assessment", settings) as app:
        refused = await app.get("/api/v1/assessments", headers=employer)
        assert refused.status_code == 503, refused.text
        assert refused.headers["Retry-After"] == "5"
        assert refused.headers["Content-Language"] == "ru"
        assert refused.json()["status"] == 503
        assert (await app.get("/healthz")).status_code == 200
        assert (await app.get("/readyz")).status_code == 503

        await upgrade("assessment", url)  # the migration Job finishes

        served = await eventually(
            lambda: app.get("/api/v1/assessments", headers=employer),
            until=lambda r: r.status_code != 503,
            what="served once migrated",
        )
    assert served.status_code == 200, served.text
