"""Delivery under faults: assessments stream through the gateway while, in separate runs, the
quality service is killed twice, the assessment relay dies between publish and mark-sent, the
broker restarts empty after 10 s, a PostgreSQL database refuses connections for 10 s, the
quality database is restored to an earlier point (then the producers republish), and services
are upgraded under load.
Once the system settles every committed assessment is counted exactly once in the quality
tallies, nothing a client was told is missing, no dead letters, every service ready.

Reduced size here (tests/reliability/harness.py SIZE); `make reliability` runs the full size.
"""

import asyncio
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bench.assessment_world import PERIODS, seed
from bench.country import described, running
from shared.platform.names import ASSESSMENT_TOPIC, SERVICES
from tests.reliability.harness import (
    SEED,
    SIZE,
    Faults,
    Sent,
    figures,
    record,
    settle,
    stream,
)
from tests.support import POSTGRES_ADMIN_DSN

pytestmark = pytest.mark.slow

Inject = Callable[[Faults, random.Random, float], Awaitable[dict[str, Any]]]


async def kill_quality_twice(faults: Faults, rng: random.Random, duration: float) -> dict:
    for moment in sorted(rng.uniform(0.1, 0.7) * duration for _ in range(2)):
        await faults.at(moment)
        await faults.kill("quality")
        await faults.restart("quality")
    return {}


async def kill_relay_between_publish_and_mark(
    faults: Faults, rng: random.Random, duration: float
) -> dict:
    await faults.at(rng.uniform(0.2, 0.5) * duration)
    caught = await faults.kill_relay_between_publish_and_mark(timeout_s=duration)
    await faults.restart("assessment")
    return {"caught_unmarked": caught}


async def restart_broker_empty(faults: Faults, rng: random.Random, duration: float) -> dict:
    await faults.at(rng.uniform(0.1, 0.25) * duration)
    await faults.broker_outage(SIZE.outage_s)
    return {}


def migrated_under_load(*services: str) -> Inject:
    async def inject(faults: Faults, rng: random.Random, duration: float) -> dict:
        await faults.at(rng.uniform(0.1, 0.25) * duration)
        return {"readyz_while_behind": await faults.migrate_under_load(services, behind_s=5.0)}

    return inject


def restored_to_an_earlier_point(service: str, *, follows: tuple[str, ...]) -> Inject:
    """``service``'s database backed up under load, restored later (the events it consumed in
    between forgotten, its consumer offsets in Kafka past them), then every service it follows
    republishes its retained events: the consumers must converge, counting nothing twice."""

    async def inject(faults: Faults, rng: random.Random, duration: float) -> dict:
        await faults.at(rng.uniform(0.15, 0.3) * duration)
        backup = await faults.back_up(service, faults.launcher.data_dir)
        await faults.at(rng.uniform(0.55, 0.7) * duration)
        await faults.restore(service, backup)
        return {"republished": [await faults.republish(p) for p in follows]}

    return inject


def database_refuses(service: str) -> Inject:
    async def inject(faults: Faults, rng: random.Random, duration: float) -> dict:
        await faults.at(rng.uniform(0.1, 0.25) * duration)
        await faults.database_outage(service, SIZE.outage_s)
        return {}

    return inject


