"""Load: 50 clients through the gateway for 60 s (10 s in the suite), each drawing a write (an
assessment, with its Idempotency-Key) one time in five and otherwise one of four reads. No
answer may be a 5xx and no accepted write may be missing from either database afterwards;
p50/p99 are reported, never asserted."""

import asyncio
import random
import time
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest

from bench.assessment_world import COHORT, seed
from bench.country import TIMEOUT_S, Answers, described, ms, running, wait_reflected
from tests.reliability.harness import (
    SEED,
    SIZE,
    Faults,
    Sent,
    figures,
    record,
    run_items,
    session,
    settle,
    submit,
)
from tests.support import POSTGRES_ADMIN_DSN

pytestmark = pytest.mark.slow

CLIENTS = 50
WRITE_SHARE = 0.2
READS = [
    ("ministry", f"/api/v1/quality/national/UZ?period={COHORT}&view=live"),
    ("ministry", f"/api/v1/quality/rankings?scope=organization&period={COHORT}"),
    ("ministry", "/api/v1/organizations?limit=50"),
    ("employer", "/api/v1/assessments?limit=50"),
]


async def read(http: aiohttp.ClientSession, path: str, answers: Answers) -> None:
    started = time.perf_counter()
    try:
        async with http.get(path) as response:
            status, text = str(response.status), await response.text()
            answers.latencies_s.append(time.perf_counter() - started)
    except (aiohttp.ClientError, TimeoutError) as error:
        status, text = "transport", repr(error)
    answers.count(status, f"{status} {path} {text}")


async def under_load(bench: Any) -> dict[str, Any]:
    seeded = await seed(bench.launcher, bench.secret, graduates=SIZE.load_graduates, bulk=100)
    async with httpx.AsyncClient(
        base_url=bench.gateway, headers=bench.token("ministry"), timeout=TIMEOUT_S
    ) as ministry:
        # The national figure the ministry reads exists once the seed is counted.
        counted = await wait_reflected(
            ministry, (COHORT,), at_least=len(seeded.graduate_ids), timeout_s=120
        )
        assert counted is not None, "the seeded assessments were never counted"
    faults, sent, reads = Faults(bench), Sent(), Answers()
    writes = iter(run_items(seeded))
    try:
        async with (
            session(bench.gateway, bench.token("ministry"), clients=CLIENTS) as as_ministry,
            session(bench.gateway, seeded.employer, clients=CLIENTS) as as_employer,
        ):
            readers = {"ministry": as_ministry, "employer": as_employer}
            started = time.monotonic()

            async def client(n: int) -> None:
                rng = random.Random(f"{SEED}-load-{n}")
                while time.monotonic() - started < SIZE.load_seconds:
                    if rng.random() < WRITE_SHARE and (item := next(writes, None)) is not None:
                        await submit(as_employer, item, sent)
                    else:
                        who, path = rng.choice(READS)
                        await read(readers[who], path, reads)

            await asyncio.gather(*(client(n) for n in range(CLIENTS)))
            sent.answers.seconds = reads.seconds = time.monotonic() - started
        result, settled_s = await settle(faults, sent)
        return {
            "machine": described(bench),
            "seed": SEED,
            "clients": CLIENTS,
            "seconds": round(reads.seconds, 1),
            "writes_left_unsent": sum(1 for _ in writes),  # the seeded pool ran out if 0
            "reads": {
                "requests": sum(reads.statuses.values()),
                "statuses": dict(sorted(reads.statuses.items())),
                "error_samples": reads.samples,
                "p50_ms": ms(reads.latencies_s, 50),
                "p99_ms": ms(reads.latencies_s, 99),
            },
            "writes": figures(sent, result, settled_s),
            "readyz": await faults.readiness(),
        }
    finally:
        await faults.close()


@pytest.mark.parametrize(
    "database",
    [
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ],
)
def test_fifty_clients_of_mixed_reads_and_writes_get_no_5xx_and_lose_no_write(
    tmp_path: Path, database: str
):
    postgres = POSTGRES_ADMIN_DSN if database == "postgresql" else None
    with running(tmp_path / "var", postgres=postgres, env=SIZE.env) as bench:
        found = asyncio.run(under_load(bench))
    record(f"load-{database}", found)
    reads, writes = found["reads"], found["writes"]
    assert not [s for s in reads["statuses"] if not s.startswith("2")], reads
    assert not [s for s in writes["statuses"] if not s.startswith("2")], writes
    assert reads["requests"] > 0 and writes["accepted"] > 0, found
    assert writes["settled_after_s"] is not None, writes
    assert (writes["lost"], writes["duplicated"], writes["unexpected"]) == (0, 0, 0), writes
    assert writes["sum_mismatches"] == 0, writes
