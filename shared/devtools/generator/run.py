"""A world into a running platform: ``generate`` (`educluster generate`) and ``load_demo``
(`educluster up --demo`)."""

import asyncio
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import TextIO

import httpx

from shared.devtools.generator.api import Api
from shared.devtools.generator.loader import Loader
from shared.devtools.generator.progress import Progress
from shared.devtools.generator.report import Report
from shared.devtools.generator.sizes import SIZES, WorldSize
from shared.devtools.generator.world import World

DEMO_SIZE = "region"
DEFAULT_SEED = 2026
DEFAULT_CONCURRENCY = 8
TIMEOUT_S = 60.0  # above the gateway's 30 s upstream timeout: its 504 comes first
FRAMEWORK_WAIT_S = 60.0  # the assessment service publishes its default framework as it starts
SCORED_WAIT_S = 120.0  # for the quality service to take in what was loaded
SETTLED_S = 2.0  # a national figure unchanged this long is taken as caught up


class GenerationError(Exception):
    """The platform cannot take a world: no gateway answering, no competency framework."""


async def generate(
    base_url: str,
    *,
    size: WorldSize,
    seed: int,
    secret: str,
    year: int | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    progress_stream: TextIO = sys.stderr,
) -> Report:
    """Build the world of ``size`` and ``seed`` (its current year ``year``, default this year)
    and load it through the gateway at ``base_url``, with tokens signed by ``secret``; a
    progress bar on ``progress_stream``; the report says what was created and every error."""
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT_S) as client:
        api = Api(client, secret=secret, concurrency=concurrency)
        framework_id, competencies = await _framework(api)
        world = World(size, seed=seed, year=year or date.today().year, competencies=competencies)
        progress = Progress(
            _totals(world),
            estimated=frozenset({"employments"}),
            tally=api.tally,
            stream=progress_stream,
        )
        loader = Loader(api, world, framework_id=framework_id, progress=progress)
        await loader.run()
        progress.finish()
    return Report(
        world=world,
        created=loader.created,
        existing=loader.existing,
        skipped=loader.skipped,
        seconds=loader.seconds,
        tally=api.tally,
        elapsed_s=time.monotonic() - started,
    )


async def load_demo(
    base_url: str, *, secret: str, say: Callable[[str], None], seed: int = DEFAULT_SEED
) -> Report:
    """The demo: the one-region world through the gateway at ``base_url``, then a publication
    of each assessed year (readers other than the ministry see publications only); its summary
    said."""
    report = await generate(base_url, size=SIZES[DEMO_SIZE], seed=seed, secret=secret)
    for line in report.lines():
        say(f"demo: {line}")
    numbers = await publish(base_url, secret=secret, periods=report.world.calendar.periods)
    say(f"demo: published {len(numbers)} interim publications ({_listed(numbers)})")
    return report


async def publish(base_url: str, *, secret: str, periods: tuple[int, ...]) -> list[int]:
    """Once the quality service has taken in what was loaded, an interim publication of each
    of ``periods`` (the ministry's); their numbers."""
    async with httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT_S) as client:
        api = Api(client, secret=secret, concurrency=1)
        await _settled(api, periods[-1])
        numbers = []
        for period in periods:
            made = await api.send(
                "POST", "/api/v1/quality/publications", json={"period": period, "kind": "interim"}
            )
            if made is not None:
                numbers.append(made.body["number"])
    return numbers


async def _settled(api: Api, period: int) -> None:
    """Wait until the national live figure of ``period`` stops moving (or the wait runs out)."""
    deadline = time.monotonic() + SCORED_WAIT_S
    seen, since = None, time.monotonic()
    while time.monotonic() < deadline:
        answer = await api.send("GET", f"/api/v1/quality/national/UZ?period={period}&view=live")
        n = answer.body["indicators"]["employer_satisfaction"]["n"] if answer else None
        if n != seen:
            seen, since = n, time.monotonic()
        elif n and time.monotonic() - since >= SETTLED_S:
            return
        await asyncio.sleep(0.5)


def _listed(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers)) or "none"


async def _framework(api: Api) -> tuple[str, list[str]]:
    """The competency framework assessments are given in: its id and competency codes."""
    deadline = time.monotonic() + FRAMEWORK_WAIT_S
    while True:
        answer = await api.send("GET", "/api/v1/frameworks?limit=1")
        if answer is None:
            detail = "; ".join(api.tally.examples[-1:])
            raise GenerationError(f"cannot read the competency frameworks: {detail}")
        if items := answer.body["items"]:
            codes = [c["code"] for domain in items[0]["domains"] for c in domain["competencies"]]
            return items[0]["id"], codes
        if time.monotonic() > deadline:
            raise GenerationError("the assessment service has published no competency framework")
        await asyncio.sleep(0.5)


def _totals(world: World) -> dict[str, int]:
    declared = world.size.declared()
    return {
        "organizations": declared["organizations"],
        "programs": declared["programs"],
        "clusters": declared["clusters"],
        "graduates": declared["graduates"],
        "employments": world.expected_employments(),
        "requirements": sum(len(world.requirements(r.code)) for r in world.regions),
        "assessments": declared["assessments"],
    }
