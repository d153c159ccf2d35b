"""Stopping a Kafka client survives aiokafka raising its own task's cancellation from stop()."""

import asyncio

import pytest

from shared.platform.messaging.kafka import stop_client


class StopsWithItsOwnCancellation:
    """Behaves as aiokafka's consumer did in CI: stop() re-raises a cancelled inner task."""

    def __init__(self) -> None:
        self.stopped = False

    async def stop(self) -> None:
        inner = asyncio.create_task(asyncio.sleep(10))
        inner.cancel()
        self.stopped = True
        await inner  # raises CancelledError, though nobody cancelled the caller


class StopsSlowly:
    async def stop(self) -> None:
        await asyncio.sleep(10)


async def test_a_client_raising_its_own_tasks_cancellation_is_still_stopped_quietly():
    client = StopsWithItsOwnCancellation()
    await stop_client(client)  # type: ignore[arg-type]  # a stand-in for aiokafka's client
    assert client.stopped


async def test_the_callers_own_cancellation_still_propagates():
    task = asyncio.create_task(stop_client(StopsSlowly()))  # type: ignore[arg-type]
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_a_client_that_never_stops_is_given_up_after_the_timeout():
    with pytest.raises(TimeoutError):
        await stop_client(StopsSlowly(), timeout_s=0.05)  # type: ignore[arg-type]
