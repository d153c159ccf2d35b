"""Assessments accepted per second end to end through the gateway (country-scale issue).

``make bench-ingestion`` (or ``python -m bench.ingestion``) starts the whole platform as
``educluster up`` does, on SQLite in a temporary directory (``--postgres``: fresh PostgreSQL
databases), and seeds through the services' own APIs (bench/assessment_world.py: one
institution, program and employer, a graduate per assessment, a confirmed employment each, one
assessment each for their graduation year, waited for until the ministry's live national figure
counts them). Then, on the assessment service's own database, the single-row commit ceiling:
one INSERT + COMMIT per row into a scratch table (SQLAlchemy core, one connection) for
``--ceiling-seconds``. Then through the gateway with the employer's token, no retries (any
answer but 201, and any transport error, is an error of the run):

1. single: half the assessments (last year), one request each, ``--clients`` at a time;
2. bulk: the other half (this year), ``--bulk`` per request, ``--bulk-clients`` at a time.

Meanwhile the ministry's live national figure of both years is read every ``--poll`` seconds:
the quality consumer's lag is what was accepted and is not counted there yet, during the run
and until it catches up. Goals: single ≥ 400/s, bulk ≥ 2,000 items/s, each service ≤ 300 MiB.
"""

import argparse
import asyncio
import json
import time
from typing import Any

import httpx
from sqlalchemy import Column, Integer, MetaData, Table, Text

from bench.assessment_world import BULK, COHORT, PERIODS, Seeded, batches, seed
from bench.country import (
    TIMEOUT_S,
    Answers,
    Bench,
    add_common_arguments,
    bench_main,
    described,
    encoded,
    met,
    ms,
    peak_rss_mib,
    print_logged,
    print_memory,
    reflected,
    reset_peaks,
    table,
    wait_reflected,
)
from bench.country import send_all as send
from shared.platform.db.engine import create_engine

SINGLE_GOAL = 400  # assessments/s
BULK_GOAL = 2_000  # items/s
ASSESSMENTS = "/api/v1/assessments"


async def commit_ceiling(url: str, *, seconds: float, body: str) -> tuple[int, float]:
    """Rows committed one INSERT + COMMIT at a time for ``seconds``: (rows, seconds)."""
    scratch = Table(
        "bench_commit_ceiling",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("body", Text, nullable=False),
    )
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(scratch.metadata.create_all)
        rows, started = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - started) < seconds:
            async with engine.begin() as conn:
                await conn.execute(scratch.insert().values(id=rows, body=body))
            rows += 1
        async with engine.begin() as conn:
            await conn.run_sync(scratch.metadata.drop_all)
    finally:
        await engine.dispose()
    return rows, elapsed


def _items(seeded: Seeded, *, period: int, n: int) -> list[dict[str, Any]]:
    return batches(seeded, periods=(period,), size=len(seeded.graduate_ids))[0][:n]


async def _watch(
    ministry: httpx.AsyncClient,
    *,
    accepted: Any,
    stop: asyncio.Event,
    every_s: float,
    samples: list[tuple[float, int, int]],
) -> None:
    """(time, accepted, reflected) every ``every_s`` until ``stop``."""
    started = time.perf_counter()
    while not stop.is_set():
        counted = accepted()  # before the read: the lag is never understated by a race
        samples.append((time.perf_counter() - started, counted, await reflected(ministry, PERIODS)))
        await asyncio.sleep(every_s)


async def _ingest(
    bench: Bench, seeded: Seeded, args: argparse.Namespace, ministry: httpx.AsyncClient
) -> dict[str, Any]:
    singles = args.assessments // 2
    single_bodies = [
        encoded([item], bulk=False) for item in _items(seeded, period=PERIODS[0], n=singles)
    ]
    items = _items(seeded, period=PERIODS[1], n=args.assessments - singles)
    bulk_bodies = [
        encoded(items[i : i + args.bulk], bulk=True) for i in range(0, len(items), args.bulk)
    ]
    single, bulk = Answers(), Answers()
    samples: list[tuple[float, int, int]] = []
    stop = asyncio.Event()
    watcher = asyncio.create_task(
        _watch(
            ministry,
            accepted=lambda: single.items + bulk.items,
            stop=stop,
            every_s=args.poll,
            samples=samples,
        )
    )
    url = bench.gateway + ASSESSMENTS
    try:
        print(f"single: {len(single_bodies):,} requests, {args.clients} clients", flush=True)
        await send(
            url, single_bodies, headers=seeded.employer, workers=args.clients, answers=single
        )
        print(f"bulk: {len(bulk_bodies):,} requests of up to {args.bulk}", flush=True)
        await send(
            bench.gateway + BULK,
            bulk_bodies,
            headers=seeded.employer,
            workers=args.bulk_clients,
            answers=bulk,
        )
    finally:
        stop.set()
        await watcher
    accepted = single.items + bulk.items
    caught_up = await wait_reflected(
        ministry, PERIODS, at_least=accepted, timeout_s=args.catch_up_timeout
    )
    final = await reflected(ministry, PERIODS)
    return {
        "single": _phase(single),
        "bulk": _phase(bulk),
        "lag": {
            "accepted": accepted,
            "max_during_run": max((a - r for _, a, r in samples), default=None),
            "at_end_of_run": samples[-1][1] - samples[-1][2] if samples else None,
            "caught_up_after_s": None if caught_up is None else round(caught_up, 2),
            "reflected_at_end": final,
            "samples": [[round(t, 2), a, r] for t, a, r in samples],
        },
    }


