"""Rebuild from the event history: the country-scale issue's benchmark 6 (≥ 20,000 events/s).

``python -m bench.rebuild [--assessments 50000] [--programs 500] [--shape country]`` makes a
history the way the topics hold it — the registry's organizations and programs, then for each
assessment its graduate's registration, about one employment and the assessment's submission
(a tenth of the employments change state later, a tenth of the assessments are revised) as
CloudEvents in Kafka records; ``--shape assessments``: without the graduates and employments
(the benchmark's first shape), ``--shape registry``: without the assessments — and replays it
through the quality service's own rebuild (`educluster quality rebuild`'s replay: every event
through the live consumer's handlers and inbox rule, 5,000 per transaction, assessment,
graduate and employment events on rows staged in memory and written a batch at a time;
``--one-by-one``: every event through the SQL repositories, as before the batching) into a
fresh SQLite database, reporting events per second and the peak RSS. Reading the topics is left
out: the broker alone serves ~195,000 records/s on this machine (../shared/handbook/PERF.md),
far above the goal, so the replay is what the benchmark measures. The suite runs it at a tiny
size; times are printed, never asserted.
"""

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from aiokafka.structs import ConsumerRecord
from quality.adapters.tables import assessment_states
from quality.entrypoints.consumers import CONSUMERS
from quality.service_layer.replay import replay, replay_one_by_one
from quality.service_layer.unit_of_work import SqlQualityUnitOfWork
from sqlalchemy import func, select

from bench.country import in_process_main
from bench.gateway_overhead import machine
from bench.publication import FIELDS, REGIONS, peak_rss_mib
from shared.contracts.catalogue import assessment as ev
from shared.contracts.catalogue import registry
from shared.platform.db.engine import create_engine, session_factory
from shared.platform.db.migrations import upgrade
from shared.platform.messaging.envelope import decode, encode, new_event
from shared.platform.messaging.payloads import EventPayload
from shared.platform.names import ASSESSMENT_TOPIC, REGISTRY_TOPIC

YEAR = 2026


