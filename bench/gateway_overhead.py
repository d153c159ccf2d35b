"""What the gateway hop costs: the same load on a service directly and through the gateway.

``make bench`` (or ``python -m bench.gateway_overhead``) starts a registry (SQLite in a temporary
directory, regions seeded, no broker), a trivial stand-in service and the gateway in front of
both, each in its own uvicorn process; then, for each scenario, runs the same closed-loop load
(N concurrent keep-alive connections) against the service directly and through the gateway,
and prints requests/s, p50/p99 latency and the gateway/direct ratio.

The registry write registers organizations with unique tax ids: each is a real insert, a
committed transaction with its outbox row, and repeatable without conflicts (a request that
validation rejects would measure only the error path). The stand-in answers from memory, so its
scenarios show the hop's own cost, as PERF.md measured it.
"""

import argparse
import asyncio
import itertools
import json
import os
import platform
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.load import Load, MakeBody, Result, run_load
from bench.services import Platform, running_platform


@dataclass(frozen=True)
class Scenario:
    name: str
    service: str  # which process answers directly
    method: str
    path: str
    body: MakeBody


def _organization(number: int) -> bytes:
    tax_id = str(number)  # a taxpayer id is 9 digits, starting with 2-7
    return json.dumps(
        {
            "kind": "employer",
            "subtype": "J",
            "name": f"Bench employer {tax_id}",
            "region_code": "UZ-TO",
            "tax_id": tax_id,
        }
    ).encode()


def _note(number: int) -> bytes:
    return json.dumps({"name": f"note {number}", "tax_id": f"{number:012d}"}).encode()


SCENARIOS = [
    Scenario("registry read", "registry", "GET", "/api/v1/regions/UZ-TO", lambda _n: None),
    Scenario("registry write", "registry", "POST", "/api/v1/organizations", _organization),
    Scenario("stand-in read", "trivial", "GET", "/api/v1/quality/methodology", lambda _n: None),
    Scenario("stand-in write", "trivial", "POST", "/api/v1/quality/methodology", _note),
]


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def _row(label: str, result: Result) -> str:
    return (
        f"  {label:<8} {result.rate:>9,.0f} {result.percentile_ms(50):>8.1f} "
        f"{result.percentile_ms(99):>8.1f} {result.requests:>9,} {result.errors:>7,}"
    )


async def _compare(
    scenario: Scenario, platform_: Platform, numbers: Iterator[int], args: argparse.Namespace
) -> None:
    headers = {"Authorization": f"Bearer {platform_.token}", "Content-Type": "application/json"}
    urls = {
        "direct": platform_.urls[scenario.service] + scenario.path,
        "gateway": platform_.urls["gateway"] + scenario.path,
    }
    parts: dict[str, list[Result]] = {"direct": [], "gateway": []}
    # A-B-B-A: whatever drifts during the run (a growing database, other load on the machine)
    # weighs on both alike.
    for target in ("direct", "gateway", "gateway", "direct"):
        load = Load(scenario.method, urls[target], headers, scenario.body, args.workers)
        parts[target].append(
            await run_load(load, seconds=args.seconds / 2, warmup_s=args.warmup, numbers=numbers)
        )
    results = {target: Result.combined(runs) for target, runs in parts.items()}
    print(f"{scenario.name}: {scenario.method} {scenario.path}")
    for target, result in results.items():
        print(_row(target, result))
    ratio = results["gateway"].rate / results["direct"].rate
    print(f"  gateway/direct throughput: {ratio:.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=32, help="concurrent connections")
    parser.add_argument(
        "--seconds", type=float, default=4.0, help="measured time per target and scenario"
    )
    parser.add_argument(
        "--warmup", type=float, default=0.5, help="uncounted time before each measurement"
    )
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(
        f"load: {args.workers} concurrent keep-alive connections, closed loop, generator on this "
        f"machine; {args.seconds:g} s measured per target in two halves (direct, gateway, "
        f"gateway, direct), each after {args.warmup:g} s warm-up"
    )
    print(f"  {'':<8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'errors':>7}")
    with tempfile.TemporaryDirectory(prefix="educluster-bench-") as data_dir:
        with running_platform(Path(data_dir)) as platform_:
            # Taxpayer ids are 9 digits starting with 2-7: every write gets a new one.
            numbers = itertools.count(200_000_000)
            for scenario in SCENARIOS:
                asyncio.run(_compare(scenario, platform_, numbers, args))


if __name__ == "__main__":
    main()
