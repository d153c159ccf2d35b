"""How soon an accepted assessment shows in the ministry's live national figure (country-scale
issue).

``make bench-freshness`` (or ``python -m bench.freshness``) starts the whole platform as
``educluster up`` does, on SQLite in a temporary directory (``--postgres``: fresh PostgreSQL
databases), and seeds it as bench/ingestion.py does (a graduate per assessment, waited for
until the live national figure counts the seed). Then it submits ``--assessments`` single
assessments for this year through the gateway at a steady ``--rate`` (open loop: on schedule,
whatever the answers take), while the ministry's live national figure of this year is read
through the gateway every ``--poll`` seconds. An assessment is fresh at the first reading,
after its 201, whose ``n`` counts as many assessments as had been accepted when that 201
arrived (itself included): the time between is its freshness, to within one reading. Goal:
p99 ≤ 2 s; each service ≤ 300 MiB.
"""

import argparse
import asyncio
import time
from typing import Any

import aiohttp
import httpx

from bench.assessment_world import COHORT, PERIODS, Seeded, batches, seed
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
    national_n,
    peak_rss_mib,
    print_logged,
    print_memory,
    reset_peaks,
    table,
    wait_reflected,
)

GOAL_P99_S = 2.0
PERIOD = PERIODS[1]  # this year
ASSESSMENTS = "/api/v1/assessments"


async def _submit(
    bench: Bench, seeded: Seeded, args: argparse.Namespace, answers: Answers
) -> list[float]:
    """Every assessment on schedule; the times of the 201s, in the order they arrived."""
    items = batches(seeded, periods=(PERIOD,), size=1)[: args.assessments]
    accepted_at: list[float] = []
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
    headers = seeded.employer | {"Content-Type": "application/json"}

    async def one(session: aiohttp.ClientSession, body: bytes, *, at: float) -> None:
        await asyncio.sleep(max(0.0, at - time.perf_counter()))
        if await answers.post(session, bench.gateway + ASSESSMENTS, body, items=1):
            accepted_at.append(time.perf_counter())

    async with aiohttp.ClientSession(headers=headers, timeout=timeout) as session:
        started = time.perf_counter()
        await asyncio.gather(
            *(
                one(session, encoded(item, bulk=False)[0], at=started + i / args.rate)
                for i, item in enumerate(items)
            )
        )
        answers.seconds = time.perf_counter() - started
    return accepted_at


async def _read(
    ministry: httpx.AsyncClient, *, base: int, every_s: float, stop: asyncio.Event
) -> list[tuple[float, int]]:
    """(time the answer arrived, assessments of the run counted) until ``stop``, and one more:
    the catch-up wait may see the last count first and stop the reader while it sleeps, so the
    last reading starts after the stop and counts what the wait saw."""
    readings: list[tuple[float, int]] = []
    while True:
        last = stop.is_set()
        n = await national_n(ministry, PERIOD) - base
        readings.append((time.perf_counter(), n))
        if last:
            return readings
        try:
            await asyncio.wait_for(stop.wait(), every_s)
        except TimeoutError:
            pass


def freshness_s(accepted_at: list[float], readings: list[tuple[float, int]]) -> list[float]:
    """For the k-th 201, the first reading after it counting k: how long after (only for
    those a reading caught)."""
    found: list[float] = []
    start = 0
    for k, at in enumerate(accepted_at, start=1):
        # Readings and 201s are both in time order and counts only grow: a pointer suffices.
        while start < len(readings) and (readings[start][0] <= at or readings[start][1] < k):
            start += 1
        if start == len(readings):
            break
        found.append(readings[start][0] - at)
    return found


async def measure(bench: Bench, args: argparse.Namespace) -> dict[str, Any]:
    seeded = await seed(bench.launcher, bench.secret, graduates=args.assessments, bulk=100)
    answers = Answers()
    async with httpx.AsyncClient(
        base_url=bench.gateway, headers=bench.token("ministry"), timeout=TIMEOUT_S
    ) as ministry:
        if (
            await wait_reflected(ministry, (COHORT,), at_least=args.assessments, timeout_s=120)
            is None
        ):
            raise RuntimeError("the live national figure never counted the seeded assessments")
        reset_peaks(bench)
        base = await national_n(ministry, PERIOD)
        stop = asyncio.Event()
        reader = asyncio.create_task(_read(ministry, base=base, every_s=args.poll, stop=stop))
        print(f"{args.assessments:,} assessments at {args.rate:g}/s", flush=True)
        try:
            accepted_at = await _submit(bench, seeded, args, answers)
            await wait_reflected(
                ministry, (PERIOD,), at_least=base + answers.items, timeout_s=args.catch_up_timeout
            )
        finally:
            stop.set()
            readings = await reader
    fresh = freshness_s(accepted_at, readings)
    p99 = ms(fresh, 99)
    return {
        "machine": described(bench),
        "sizes": {"assessments": args.assessments, "rate": args.rate, "poll": args.poll},
        "sent_per_s": round(sum(answers.statuses.values()) / answers.seconds, 1),
        "accepted": answers.items,
        "errors": answers.errors,
        "statuses": dict(answers.statuses),
        "error_samples": answers.samples,
        "submit_p50_ms": ms(answers.latencies_s, 50),
        "submit_p99_ms": ms(answers.latencies_s, 99),
        "measured": len(fresh),
        "not_reflected": answers.items - len(fresh),
        "readings": len(readings),
        "freshness_p50_ms": ms(fresh, 50),
        "freshness_p99_ms": p99,
        "freshness_max_ms": round(max(fresh) * 1000, 1) if fresh else None,
        "goal_p99_ms": GOAL_P99_S * 1000,
        "goal_met": None if p99 is None else p99 <= GOAL_P99_S * 1000,
        "peak_rss_mib": peak_rss_mib(bench),
    }


def report(figures: dict[str, Any]) -> None:
    print(f"\nmachine: {figures['machine']}\n")
    sizes = figures["sizes"]
    header = ["", "assessments", "p50 ms", "p99 ms", "max ms", "goal", "met?"]
    rows = [
        [
            f"201 → live national n ({sizes['rate']:g}/s, read every {sizes['poll']:g} s)",
            figures["measured"],
            figures["freshness_p50_ms"],
            figures["freshness_p99_ms"],
            figures["freshness_max_ms"],
            f"p99 ≤ {figures['goal_p99_ms']:,.0f} ms",
            met(figures["goal_met"]),
        ],
        [
            "submission (POST through the gateway)",
            figures["accepted"],
            figures["submit_p50_ms"],
            figures["submit_p99_ms"],
            None,
            "",
            "",
        ],
    ]
    print(table(header, rows))
    print(
        f"sent {figures['sent_per_s']:,.1f}/s; errors {figures['errors']} "
        f"({figures['statuses']}); never reflected in time: {figures['not_reflected']}"
    )
    for status, sample in figures["error_samples"].items():
        print(f"first {status}: {sample}")
    print()
    print_memory(figures)
    print_logged(figures)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--assessments", type=int, default=600, help="assessments submitted")
    parser.add_argument("--rate", type=float, default=20.0, help="assessments a second")
    parser.add_argument("--poll", type=float, default=0.05, help="seconds between readings")
    parser.add_argument(
        "--catch-up-timeout", type=float, default=60.0, help="longest wait for the last one"
    )
    add_common_arguments(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark, print the tables (and write --json); return the figures."""
    return bench_main(_arguments(argv), measure, report)


if __name__ == "__main__":
    main()
