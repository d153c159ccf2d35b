"""Reads during concurrent bulk assessment writes on the embedded default (SQLite): issue 19.

``make bench-sqlite`` (or ``python -m bench.sqlite_contention``) starts the whole platform as
``educluster up`` does (its own bundled broker, migrations, four uvicorn processes) on SQLite in a
temporary directory, on free ports. It seeds through the services' own APIs (not the gateway):
one institution, program and employer, N graduates (CSV import), an open employment of each by
the employer, and one assessment per graduate for their graduation year. Those give the reads
full pages, and are retried until the assessment service's projection knows every graduate and
employment, so the phases measure the database rather than the projection catching up. Then,
against the assessment service directly:

A. reads alone: R readers in a closed loop list the employer's assessments for S seconds;
B. the same readers while W writers submit every (graduate, period) assessment for last year
   and this year in bulk requests of B items, each with its own Idempotency-Key; a 409 or 503
   with Retry-After is retried with the same key after the advised delay, and counted.

It prints requests/s, p50/p99 latencies, the writers' answers, the ratio of the reads' p99
during writes to their p99 alone, and what the services logged; ``--json PATH`` also writes
the figures.
"""

import argparse
import asyncio
import gc
import itertools
import json
import os
import secrets
import signal
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

import aiohttp
import httpx

from bench.assessment_world import (
    BULK,
    MAX_ATTEMPTS,
    PERIODS,
    TIMEOUT_S,
    Seeded,
    batches,
    every_page,
    seed,
)
from bench.gateway_overhead import machine
from bench.load import Load, Result, run_load
from educluster.up import Launcher
from shared.devtools.local_broker import free_port
from shared.platform.names import SERVICES

LIST = "/api/v1/assessments"
READS = f"{LIST}?limit=50"  # the first page: the same rows in both phases
ANSWERS = ("201", "409", "503", "other", "transport")


@dataclass
class Writes:
    """What the writers of phase B got back."""

    items: int
    seconds: float = 0.0
    accepted_items: int = 0
    answers: Counter[str] = field(default_factory=lambda: Counter(dict.fromkeys(ANSWERS, 0)))
    replayed: int = 0  # 201s replaying a first answer lost to a transport error
    unresolved: int = 0  # bulk requests given up (another answer, or MAX_ATTEMPTS spent)
    latencies_s: dict[str, list[float]] = field(default_factory=dict)  # by answer
    samples: dict[str, str] = field(default_factory=dict)  # the first answer of each kind

    def count(self, kind: str, *, latency_s: float | None, sample: str) -> None:
        self.answers[kind] += 1
        if latency_s is not None:
            self.latencies_s.setdefault(kind, []).append(latency_s)
        if kind != "201":
            self.samples.setdefault(kind, sample)


# --- the platform -----------------------------------------------------------------------------


