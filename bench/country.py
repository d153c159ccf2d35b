"""What the country-scale benchmarks (ingestion, freshness, reads) share.

The whole platform as ``educluster up`` runs it (bundled broker, four uvicorn processes) on
SQLite in a temporary directory or on fresh PostgreSQL databases; the ministry's live national
figure; every answer counted; the services' peak RSS; a markdown table.
"""

import argparse
import asyncio
import json
import os
import secrets
import signal
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

import aiohttp
import asyncpg  # type: ignore[import-untyped]
import httpx

from bench.gateway_overhead import machine
from bench.load import Result
from bench.sqlite_contention import logged
from educluster.up import Launcher
from shared.devtools.local_broker import free_port
from shared.platform.auth import mint_token
from shared.platform.auth_settings import AuthSettings
from shared.platform.names import SERVICES

POSTGRES_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
MEMORY_GOAL_MIB = 300
TIMEOUT_S = 60.0
NATIONAL = "/api/v1/quality/national/UZ"


@dataclass(frozen=True)
class Bench:
    launcher: Launcher
    secret: str
    database: str  # what the services store in, with its version

    @property
    def gateway(self) -> str:
        return self.launcher.gateway_url

    def token(self, role: str, *, org: str | None = None) -> dict[str, str]:
        token = mint_token(AuthSettings(secret=self.secret), role=role, sub="bench", org=org)
        return {"Authorization": f"Bearer {token}"}


# --- the platform -----------------------------------------------------------------------------


async def _postgres(admin_dsn: str, names: list[str], *, create: bool) -> str:
    conn = await asyncpg.connect(admin_dsn)
    try:
        for name in names:
            if create:
                await conn.execute(f'CREATE DATABASE "{name}"')
            else:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return f"PostgreSQL {await conn.fetchval('SHOW server_version')}"
    finally:
        await conn.close()


@contextmanager
def _databases(postgres: str | None) -> Iterator[tuple[dict[str, str], str]]:
    """The services' database URLs (none: the launcher's SQLite files) and their name."""
    if postgres is None:
        yield {}, f"SQLite {sqlite3.sqlite_version}"
        return
    names = {service: f"ec_bench_{uuid4().hex[:8]}_{service}" for service in SERVICES}
    version = asyncio.run(_postgres(postgres, list(names.values()), create=True))
    base = postgres.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    try:
        yield (
            {
                f"EDUCLUSTER_{service.upper()}_DATABASE_URL": f"{base}/{name}"
                for service, name in names.items()
            },
            version,
        )
    finally:
        asyncio.run(_postgres(postgres, list(names.values()), create=False))


@contextmanager
def running(
    data_dir: Path, *, postgres: str | None, env: dict[str, str] | None = None
) -> Iterator[Bench]:
    """Every service on free ports with its own broker; SQLite in ``data_dir`` unless
    ``postgres`` (an admin DSN) is given, then fresh databases dropped afterwards."""
    secret = secrets.token_urlsafe(32)
    with _databases(postgres) as (urls, database):
        base = {k: v for k, v in os.environ.items() if not k.startswith("EDUCLUSTER_")}
        # Benches drive a few clients at hundreds or thousands of requests a second: the
        # gateway's default per-client rate limit would throttle what is being measured.
        base |= {
            "EDUCLUSTER_GATEWAY_RATE_LIMIT_PER_S": "1000000",
            "EDUCLUSTER_GATEWAY_RATE_LIMIT_BURST": "1000000",
        }
        base |= urls | (env or {})
        base |= {
            "EDUCLUSTER_JWT_SECRET": secret,
            "EDUCLUSTER_LOCAL_BROKER_PORT": str(free_port()),
            "EDUCLUSTER_LOG_LEVEL": "WARNING",
        }
        ports = {service: free_port() for service in SERVICES}
        launcher = Launcher(host="127.0.0.1", data_dir=data_dir, ports=ports, env=base)
        # The launcher ignores SIGINT/SIGTERM once it stops; the caller's handlers come back.
        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            launcher.start()
            yield Bench(launcher=launcher, secret=secret, database=database)
        finally:
            launcher.stop()
            for sig, handler in handlers.items():
                signal.signal(sig, handler)


