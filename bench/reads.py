"""Scorecard reads through the gateway under concurrent readers (country-scale issue).

``make bench-reads`` (or ``python -m bench.reads``) starts the whole platform as ``educluster up``
does, with public scores on, on SQLite in a temporary directory (``--postgres``: fresh
PostgreSQL databases); loads a generated world through the gateway (``--size``, ``--scale``:
shared/devtools/generator, as ``educluster generate`` does) and makes an interim publication of
each of its years, as ``educluster up --demo`` does. Then ``--readers`` closed-loop readers take
turns, for ``--seconds`` (after ``--warmup`` uncounted), over a program's scorecard, the program
ranking and the national scorecard of the latest year, each as the ministry (its live view), an
employer and an anonymous reader (the latest publication). Goal: p99 ≤ 100 ms for every read;
each service ≤ 300 MiB.
"""

import argparse
import asyncio
import gc
import itertools
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import httpx

from bench.country import (
    NATIONAL,
    TIMEOUT_S,
    Bench,
    add_common_arguments,
    bench_main,
    described,
    met,
    ms,
    peak_rss_mib,
    print_logged,
    print_memory,
    reset_peaks,
    table,
)
from shared.devtools.generator import generate, size_named
from shared.devtools.generator.run import publish

GOAL_P99_MS = 100.0
PUBLIC = {"EDUCLUSTER_GATEWAY_PUBLIC_SCORES": "true", "EDUCLUSTER_QUALITY_PUBLIC_SCORES": "true"}


@dataclass
class Read:
    label: str
    path: str
    headers: dict[str, str]
    latencies_s: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str | None = None


async def _world(bench: Bench, args: argparse.Namespace) -> tuple[int, str, str]:
    """Loads and publishes the world; its latest year, a program and an employer it holds."""
    size = size_named(args.size, scale=args.scale)
    started = time.perf_counter()
    loaded = await generate(
        bench.gateway, size=size, seed=args.seed, secret=bench.secret, progress_stream=sys.stderr
    )
    for line in loaded.lines():
        print(f"world: {line}", flush=True)
    periods = loaded.world.calendar.periods
    numbers = await publish(bench.gateway, secret=bench.secret, periods=periods)
    print(f"world: loaded and {len(numbers)} publications in {time.perf_counter() - started:.0f} s")
    async with httpx.AsyncClient(
        base_url=bench.gateway, headers=bench.token("ministry"), timeout=TIMEOUT_S
    ) as ministry:
        scores = await ministry.get(
            f"/api/v1/quality/scores?scope=program&period={periods[-1]}&limit=1"
        )
        employers = await ministry.get("/api/v1/organizations?kind=employer&limit=1")
    scores.raise_for_status()
    employers.raise_for_status()
    return periods[-1], scores.json()["items"][0]["scope_id"], employers.json()["items"][0]["id"]


def reads(bench: Bench, *, period: int, program: str, employer: str) -> list[Read]:
    paths = {
        "program scorecard": f"/api/v1/quality/program/{program}?period={period}",
        "program ranking": f"/api/v1/quality/rankings?scope=program&period={period}",
        "national scorecard": f"{NATIONAL}?period={period}",
    }
    readers = {
        "ministry, live": bench.token("ministry"),
        "employer, published": bench.token("employer", org=employer),
        "anonymous, published": {},
    }
    return [
        Read(f"{what} ({who})", path, headers)
        for what, path in paths.items()
        for who, headers in readers.items()
    ]


async def _reader(
    session: aiohttp.ClientSession, turns: Iterator[Read], *, until: float, counted: bool
) -> None:
    while time.perf_counter() < until:
        read = next(turns)
        started = time.perf_counter()
        try:
            async with session.get(read.path, headers=read.headers) as response:
                text = await response.text()
                failed = response.status != 200
                why = f"{response.status} {text[:300]}"
        except (aiohttp.ClientError, TimeoutError) as error:
            failed, why = True, repr(error)
        if not counted:
            continue
        read.latencies_s.append(time.perf_counter() - started)
        read.errors += failed
        if failed and read.first_error is None:
            read.first_error = why