@contextmanager
def running_platform(data_dir: Path, secret: str) -> Iterator[Launcher]:
    """Every service on SQLite in ``data_dir``, on free ports, with its own broker."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUCLUSTER_")}
    env |= {
        "EDUCLUSTER_JWT_SECRET": secret,
        "EDUCLUSTER_LOCAL_BROKER_PORT": str(free_port()),
        "EDUCLUSTER_LOG_LEVEL": "WARNING",
        # One client at hundreds or thousands of requests a second: the gateway's default
        # per-client rate limit would throttle what is being measured.
        "EDUCLUSTER_GATEWAY_RATE_LIMIT_PER_S": "1000000",
        "EDUCLUSTER_GATEWAY_RATE_LIMIT_BURST": "1000000",
    }
    ports = {service: free_port() for service in SERVICES}
    launcher = Launcher(host="127.0.0.1", data_dir=data_dir, ports=ports, env=env)
    # The launcher ignores SIGINT/SIGTERM once it stops; the caller's handlers come back after.
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        launcher.start()
        yield launcher
    finally:
        launcher.stop()
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def logged(data_dir: Path) -> dict[str, dict[str, int]]:
    """What each service logged (WARNING and above, as started), counted by level and message."""
    found: dict[str, dict[str, int]] = {}
    for service in SERVICES:
        path = data_dir / f"{service}.log"
        lines = path.read_text(errors="replace").splitlines() if path.exists() else []
        counts: Counter[str] = Counter()
        for line in lines:
            try:
                record = json.loads(line)
                error = f": {record['error']}" if record.get("error") else ""
                task = f" [{record['task']}]" if record.get("task") else ""
                # A crash's cause: the last line of its traceback.
                cause = (record.get("exc_info") or "").strip().splitlines()[-1:]
                because = f" ({cause[0]})" if cause else ""
                counts[f"{record['level']} {record['message']}{task}{error}{because}"] += 1
            except (ValueError, KeyError, TypeError):
                counts[line[:300]] += 1
        if counts:
            found[service] = dict(counts)
    return found


# --- phase B: readers while writers submit ----------------------------------------------------


async def _read_until(
    session: aiohttp.ClientSession, url: str, stop: asyncio.Event
) -> tuple[list[float], int]:
    # bench.load's worker, but until the writers are done rather than for a fixed time.
    latencies: list[float] = []
    errors = 0
    while not stop.is_set():
        started = time.perf_counter()
        try:
            async with session.get(url) as response:
                await response.read()
                errors += response.status >= 300
        except (aiohttp.ClientError, TimeoutError):
            errors += 1
        latencies.append(time.perf_counter() - started)
    return latencies, errors


async def _submit(
    session: aiohttp.ClientSession, url: str, batch: list[dict[str, Any]], writes: Writes
) -> None:
    """One bulk request until it is accepted, retried with the same Idempotency-Key."""
    headers = {"Idempotency-Key": uuid4().hex}
    body = json.dumps({"items": batch}).encode()
    for _ in range(MAX_ATTEMPTS):
        started = time.perf_counter()
        try:
            async with session.post(url, data=body, headers=headers) as response:
                text = await response.text()
        except (aiohttp.ClientError, TimeoutError) as error:
            # The outcome is unknown: the same key either replays it or saves it now.
            writes.count("transport", latency_s=None, sample=repr(error))
            await asyncio.sleep(1)
            continue
        status, retry_after = response.status, response.headers.get("Retry-After")
        writes.count(
            str(status) if str(status) in ANSWERS else "other",
            latency_s=time.perf_counter() - started,
            sample=f"{status} (Retry-After: {retry_after}) {text[:300]}",
        )
        if status == 201:
            writes.accepted_items += len(batch)
            writes.replayed += response.headers.get("Idempotent-Replayed") == "true"
            return
        if status not in (409, 503) or retry_after is None:
            break
        await asyncio.sleep(float(retry_after))
    writes.unresolved += 1


async def reads_during_writes(
    seeded: Seeded, *, readers: int, writers: int, bulk: int
) -> tuple[Result, Writes]:
    requests = batches(seeded, periods=PERIODS, size=bulk)
    writes = Writes(items=sum(len(batch) for batch in requests))
    pending = iter(requests)  # shared: each writer takes the next request
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
    stop = asyncio.Event()

    async def writer(session: aiohttp.ClientSession) -> None:
        for batch in pending:
            await _submit(session, seeded.assessment + BULK, batch, writes)

    gc.collect()
    gc.freeze()  # as bench.load does: the generator's own pauses stay out of the latencies
    json_headers = seeded.employer | {"Content-Type": "application/json"}
    async with (
        aiohttp.ClientSession(headers=seeded.employer, timeout=timeout) as reading,
        aiohttp.ClientSession(headers=json_headers, timeout=timeout) as writing,
    ):
        tasks = [
            asyncio.create_task(_read_until(reading, seeded.assessment + READS, stop))
            for _ in range(readers)
        ]
        started = time.perf_counter()
        try:
            await asyncio.gather(*(writer(writing) for _ in range(writers)))
        finally:
            stop.set()
            writes.seconds = time.perf_counter() - started
            outcomes = await asyncio.gather(*tasks)
    latencies = [latency for worker, _ in outcomes for latency in worker]
    return Result(len(latencies), sum(e for _, e in outcomes), writes.seconds, latencies), writes


async def stored(seeded: Seeded) -> int:
    """How many assessments of the periods written in phase B the service holds."""
    async with httpx.AsyncClient(
        base_url=seeded.assessment, headers=seeded.employer, timeout=TIMEOUT_S
    ) as assessment:
        pages = [await every_page(assessment, f"{LIST}?period={p}") for p in PERIODS]
    return sum(len(items) for items in pages)


# --- the figures ------------------------------------------------------------------------------


def _ms(latencies_s: list[float], p: int) -> float | None:
    if len(latencies_s) < 2:
        return None
    return round(Result(len(latencies_s), 0, 1, latencies_s).percentile_ms(p), 1)


def _reads(result: Result) -> dict[str, Any]:
    return {
        "requests": result.requests,
        "errors": result.errors,
        "seconds": round(result.seconds, 2),
        "requests_per_s": round(result.rate, 1),
        "p50_ms": _ms(result.latencies_s, 50),
        "p99_ms": _ms(result.latencies_s, 99),
    }


def _writes(writes: Writes, stored: int) -> dict[str, Any]:
    answered = [latency for kind in writes.latencies_s.values() for latency in kind]
    accepted = writes.latencies_s.get("201", [])
    return {
        "items": writes.items,
        "accepted_items": writes.accepted_items,
        "stored": stored,  # assessments of the phase's periods the service holds afterwards
        "seconds": round(writes.seconds, 2),
        "items_per_s": round(writes.accepted_items / writes.seconds, 1),
        "bulk_p50_ms": _ms(answered, 50),  # every answered bulk request
        "bulk_p99_ms": _ms(answered, 99),
        "accepted_p50_ms": _ms(accepted, 50),  # the 201s only
        "accepted_p99_ms": _ms(accepted, 99),
        "answers": dict(writes.answers),
        "replayed": writes.replayed,
        "unresolved": writes.unresolved,
        "samples": writes.samples,
    }


def figures(
    args: argparse.Namespace, *, alone: Result, during: Result, writes: Writes, stored: int
) -> dict[str, Any]:
    reads_alone, reads_during = _reads(alone), _reads(during)
    ratio = None
    if reads_alone["p99_ms"] and reads_during["p99_ms"] is not None:
        ratio = round(reads_during["p99_ms"] / reads_alone["p99_ms"], 2)
    sizes = ("graduates", "readers", "writers", "bulk", "seconds", "warmup")
    return {
        "machine": machine(),
        "sizes": {name: getattr(args, name) for name in sizes} | {"periods": list(PERIODS)},
        "reads_alone": reads_alone,
        "reads_during_writes": reads_during,
        "writes": _writes(writes, stored),
        "read_p99_ratio": ratio,
    }


def _n(value: float | None, spec: str = ",.1f") -> str:
    return "n/a" if value is None else format(value, spec)


def report(result: dict[str, Any]) -> None:
    print(f"\nmachine: {result['machine']}")
    print(f"  {'':<24} {'req/s':>7} {'p50 ms':>9} {'p99 ms':>9} {'requests':>9} {'errors':>7}")
    for label, key in (
        ("reads alone", "reads_alone"),
        ("reads during writes", "reads_during_writes"),
    ):
        r = result[key]
        print(
            f"  {label:<24} {r['requests_per_s']:>7,.0f} {_n(r['p50_ms']):>9} "
            f"{_n(r['p99_ms']):>9} {r['requests']:>9,} {r['errors']:>7,}"
        )
    w = result["writes"]
    bulk = result["sizes"]["bulk"]
    for label, p50, p99, count in (
        (
            f"bulk writes ({bulk} items)",
            w["bulk_p50_ms"],
            w["bulk_p99_ms"],
            sum(w["answers"].values()),
        ),
        ("  of which 201", w["accepted_p50_ms"], w["accepted_p99_ms"], w["answers"]["201"]),
    ):
        print(f"  {label:<24} {'':>7} {_n(p50):>9} {_n(p99):>9} {count:>9,}")
    print(
        f"writes: {w['accepted_items']:,} of {w['items']:,} items accepted in {w['seconds']:.1f} s "
        f"({w['items_per_s']:,.1f} items/s); {w['stored']:,} stored for {PERIODS[0]}-{PERIODS[1]}"
    )
    answers = ", ".join(f"{kind} {count:,}" for kind, count in w["answers"].items())
    print(f"  answers: {answers}; replayed {w['replayed']}, unresolved {w['unresolved']}")
    for kind, sample in w["samples"].items():
        print(f"  first {kind}: {sample}")
    print(f"read p99 during writes / alone: {_n(result['read_p99_ratio'], '.2f')}")
    for service, counts in result["logged"].items():
        for line, count in counts.items():
            print(f"  {service} logged {count}x: {line[:300]}")


# --- the command ------------------------------------------------------------------------------


async def measure(launcher: Launcher, secret: str, args: argparse.Namespace) -> dict[str, Any]:
    seeded = await seed(launcher, secret, graduates=args.graduates, bulk=args.bulk)
    print(f"phase A: {args.readers} readers for {args.seconds:g} s", flush=True)
    load = Load("GET", seeded.assessment + READS, seeded.employer, lambda _n: None, args.readers)
    alone = await run_load(
        load, seconds=args.seconds, warmup_s=args.warmup, numbers=itertools.count()
    )
    print(
        f"phase B: {args.readers} readers while {args.writers} writers submit "
        f"{len(seeded.graduate_ids) * len(PERIODS):,} items in bulk requests of {args.bulk}",
        flush=True,
    )
    during, writes = await reads_during_writes(
        seeded, readers=args.readers, writers=args.writers, bulk=args.bulk
    )
    return figures(args, alone=alone, during=during, writes=writes, stored=await stored(seeded))


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--graduates", type=int, default=600, help="N graduates (and employments)")
    parser.add_argument("--readers", type=int, default=8, help="concurrent readers")
    parser.add_argument("--writers", type=int, default=4, help="concurrent bulk writers")
    parser.add_argument("--bulk", type=int, default=100, help="items per bulk request")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time of phase A")
    parser.add_argument("--warmup", type=float, default=1.0, help="uncounted reads before A")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark, print the table (and write --json); return the figures."""
    args = _arguments(argv)
    secret = secrets.token_urlsafe(32)
    with tempfile.TemporaryDirectory(prefix="educluster-bench-sqlite-") as directory:
        data_dir = Path(directory)
        try:
            with running_platform(data_dir, secret) as launcher:
                result = asyncio.run(measure(launcher, secret, args))
        except BaseException:
            # What the services said is the first thing to look at, before the directory goes.
            print(f"the services logged: {json.dumps(logged(data_dir), indent=2)}")
            raise
        result["logged"] = logged(data_dir)
    report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