def history(args: argparse.Namespace) -> list[ConsumerRecord[bytes, bytes]]:
    """The records of a country's history, in the order the rebuild reads them."""
    rng = random.Random(args.seed)
    payloads: list[tuple[str, str, EventPayload]] = []
    institutions = max(1, args.programs // 5)
    for n in range(institutions):
        payloads.append(
            (
                REGISTRY_TOPIC,
                "registry",
                registry.OrganizationRegistered(
                    organization_id=f"i{n}",
                    kind="education",
                    subtype="university",
                    name=f"Institute {n}",
                    region_code=REGIONS[n % len(REGIONS)],
                    tax_id=f"{100000000 + n}",
                    active=True,
                ),
            )
        )
    programs = [f"p{p}" for p in range(args.programs)]
    for p, program in enumerate(programs):
        payloads.append(
            (
                REGISTRY_TOPIC,
                "registry",
                registry.ProgramRegistered(
                    program_id=program,
                    institution_id=f"i{p % institutions}",
                    code=program.upper(),
                    name=program,
                    field_code=FIELDS[p % len(FIELDS)],
                    level="6",
                    language="uz",
                    active=True,
                ),
            )
        )
    submitted = []
    employments: list[registry.EmploymentRecorded] = []
    for i in range(args.assessments):
        program = rng.choice(programs)
        rating = rng.randint(1, 5)
        institution_id = f"i{int(program[1:]) % institutions}"
        if args.shape != "assessments":
            facts = _graduate_facts(rng, i, program=program, institution_id=institution_id)
            payloads.extend((REGISTRY_TOPIC, "registry", fact) for fact in facts)
            employments.extend(f for f in facts if isinstance(f, registry.EmploymentRecorded))
        if args.shape == "registry":
            continue
        state: dict[str, Any] = {
            "assessment_id": f"a{i}",
            "revision": 1,
            "employer_id": f"e{rng.randrange(2000)}",
            "graduate_id": f"{program}-g{i}",
            "program_id": program,
            "institution_id": institution_id,
            "field_code": "0613",
            "level": "6",
            "graduation_year": YEAR - 1,
            "period": YEAR - rng.randrange(3),
            "framework_id": "f1",
            "framework_version": 1,
            "ratings": {"F1": rating, "T1": rng.choice((None, rating))},
            "overall_satisfaction": rating,
            "preparedness": rng.randint(1, 5),
            "would_hire_again": rating >= 3,
        }
        payloads.append((ASSESSMENT_TOPIC, "assessment", ev.AssessmentSubmitted(**state)))
        submitted.append(state)
    for state in rng.sample(submitted, len(submitted) // 10):
        revised = {**state, "revision": 2, "overall_satisfaction": rng.randint(1, 5)}
        payloads.append((ASSESSMENT_TOPIC, "assessment", ev.AssessmentRevised(**revised)))
    for recorded in rng.sample(employments, len(employments) // 10):
        confirmed = registry.EmploymentStateChanged(
            **{**recorded.model_dump(), "state": "confirmed"},
            previous_state="claimed",
            changed_by="institution",
        )
        payloads.append((REGISTRY_TOPIC, "registry", confirmed))
    return [
        ConsumerRecord(
            topic,
            0,
            offset,
            offset,  # timestamps in history order
            0,
            payload.partition_key().encode(),
            encode(new_event(payload, service=service, subject=payload.subject())),
            None,
            0,
            0,
            [],
        )
        for offset, (topic, service, payload) in enumerate(payloads)
    ]


def _graduate_facts(
    rng: random.Random, i: int, *, program: str, institution_id: str
) -> list[EventPayload]:
    """The i-th graduate's registration and (nine times in ten, sometimes two) employments."""
    graduate_id = f"{program}-g{i}"
    facts: list[EventPayload] = [
        registry.GraduateRegistered(
            graduate_id=graduate_id,
            institution_id=institution_id,
            program_id=program,
            graduation_year=YEAR - 1,
            active=True,
        )
    ]
    jobs = rng.choices((0, 1, 2), weights=(1, 8, 1))[0]  # about one each
    for j in range(jobs):
        facts.append(
            registry.EmploymentRecorded(
                employment_id=f"j{i}-{j}",
                graduate_id=graduate_id,
                institution_id=institution_id,
                program_id=program,
                employer_id=f"e{rng.randrange(2000)}",
                start_date=date(YEAR - 1, rng.randint(7, 12), 1),
                end_date=None,
                isco_code="2512",
                in_field=rng.random() < 0.6,
            )
        )
    return facts


async def run(args: argparse.Namespace) -> dict[str, Any]:
    def say(line: str) -> None:
        print(f"bench.rebuild: {line}", file=sys.stderr, flush=True)

    records = history(args)
    kinds = Counter(decode(r.value).type.split(".", 2)[2] for r in records)
    say(f"{len(records):,} records: {dict(kinds)}")
    with tempfile.TemporaryDirectory(prefix="educluster-bench-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'quality.db'}"
        await upgrade("quality", url)
        engine = create_engine(url)
        try:
            uow_factory = partial(SqlQualityUnitOfWork, session_factory(engine), service="quality")
            started = time.perf_counter()
            how = replay_one_by_one if args.one_by_one else replay
            result = await how(
                uow_factory, records, consumers=CONSUMERS, progress=say, batch_size=args.batch
            )
            seconds = time.perf_counter() - started
            async with engine.connect() as conn:
                counted = await conn.scalar(select(func.count()).select_from(assessment_states))
        finally:
            await engine.dispose()
    rate = len(records) / seconds
    say(f"{rate:,.0f} events/s")
    return {
        "machine": machine(),
        "records": len(records),
        "assessments": args.assessments,
        "programs": args.programs,
        "shape": args.shape,
        "events_by_kind": dict(kinds),
        "batch": args.batch,
        "replay": "one by one" if args.one_by_one else "batched",
        "seconds": round(seconds, 2),
        "events_per_s": round(rate, 1),
        "events_applied": result.events_applied,
        "events_failed": result.events_failed,
        "batches_one_by_one": result.batches_one_by_one,
        "assessments_counted": counted,
        "goal": ">= 20,000 events/s (a national ten-million-event history in under ten minutes)",
        "goal_met": rate >= 20_000,
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--assessments", type=int, default=50_000)
    parser.add_argument("--programs", type=int, default=500)
    parser.add_argument("--batch", type=int, default=5000, help="events per transaction")
    parser.add_argument(
        "--one-by-one", action="store_true", help="the replay before batching, for comparison"
    )
    parser.add_argument(
        "--shape",
        choices=("country", "assessments", "registry"),
        default="country",
        help="assessments: no graduates or employments; registry: no assessments",
    )
    parser.add_argument("--seed", type=int, default=13)
    return in_process_main(parser, run, argv)


if __name__ == "__main__":
    main()