def described(bench: Bench) -> str:
    return f"{machine()}, {bench.database}"


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=POSTGRES_ADMIN_DSN,
        metavar="ADMIN_DSN",
        help=f"fresh PostgreSQL databases through this admin DSN (default {POSTGRES_ADMIN_DSN}) "
        "instead of SQLite",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")


Measure = Callable[[Bench, argparse.Namespace], Coroutine[Any, Any, dict[str, Any]]]


def run_bench(
    args: argparse.Namespace, measure: Measure, *, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """``measure`` against a platform started for it; the figures with what services logged."""
    with tempfile.TemporaryDirectory(prefix="educluster-bench-") as directory:
        data_dir = Path(directory)
        try:
            with running(data_dir, postgres=args.postgres, env=env) as bench:
                figures = asyncio.run(measure(bench, args))
        except BaseException:
            # What the services said is the first thing to look at, before the directory goes.
            print(f"the services logged: {json.dumps(logged(data_dir), indent=2)}")
            raise
        figures["logged"] = logged(data_dir)
    return figures


def bench_main(
    args: argparse.Namespace,
    measure: Measure,
    report: Callable[[dict[str, Any]], None],
    *,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A benchmark's whole run: measure, print the tables, write --json; the figures."""
    figures = run_bench(args, measure, env=env)
    report(figures)
    write_json(args.json, figures)
    return figures


def print_logged(figures: dict[str, Any]) -> None:
    for service, counts in figures["logged"].items():
        for line, count in counts.items():
            print(f"{service} logged {count}x: {line[:300]}")


# --- peak memory ------------------------------------------------------------------------------


def reset_peaks(bench: Bench) -> None:
    """Start each service's peak RSS afresh (Linux: 5 to clear_refs), so the peak reported is
    the measured run's, not the seeding's."""
    for child in bench.launcher.children.values():
        try:
            Path(f"/proc/{child.pid}/clear_refs").write_text("5")
        except OSError:
            pass  # not Linux: the peak then covers the process's whole life


def peak_rss_mib(bench: Bench) -> dict[str, float | None]:
    """Each service process's peak RSS (VmHWM) in MiB; None where /proc has no answer."""
    peaks: dict[str, float | None] = {}
    for service, child in bench.launcher.children.items():
        try:
            status = Path(f"/proc/{child.pid}/status").read_text()
        except OSError:
            peaks[service] = None
            continue
        line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
        peaks[service] = round(int(line.split()[1]) / 1024, 1)
    return peaks


# --- the ministry's live national figure ------------------------------------------------------


async def national_n(client: httpx.AsyncClient, period: int) -> int:
    """How many assessments of ``period`` the ministry's live national figure counts (0 while
    the period has no scorecard)."""
    answer = await client.get(f"{NATIONAL}?period={period}&view=live")
    if answer.status_code == 404:
        return 0
    answer.raise_for_status()
    return int(answer.json()["indicators"]["employer_satisfaction"]["n"] or 0)


async def reflected(client: httpx.AsyncClient, periods: tuple[int, ...]) -> int:
    return sum([await national_n(client, period) for period in periods])


async def wait_reflected(
    client: httpx.AsyncClient, periods: tuple[int, ...], *, at_least: int, timeout_s: float
) -> float | None:
    """Seconds until the live national figures count ``at_least`` (None: not within
    ``timeout_s``)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout_s:
        if await reflected(client, periods) >= at_least:
            return time.perf_counter() - started
        await asyncio.sleep(0.1)
    return None


# --- sending, every answer counted ------------------------------------------------------------


@dataclass
class Answers:
    """What a run of requests got back: every status and transport error, counted."""

    items: int = 0  # items accepted (201)
    seconds: float = 0.0
    statuses: Counter[str] = field(default_factory=Counter)
    latencies_s: list[float] = field(default_factory=list)
    samples: dict[str, str] = field(default_factory=dict)  # the first answer of each error

    @property
    def errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if not status.startswith("2"))

    def count(self, status: str, sample: str) -> None:
        self.statuses[status] += 1
        if not status.startswith("2"):
            self.samples.setdefault(status, sample[:300])

    async def post(
        self, session: aiohttp.ClientSession, url: str, body: bytes, *, items: int
    ) -> bool:
        """POST ``body`` once (no retry), counting the answer; True when it was accepted."""
        started = time.perf_counter()
        try:
            async with session.post(url, data=body) as response:
                text = await response.text()
        except (aiohttp.ClientError, TimeoutError) as error:
            self.count("transport", repr(error))
            return False
        self.latencies_s.append(time.perf_counter() - started)
        self.count(str(response.status), f"{response.status} {text}")
        if response.status != 201:
            return False
        self.items += items
        return True


async def send_all(
    url: str,
    bodies: list[tuple[bytes, int]],
    *,
    headers: dict[str, str],
    workers: int,
    answers: Answers,
) -> None:
    """POST each (body, items) once, ``workers`` at a time, closed loop; no retries: anything
    but a 201 is an error of the run."""
    pending = iter(bodies)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
    json_headers = headers | {"Content-Type": "application/json"}

    async def worker(session: aiohttp.ClientSession) -> None:
        for body, items in pending:
            await answers.post(session, url, body, items=items)

    connector = aiohttp.TCPConnector(limit=workers)
    async with aiohttp.ClientSession(
        connector=connector, headers=json_headers, timeout=timeout
    ) as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(workers)))
        answers.seconds = time.perf_counter() - started


def encoded(items: list[dict[str, Any]], *, bulk: bool) -> tuple[bytes, int]:
    return json.dumps({"items": items} if bulk else items[0]).encode(), len(items)


# --- figures ----------------------------------------------------------------------------------


def ms(latencies_s: list[float], p: int) -> float | None:
    if len(latencies_s) < 2:
        return None
    # quantiles() extrapolates past the largest of a small sample: never report beyond it.
    value = min(
        Result(len(latencies_s), 0, 1, latencies_s).percentile_ms(p), max(latencies_s) * 1000
    )
    return round(value, 1)


def met(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**not met**")


def table(header: list[str], rows: list[list[Any]]) -> str:
    def cell(value: Any) -> str:
        if value is None:
            return "n/a"
        if isinstance(value, float):
            return f"{value:,.1f}"
        if isinstance(value, int):
            return f"{value:,}"
        return str(value)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def memory_rows(peaks: dict[str, float | None]) -> list[list[Any]]:
    return [
        [
            service,
            mib,
            f"≤ {MEMORY_GOAL_MIB} MiB",
            met(None if mib is None else mib <= MEMORY_GOAL_MIB),
        ]
        for service, mib in peaks.items()
    ]


def print_memory(figures: dict[str, Any]) -> None:
    header = ["service", "peak RSS MiB (measured run)", "goal", "met?"]
    print(table(header, memory_rows(figures["peak_rss_mib"])))


def write_json(path: Path | None, figures: dict[str, Any]) -> None:
    if path:
        path.write_text(json.dumps(figures, indent=2) + "\n")


def in_process_main(
    parser: argparse.ArgumentParser,
    run: Callable[[argparse.Namespace], Coroutine[Any, Any, dict[str, Any]]],
    argv: list[str] | None,
) -> dict[str, Any]:
    """An in-process benchmark's whole run: its arguments (and --json), the measurement, the
    figures printed as JSON and written to --json; the figures."""
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    figures: dict[str, Any] = asyncio.run(run(args))
    print(json.dumps(figures, indent=2))
    write_json(args.json, figures)
    return figures