def _phase(answers: Answers) -> dict[str, Any]:
    return {
        "accepted": answers.items,
        "seconds": round(answers.seconds, 2),
        "per_s": round(answers.items / answers.seconds, 1) if answers.seconds else None,
        "requests": sum(answers.statuses.values()),
        "errors": answers.errors,
        "statuses": dict(answers.statuses),
        "p50_ms": ms(answers.latencies_s, 50),
        "p99_ms": ms(answers.latencies_s, 99),
        "error_samples": answers.samples,
    }


async def measure(bench: Bench, args: argparse.Namespace) -> dict[str, Any]:
    graduates = args.assessments - args.assessments // 2
    seeded = await seed(bench.launcher, bench.secret, graduates=graduates, bulk=args.bulk)
    async with httpx.AsyncClient(
        base_url=bench.gateway, headers=bench.token("ministry"), timeout=TIMEOUT_S
    ) as ministry:
        # The seed's own assessments taken in first: the run's lag is its own.
        if await wait_reflected(ministry, (COHORT,), at_least=graduates, timeout_s=120) is None:
            raise RuntimeError("the live national figure never counted the seeded assessments")
        url = bench.launcher.env["EDUCLUSTER_ASSESSMENT_DATABASE_URL"]
        body = json.dumps(batches(seeded, periods=(COHORT,), size=1)[0][0])
        print(f"ceiling: single-row commits for {args.ceiling_seconds:g} s", flush=True)
        rows, seconds = await commit_ceiling(url, seconds=args.ceiling_seconds, body=body)
        reset_peaks(bench)
        run = await _ingest(bench, seeded, args, ministry)
    ceiling = rows / seconds
    for phase in ("single", "bulk"):
        rate = run[phase]["per_s"]
        run[phase]["ratio_to_ceiling"] = round(rate / ceiling, 3) if rate else None
    sizes = ("assessments", "clients", "bulk", "bulk_clients", "ceiling_seconds", "poll")
    return {
        "machine": described(bench),
        "sizes": {name: getattr(args, name) for name in sizes},
        "ceiling": {"rows": rows, "seconds": round(seconds, 2), "per_s": round(ceiling, 1)},
        **run,
        "goals": {
            "single_per_s": SINGLE_GOAL,
            "bulk_items_per_s": BULK_GOAL,
            "single_met": (run["single"]["per_s"] or 0) >= SINGLE_GOAL,
            "bulk_met": (run["bulk"]["per_s"] or 0) >= BULK_GOAL,
        },
        "peak_rss_mib": peak_rss_mib(bench),
    }


def _ratio(value: float | None) -> str | None:
    return None if value is None else f"{value:.3f}"


def report(figures: dict[str, Any]) -> None:
    sizes, goals, lag = figures["sizes"], figures["goals"], figures["lag"]
    print(f"\nmachine: {figures['machine']}\n")
    header = ["path", "accepted", "s", "per s", "× ceiling", "p50 ms", "p99 ms", "errors"]
    rows = [
        ["single-row commit ceiling", figures["ceiling"]["rows"], figures["ceiling"]["seconds"]]
    ]
    rows[0] += [figures["ceiling"]["per_s"], "1", None, None, 0]
    for phase, label in (
        ("single", f"single ({sizes['clients']} clients)"),
        ("bulk", f"bulk ({sizes['bulk']} a request, {sizes['bulk_clients']} clients)"),
    ):
        p = figures[phase]
        rows.append(
            [label, p["accepted"], p["seconds"], p["per_s"], _ratio(p["ratio_to_ceiling"])]
            + [p["p50_ms"], p["p99_ms"], p["errors"]]
        )
    print(
        table(
            header + ["goal", "met?"],
            [rows[0] + [None, ""]]
            + [
                rows[1] + [f"≥ {goals['single_per_s']:,}/s", met(goals["single_met"])],
                rows[2] + [f"≥ {goals['bulk_items_per_s']:,}/s", met(goals["bulk_met"])],
            ],
        )
    )
    for phase in ("single", "bulk"):
        for status, sample in figures[phase]["error_samples"].items():
            print(f"{phase}: first {status}: {sample}")
    print()
    print(
        table(
            ["quality consumer lag (live national figure)", "assessments"],
            [
                ["accepted in the run", lag["accepted"]],
                ["largest not yet counted, during the run", lag["max_during_run"]],
                ["not yet counted at the last reading in the run", lag["at_end_of_run"]],
                ["counted at the end", lag["reflected_at_end"]],
            ],
        )
    )
    print(f"caught up {lag['caught_up_after_s']} s after the run ended\n")
    print_memory(figures)
    print_logged(figures)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--assessments", type=int, default=2_000, help="half single, half bulk")
    parser.add_argument("--clients", type=int, default=16, help="concurrent single submitters")
    parser.add_argument("--bulk", type=int, default=100, help="items per bulk request")
    parser.add_argument("--bulk-clients", type=int, default=4, help="concurrent bulk submitters")
    parser.add_argument("--ceiling-seconds", type=float, default=5.0, help="commit ceiling run")
    parser.add_argument("--poll", type=float, default=0.5, help="seconds between lag readings")
    parser.add_argument(
        "--catch-up-timeout", type=float, default=120.0, help="longest wait for the consumer"
    )
    add_common_arguments(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark, print the tables (and write --json); return the figures."""
    return bench_main(_arguments(argv), measure, report)


if __name__ == "__main__":
    main()