async def under_fault(bench: Any, name: str, inject: Inject) -> dict[str, Any]:
    graduates = SIZE.assessments // len(PERIODS)
    seeded = await seed(bench.launcher, bench.secret, graduates=graduates, bulk=100)
    faults, sent = Faults(bench), Sent()
    duration = SIZE.assessments / SIZE.rate_per_s
    try:
        flow = asyncio.create_task(
            stream(
                bench.gateway,
                seeded,
                rate_per_s=SIZE.rate_per_s,
                clients=SIZE.clients,
                sent=sent,
            )
        )
        try:
            extra = await inject(faults, random.Random(f"{SEED}-{name}"), duration)
            await flow
        finally:
            flow.cancel()
        result, settled_s = await settle(faults, sent)
        found = {
            "fault": name,
            "machine": described(bench),
            "seed": SEED,
            "sent": len(seeded.graduate_ids) * len(PERIODS),
            "clients": SIZE.clients,
            "injected": faults.injected,
            **figures(sent, result, settled_s),
            "dead_letters": await faults.dead_letters(),
            "readyz": await faults.readiness(),
        }
        found |= {k: v for k, v in extra.items() if k != "caught_unmarked"}
        if caught := extra.get("caught_unmarked"):
            # Each was on the broker before the kill and published again after the restart.
            copies = Counter(await faults.on_topic(ASSESSMENT_TOPIC))
            found["caught_unmarked"] = len(caught)
            found["caught_published_again"] = sum(copies[event] >= 2 for event in caught)
        return found
    finally:
        await faults.close()


def run(tmp_path: Path, name: str, inject: Inject, *, postgres: str | None = None) -> dict:
    with running(tmp_path / "var", postgres=postgres, env=SIZE.env) as bench:
        found = asyncio.run(under_fault(bench, name, inject))
    record(f"fault-{name}", found)
    return found


def assert_exactly_once(found: dict[str, Any]) -> None:
    assert found["settled_after_s"] is not None, found
    assert (found["lost"], found["duplicated"], found["unexpected"]) == (0, 0, 0), found
    assert found["sum_mismatches"] == 0, found
    assert found["accepted"] == found["sent"] == found["active"] - found["sent"] // 2, found
    assert set(found["dead_letters"].values()) == {0}, found
    assert set(found["readyz"].values()) == {"200 ready"}, found


def test_quality_killed_twice(tmp_path):
    assert_exactly_once(run(tmp_path, "quality-killed-twice", kill_quality_twice))


def test_relay_killed_between_publish_and_mark(tmp_path):
    found = run(tmp_path, "relay-killed-after-publish", kill_relay_between_publish_and_mark)
    assert_exactly_once(found)
    assert found["caught_unmarked"] > 0
    assert found["caught_published_again"] == found["caught_unmarked"], found


def test_broker_stopped_and_started_empty(tmp_path):
    assert_exactly_once(run(tmp_path, "broker-restarted-empty", restart_broker_empty))


@pytest.mark.postgres
@pytest.mark.parametrize("service", ["quality", "assessment"])
def test_a_postgresql_database_refuses_connections(tmp_path, service):
    found = run(
        tmp_path,
        f"{service}-database-refuses",
        database_refuses(service),
        postgres=POSTGRES_ADMIN_DSN,
    )
    assert_exactly_once(found)


@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_quality_restored_to_an_earlier_point_with_events_in_flight(tmp_path, database):
    # The consumer's side of a point-in-time recovery (docs/deploy.md "Events after a restore").
    found = run(
        tmp_path,
        f"quality-restored-{database}",
        restored_to_an_earlier_point("quality", follows=("registry", "assessment")),
        postgres=POSTGRES_ADMIN_DSN if database == "postgresql" else None,
    )
    assert all("events queued for re-publishing" in line for line in found["republished"])
    assert_exactly_once(found)


def test_quality_migrated_under_load_with_events_in_flight(tmp_path):
    found = run(tmp_path, "quality-migrated-under-load", migrated_under_load("quality"))
    # Behind its code, the service said so and consumed nothing; migrated, it caught up.
    assert found["readyz_while_behind"]["quality"].startswith("503"), found
    assert_exactly_once(found)


def test_every_service_upgraded_at_once_with_events_in_flight(tmp_path):
    # A whole release rolled out before its migration Jobs ran: all four services on code one
    # revision ahead of their databases, the load going on, then every migration under load.
    found = run(tmp_path, "platform-upgraded-under-load", migrated_under_load(*SERVICES))
    assert all(v.startswith("503") for v in found["readyz_while_behind"].values()), found
    assert_exactly_once(found)
