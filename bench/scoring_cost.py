"""Scoring cost per event, small against large stored data: the country-scale issue's benchmark 4.

``python -m bench.scoring_cost [--small 10000] [--large 1000000] ...`` builds two quality
databases (SQLite in a temporary directory, through the service's own migrations) with the same
institutions, programs and clusters (the whole country's by default) and ``--small`` and
``--large`` stored assessments (a year's worth, and some 16 years' of a country's 60,000 a
year), written straight into their cells. In each it first makes one window (which builds the
live figures of the year and its pool: a whole-period computation, timed apart), then applies
``--events`` new assessments the way the quality service does — the consumer counting a batch
of them into their cells in one transaction, then the scoring window moving the live figures,
storing and announcing what changed, and ranking the groups touched — and reports the cost per
event. Goal (issue): the large database's cost per event at most 1.2 times the small one's. The
suite runs it at a tiny size only; times are printed, never asserted.
"""

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from quality.adapters.tables import cells, q_clusters, q_memberships, q_organizations, q_programs
from quality.domain.cells import ScopeTally
from quality.domain.model import COUNTRY
from quality.service_layer import aggregation
from quality.service_layer.live_board import LiveBoards
from quality.service_layer.methodology import ensure_default
from quality.service_layer.publisher import publish_changes
from quality.service_layer.unit_of_work import SqlQualityUnitOfWork, quality_uow
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.country import in_process_main
from bench.gateway_overhead import machine
from bench.publication import FIELDS, REGIONS, _state, peak_rss_mib
from shared.contracts.catalogue import assessment as ev
from shared.platform.db.engine import create_engine, session_factory
from shared.platform.db.migrations import upgrade

YEAR = 2026


async def build(
    engine: AsyncEngine, args: argparse.Namespace, assessments: int, years: int
) -> list[str]:
    """Institutions in 14 regions with their programs and clusters, and ``assessments`` spread
    over the cells of the ``years`` ending with the current one; the program ids."""
    rng = random.Random(args.seed)
    organizations, programs, clusters, memberships, cell_rows = [], [], [], [], []
    per_cell = assessments / (args.institutions * args.programs * years)
    for n in range(args.institutions):
        org = f"i{n:05d}"
        organizations.append(
            {
                "id": org,
                "name": org,
                "kind": "education",
                "region_code": REGIONS[n % len(REGIONS)],
                "active": True,
            }
        )
        for p in range(args.programs):
            program = f"{org}-p{p}"
            programs.append(
                {
                    "id": program,
                    "name": program,
                    "institution_id": org,
                    "field_code": FIELDS[p % len(FIELDS)],
                    "level": "6" if n % 5 == 0 else "4",
                    "active": True,
                }
            )
            quality = rng.uniform(2.8, 4.4)
            for year in range(YEAR - years + 1, YEAR + 1):
                count = round(per_cell * rng.uniform(0.5, 1.5))
                states = (
                    _state(rng, i=i, program=program, year=year, quality=quality)
                    for i in range(count)
                )
                cell_rows.append(
                    {
                        "program_id": program,
                        "period": year,
                        "tally": ScopeTally.from_states(states).to_json(),
                    }
                )
    for number, region in enumerate(REGIONS):
        cluster = f"k{number:02d}"
        clusters.append({"id": cluster, "name": cluster, "region_code": region, "status": "active"})
        in_region = [o["id"] for o in organizations if o["region_code"] == region]
        memberships += [
            {
                "cluster_id": cluster,
                "organization_id": org,
                "joined_on": date(YEAR - 5, 1, 1),
                "left_on": None,
            }
            for org in rng.sample(in_region, min(len(in_region), 6))
        ]
    async with engine.begin() as conn:
        for table, rows in (
            (q_organizations, organizations),
            (q_programs, programs),
            (q_clusters, clusters),
            (q_memberships, memberships),
            (cells, cell_rows),
        ):
            for start in range(0, len(rows), 2000):
                await conn.execute(table.insert(), rows[start : start + 2000])
    return [p["id"] for p in programs]


