"""A closed-loop load generator: N workers, each waiting for its answer before the next call."""

import asyncio
import gc
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import aiohttp

MakeBody = Callable[[int], bytes | None]


@dataclass(frozen=True)
class Result:
    requests: int
    errors: int
    seconds: float
    latencies_s: list[float]

    @classmethod
    def combined(cls, parts: list["Result"]) -> "Result":
        return cls(
            requests=sum(p.requests for p in parts),
            errors=sum(p.errors for p in parts),
            seconds=sum(p.seconds for p in parts),
            latencies_s=[latency for p in parts for latency in p.latencies_s],
        )

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile_ms(self, p: int) -> float:
        return statistics.quantiles(self.latencies_s, n=100)[p - 1] * 1000


@dataclass(frozen=True)
class Load:
    method: str
    url: str
    headers: dict[str, str]
    body: MakeBody  # request number → body; numbers never repeat within a run
    workers: int


async def _worker(
    session: aiohttp.ClientSession, load: Load, *, numbers: Iterator[int], until: float
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    while (started := time.perf_counter()) < until:
        data = load.body(next(numbers))
        async with session.request(load.method, load.url, data=data) as response:
            await response.read()
            errors += response.status >= 300
        latencies.append(time.perf_counter() - started)
    return latencies, errors


async def _phase(
    session: aiohttp.ClientSession, load: Load, *, numbers: Iterator[int], seconds: float
) -> Result:
    started = time.perf_counter()
    outcomes = await asyncio.gather(
        *(
            _worker(session, load, numbers=numbers, until=started + seconds)
            for _ in range(load.workers)
        )
    )
    elapsed = time.perf_counter() - started
    latencies = [latency for worker, _ in outcomes for latency in worker]
    return Result(len(latencies), sum(e for _, e in outcomes), elapsed, latencies)


async def run_load(
    load: Load, *, seconds: float, warmup_s: float, numbers: Iterator[int]
) -> Result:
    """Warm up for ``warmup_s`` (not counted), then measure for ``seconds``."""
    # Long-lived objects out of the collector's full passes, as in the gateway, so the
    # generator's own pauses do not show up in the latencies it measures.
    gc.collect()
    gc.freeze()
    connector = aiohttp.TCPConnector(limit=load.workers)
    async with aiohttp.ClientSession(connector=connector, headers=load.headers) as session:
        await _phase(session, load, numbers=numbers, seconds=warmup_s)
        return await _phase(session, load, numbers=numbers, seconds=seconds)