async def _read_for(bench: Bench, turns: list[Read], args: argparse.Namespace) -> None:
    gc.collect()
    gc.freeze()  # as bench.load does: the generator's own pauses stay out of the latencies
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
    connector = aiohttp.TCPConnector(limit=args.readers)
    cycle = itertools.cycle(turns)  # shared: each reader takes the next read
    async with aiohttp.ClientSession(
        base_url=bench.gateway, connector=connector, timeout=timeout
    ) as session:
        for seconds, counted in ((args.warmup, False), (args.seconds, True)):
            until = time.perf_counter() + seconds
            await asyncio.gather(
                *(
                    _reader(session, cycle, until=until, counted=counted)
                    for _ in range(args.readers)
                )
            )


async def measure(bench: Bench, args: argparse.Namespace) -> dict[str, Any]:
    period, program, employer = await _world(bench, args)
    turns = reads(bench, period=period, program=program, employer=employer)
    reset_peaks(bench)
    print(f"{args.readers} readers for {args.seconds:g} s over {len(turns)} reads", flush=True)
    await _read_for(bench, turns, args)
    rows: list[dict[str, Any]] = [
        {
            "read": read.label,
            "path": read.path,
            "requests": len(read.latencies_s),
            "errors": read.errors,
            "first_error": read.first_error,
            "p50_ms": ms(read.latencies_s, 50),
            "p99_ms": ms(read.latencies_s, 99),
        }
        for read in turns
    ]
    p99s = [ms(read.latencies_s, 99) for read in turns]
    sizes = ("size", "scale", "seed", "readers", "seconds", "warmup")
    return {
        "machine": described(bench),
        "sizes": {name: getattr(args, name) for name in sizes} | {"period": period},
        "reads": rows,
        "requests_per_s": round(sum(len(read.latencies_s) for read in turns) / args.seconds, 1),
        "goal_p99_ms": GOAL_P99_MS,
        "goal_met": all(p is not None and p <= GOAL_P99_MS for p in p99s),
        "peak_rss_mib": peak_rss_mib(bench),
    }


def report(figures: dict[str, Any]) -> None:
    print(f"\nmachine: {figures['machine']}\n")
    header = ["read", "requests", "errors", "p50 ms", "p99 ms", "goal", "met?"]
    goal = figures["goal_p99_ms"]
    rows = [
        [r["read"], r["requests"], r["errors"], r["p50_ms"], r["p99_ms"], f"p99 ≤ {goal:.0f} ms"]
        + [met(None if r["p99_ms"] is None else r["p99_ms"] <= goal)]
        for r in figures["reads"]
    ]
    print(table(header, rows))
    sizes = figures["sizes"]
    print(
        f"{sizes['readers']} readers, {figures['requests_per_s']:,.1f} reads/s in all; "
        f"every read's p99 ≤ {goal:.0f} ms: {met(figures['goal_met'])}"
    )
    for row in figures["reads"]:
        if row["first_error"]:
            print(f"{row['read']}: first error {row['first_error']}")
    print()
    print_memory(figures)
    print_logged(figures)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", default="region", help="a generator preset (docs/generator.md)")
    parser.add_argument("--scale", type=float, default=1.0, help="the preset's counts times this")
    parser.add_argument("--seed", type=int, default=2026, help="the generator's seed")
    parser.add_argument("--readers", type=int, default=8, help="concurrent readers")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured time")
    parser.add_argument("--warmup", type=float, default=1.0, help="uncounted reads before")
    add_common_arguments(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark, print the tables (and write --json); return the figures."""
    return bench_main(_arguments(argv), measure, report, env=PUBLIC)


if __name__ == "__main__":
    main()
