"""Synthetic assessments for the integrity checks: one row at a time with a planted pattern, or
a clean period drawn with a seeded random generator."""

import itertools
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from shared.contracts.integrity import Assessed, Provenance

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CODES = tuple(f"domain.competency_{i}" for i in range(10))
_graduates = itertools.count(1)
VARIED: dict[str, int | None] = dict(zip(CODES, (4, 3, 5, 4, None, 2, 4, 3, 5, 4), strict=True))


def row(
    employer: str = "emp-1",
    program: str = "prog-1",
    *,
    institution: str = "inst-1",
    graduate: str | None = None,
    ratings: dict[str, int | None] | None = None,
    overall: int = 4,
    at: datetime = T0,
    provenance: Provenance = "independent",
) -> Assessed:
    return Assessed(
        employer_id=employer,
        graduate_id=graduate or f"grad-{next(_graduates)}",
        program_id=program,
        institution_id=institution,
        ratings=VARIED if ratings is None else ratings,
        overall_satisfaction=overall,
        submitted_at=at,
        provenance=provenance,
    )


def same(value: int, count: int = 5) -> dict[str, int | None]:
    """``count`` competencies all rated ``value`` (the rest not observed)."""
    return {code: (value if i < count else None) for i, code in enumerate(CODES)}


def many(count: int, **fields) -> list[Assessed]:
    """``count`` rows alike but for their graduates, a day apart."""
    return [row(at=T0 + timedelta(days=i), **fields) for i in range(count)]


def rating(rng: random.Random, mean: float, sd: float) -> int:
    """A whole rating on the 1..5 scale around ``mean``."""
    return min(5, max(1, round(rng.gauss(mean, sd))))


def clean_period(
    rng: random.Random,
    *,
    employers: int = 20,
    programs: int = 8,
    institutions: int = 4,
    each: tuple[int, int] = (20, 40),
    leniency: dict[str, float] | None = None,
    noise: float = 0.8,
    centre: float = 3.4,
) -> list[Assessed]:
    """A year of honest assessments: employers assess graduates of programs chosen at random
    (``programs`` spread over ``institutions``), rating each competency around the program's
    level (plus the employer's ``leniency``, 0 unless given) with independent noise, at times
    spread over the year, under employments the graduate confirmed about half the time."""
    quality = {f"prog-{p}": rng.uniform(-0.3, 0.3) for p in range(programs)}
    rows = []
    for e in range(employers):
        employer = f"emp-{e}"
        bias = (leniency or {}).get(employer, 0.0)
        for _ in range(rng.randint(*each)):
            program = rng.choice(sorted(quality))
            level = centre + quality[program] + bias
            ratings = {
                code: None if rng.random() < 0.15 else rating(rng, level, noise) for code in CODES
            }
            rows.append(
                row(
                    employer,
                    program,
                    institution=f"inst-{int(program.split('-')[1]) % institutions}",
                    ratings=ratings,
                    overall=rating(rng, level, noise),
                    at=T0 + timedelta(minutes=rng.uniform(0, 300 * 24 * 60)),
                    provenance=rng.choice(("self", "independent")),
                )
            )
    return rows


def moved(rows: list[Assessed], **changes) -> list[Assessed]:
    return [replace(r, **changes) for r in rows]
