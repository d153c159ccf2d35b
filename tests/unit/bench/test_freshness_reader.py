"""The freshness benchmark's reader always sees the count the catch-up wait saw.

Found in CI: on a loaded machine the catch-up wait saw the last assessment first and stopped the
reader while it slept, so the reader never had a reading counting it and the benchmark reported
assessments "never reflected" that the live figure did count.
"""

import asyncio

import httpx

from bench import freshness


def _national(count: list[int]) -> httpx.AsyncClient:
    def answer(request: httpx.Request) -> httpx.Response:
        body = {"indicators": {"employer_satisfaction": {"n": count[0]}}}
        return httpx.Response(200, json=body)

    return httpx.AsyncClient(base_url="http://gateway", transport=httpx.MockTransport(answer))


async def test_a_reading_after_the_stop_counts_what_the_catch_up_wait_saw():
    count = [0]
    stop = asyncio.Event()
    async with _national(count) as ministry:
        reader = asyncio.create_task(freshness._read(ministry, base=0, every_s=0.2, stop=stop))
        await asyncio.sleep(0.05)  # the reader has read 0 and sleeps
        count[0] = 1  # the live figure counts the assessment ...
        stop.set()  # ... and the catch-up wait, reading first, stops the reader
        readings = await reader

    assert readings[-1][1] == 1
    assert len(freshness.freshness_s([0.0], readings)) == 1
