"""Background loops restart after a crash, backing off only while they keep crashing."""

from shared.platform.runtime import supervise


async def test_a_loop_that_ran_steadily_restarts_after_the_first_delay_again():
    # Found: the delay doubled with every crash for the life of the process, so a loop that
    # crashed now and then (a busy database) ended up 30 s behind after each one.
    now = 0.0
    waited: list[float] = []
    runs = iter([0.5, 0.5, 0.5, 0.5, 0.5, 3600.0, 0.5, None])  # how long each run lasts

    async def run() -> None:
        nonlocal now
        lasts = next(runs)
        if lasts is None:
            return  # the loop ends: supervise returns
        now += lasts
        raise RuntimeError("crash")

    async def sleep(delay: float) -> None:
        nonlocal now
        waited.append(delay)
        now += delay

    await supervise("test", run, clock=lambda: now, sleep=sleep)

    assert waited == [1.0, 2.0, 4.0, 8.0, 16.0, 1.0, 2.0]
