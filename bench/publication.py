"""One audited publication at scale: the publication issue's performance goal.

``python -m bench.publication [--institutions N] [--years Y] ...`` builds a quality database
(SQLite in a temporary directory, through the service's own migrations) holding what the
service would hold after taking in a country's history: organizations in 14 regions with
their programs, one released cell per program and year with every year's assessments waiting
to be released (so the publication releases them all, as the first publication after an
upgrade does), and clusters. Graduates and employments are left out: they move coverage and
outcomes, not the cost of releasing, scoring, suppressing and auditing. It then times one
interim round — one publication of every year, as the first round after an upgrade makes
(compute the year and its pool for every scope, secondary suppression, the disclosure audit
against the earlier publications with its complements, comparisons, storage) — with the peak
RSS of the process. Goal (issue): ≤ 5 minutes and ≤ 500 MiB for the whole country (about 1,070
institutions, 60,000 assessments a year, five years). The suite runs it at a tiny size only.
"""

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from quality.adapters.tables import (
    cells,
    q_clusters,
    q_memberships,
    q_organizations,
    q_programs,
    unreleased_changes,
)
from quality.domain.cells import ScopeTally
from quality.service_layer.methodology import ensure_default
from quality.service_layer.publications import publish_interim
from quality.service_layer.unit_of_work import SqlQualityUnitOfWork, quality_uow
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.country import in_process_main
from bench.gateway_overhead import machine
from shared.platform.db.engine import create_engine, session_factory
from shared.platform.db.migrations import upgrade

REGIONS = [
    f"UZ-{c}"
    for c in ("AN", "BU", "FA", "JI", "NG", "NW", "QA", "QR", "SA", "SI", "SU", "TK", "TO", "XO")
]
FIELDS = ("0613", "0413", "0714", "0912", "0111", "0732", "0311", "0421")
COMPETENCIES = ("F1", "F2", "T1", "T2", "D1")


def _state(rng: random.Random, *, i: int, program: str, year: int, quality: float) -> dict:
    employer = f"e{rng.randrange(400)}"
    rating = max(1, min(5, round(rng.gauss(quality, 0.9))))
    return {
        "assessment_id": f"{program}-{year}-{i}",
        "employer_id": employer,
        "graduate_id": f"{program}-{year}-g{i}",
        "overall_satisfaction": rating,
        "preparedness": max(1, min(5, rating + rng.choice((-1, 0, 0, 1)))),
        "would_hire_again": rating >= 4,
        "ratings": {c: max(1, min(5, rating + rng.choice((-1, 0, 1)))) for c in COMPETENCIES},
    }


async def build(engine: AsyncEngine, args: argparse.Namespace, say: Any) -> dict[str, int]:
    """The database a country's history leaves behind, written in bulk."""
    rng = random.Random(args.seed)
    organizations, programs, memberships, clusters_rows, cell_rows, waiting = [], [], [], [], [], []
    assessments = 0
    per_program_year = args.assessments / (args.institutions * args.programs)
    for n in range(args.institutions):
        org = f"i{n:05d}"
        region = REGIONS[n % len(REGIONS)]
        organizations.append(
            {"id": org, "name": org, "kind": "education", "region_code": region, "active": True}
        )
        for p in range(args.programs):
            program = f"{org}-p{p}"
            quality = rng.uniform(2.8, 4.4)
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
            for year in range(args.year - args.years + 1, args.year + 1):
                count = max(0, round(rng.expovariate(1 / per_program_year)))
                states = [
                    _state(rng, i=i, program=program, year=year, quality=quality)
                    for i in range(count)
                ]
                if not states:
                    continue
                assessments += count
                cell_rows.append(
                    {
                        "program_id": program,
                        "period": year,
                        "tally": ScopeTally.from_states(states).to_json(),
                    }
                )
                waiting += [
                    {
                        "program_id": program,
                        "period": year,
                        "assessment_id": s["assessment_id"],
                        "employer_id": s["employer_id"],
                    }
                    for s in states
                ]
    for region_number, region in enumerate(REGIONS):
        in_region = [o["id"] for o in organizations if o["region_code"] == region]
        for k in range(args.clusters_per_region):
            cluster = f"k{region_number:02d}{k}"
            clusters_rows.append(
                {"id": cluster, "name": cluster, "region_code": region, "status": "active"}
            )
            for org in rng.sample(in_region, min(len(in_region), 6)):
                memberships.append(
                    {
                        "cluster_id": cluster,
                        "organization_id": org,
                        "joined_on": _date(args.year - args.years),
                        "left_on": None,
                    }
                )
    say(
        f"built {len(organizations)} institutions, {len(programs)} programs, "
        f"{assessments} assessments in {len(cell_rows)} cells; writing"
    )
    async with engine.begin() as conn:
        for table, rows in (
            (q_organizations, organizations),
            (q_programs, programs),
            (q_clusters, clusters_rows),
            (q_memberships, memberships),
            (cells, cell_rows),
            (unreleased_changes, waiting),
        ):
            for start in range(0, len(rows), 5000):
                await conn.execute(table.insert(), rows[start : start + 5000])
    return {
        "institutions": len(organizations),
        "programs": len(programs),
        "assessments": assessments,
        "cells": len(cell_rows),
    }


def _date(year: int) -> Any:
    from datetime import date

    return date(year, 1, 1)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run(args: argparse.Namespace) -> dict[str, Any]:
    def say(line: str) -> None:
        print(f"bench.publication: {line}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="educluster-bench-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'quality.db'}"
        await upgrade("quality", url)
        engine = create_engine(url)
        sessions = session_factory(engine)

        def uow() -> Any:
            return quality_uow(SqlQualityUnitOfWork(sessions, service="quality"))

        try:
            await ensure_default(uow)
            sizes = await build(engine, args, say)
            rss_before = peak_rss_mib()
            say("one interim round: a publication of every year (each with its audit)")
            started = time.perf_counter()
            numbers = await publish_interim(uow) or []
            seconds = time.perf_counter() - started
            async with uow() as work:
                made = [await work.publications.get(n) for n in numbers]
        finally:
            await engine.dispose()
    figures = {
        "machine": machine(),
        **sizes,
        "years": args.years,
        "publications": len(made),
        "round_s": round(seconds, 2),
        "figures": sum(p.summary["figures"] for p in made if p),
        "released_cells": sum(p.summary["released_cells"] for p in made if p),
        "held_back_cells": sum(p.summary["held_back_cells"] for p in made if p),
        "audited_figures": sum(p.summary["audit"]["audited_figures"] for p in made if p),
        "complements": sum(p.summary["audit"]["complements"] for p in made if p),
        "unprotected": sum(p.summary["audit"]["unprotected"] for p in made if p),
        "peak_rss_mib": round(peak_rss_mib(), 1),
        "peak_rss_before_publication_mib": round(rss_before, 1),
        "goal": "whole country (about 1,070 institutions, 60,000 assessments a year, 5 years): "
        "<= 300 s and <= 500 MiB",
    }
    return figures


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--institutions", type=int, default=60)
    parser.add_argument("--programs", type=int, default=5, help="per institution")
    parser.add_argument("--assessments", type=int, default=3000, help="a year")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--clusters-per-region", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    return in_process_main(parser, run, argv)


if __name__ == "__main__":
    main()