def _event(rng: random.Random, number: int, program: str) -> ev.AssessmentSubmitted:
    state = _state(rng, i=number, program=program, year=YEAR, quality=3.6)
    return ev.AssessmentSubmitted(
        **{
            **state,
            "assessment_id": f"new-{number}",
            "graduate_id": f"{program}-new-g{number}",
        },
        revision=1,
        program_id=program,
        institution_id=program.split("-")[0],
        field_code="0613",
        level="6",
        graduation_year=YEAR - 1,
        period=YEAR,
        framework_id="f1",
        framework_version=1,
    )


async def measure(
    args: argparse.Namespace, assessments: int, years: int, say: Callable[[str], None]
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="educluster-bench-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'quality.db'}"
        await upgrade("quality", url)
        engine = create_engine(url)
        sessions = session_factory(engine)

        def uow() -> Any:
            return quality_uow(SqlQualityUnitOfWork(sessions, service="quality"))

        try:
            await ensure_default(uow)
            programs = await build(engine, args, assessments, years)
            say(f"{assessments:,} stored assessments, {len(programs):,} programs, {years} years")
            boards = LiveBoards(rank_every_s=args.rank_every)
            today = date(YEAR, 6, 1)
            async with uow() as work:
                await work.marks.mark(program_id=programs[0], period=YEAR)
                await work.commit()
            started = time.perf_counter()
            await publish_changes(uow, today=today, boards=boards)
            build_s = time.perf_counter() - started
            before = _national_n(boards)
            rng = random.Random(args.seed + 1)
            started = time.perf_counter()
            for first in range(0, args.events, args.batch):
                async with uow() as work:
                    for number in range(first, min(first + args.batch, args.events)):
                        event = _event(rng, number, rng.choice(programs))
                        await aggregation.apply_assessment(work, event)
                    await work.commit()
                await publish_changes(uow, today=today, boards=boards)
            per_event_ms = 1000 * (time.perf_counter() - started) / args.events
            counted = _national_n(boards) - before
        finally:
            await engine.dispose()
    say(f"first window {build_s:.2f} s, then {per_event_ms:.2f} ms per event")
    return {
        "stored_assessments": assessments,
        "years": years,
        "programs": len(programs),
        "first_window_s": round(build_s, 2),
        "per_event_ms": round(per_event_ms, 3),
        "events_counted": counted,  # by the live national figure of the year
    }


def _national_n(boards: LiveBoards) -> int:
    board = boards.board(YEAR, False)
    return 0 if board is None else board.inputs[("national", COUNTRY)].summary.n


async def run(args: argparse.Namespace) -> dict[str, Any]:
    def say(line: str) -> None:
        print(f"bench.scoring_cost: {line}", file=sys.stderr, flush=True)

    small = await measure(args, args.small, args.small_years, say)
    large = await measure(args, args.large, args.large_years, say)
    ratio = large["per_event_ms"] / small["per_event_ms"]
    return {
        "machine": machine(),
        "institutions": args.institutions,
        "events": args.events,
        "batch": args.batch,
        "rank_every_s": args.rank_every,
        "small": small,
        "large": large,
        "ratio": round(ratio, 3),
        "goal_met": ratio <= 1.2,
        "goal": "cost per event with the large data <= 1.2 x with the small",
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--institutions", type=int, default=1070)
    parser.add_argument("--programs", type=int, default=5, help="per institution")
    parser.add_argument("--small", type=int, default=10_000, help="stored assessments")
    parser.add_argument("--large", type=int, default=1_000_000, help="stored assessments")
    # A country stores about 60,000 assessments a year: a million is some 16 years of them.
    parser.add_argument("--small-years", type=int, default=1, help="years the small spans")
    parser.add_argument("--large-years", type=int, default=16, help="years the large spans")
    parser.add_argument("--events", type=int, default=400, help="new assessments measured")
    parser.add_argument("--batch", type=int, default=20, help="events per window")
    parser.add_argument(
        "--rank-every", type=float, default=0.0, help="EDUCLUSTER_QUALITY_RANK_EVERY_S"
    )
    parser.add_argument("--seed", type=int, default=11)
    return in_process_main(parser, run, argv)


if __name__ == "__main__":
    main()
