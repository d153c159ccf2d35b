"""Graduates, their employments and their employers' assessments, drawn from latent traits.

The model (docs/generator.md): a program has a latent quality q (about N(0, 1): its
institution's effect plus its own, drifting by a small trend a year); a graduate has an
ability a (N(0, 0.5)); an employer a leniency l (N(0, 0.35)). A graduate is employed with a
probability rising with q and a, mostly by employers of the sectors of the field. An employer's
rating of a competency is round(3.6 + 0.55 q + a + l + d_k + e), held to 1..5, where d_k is
the competency's difficulty and e the rater's noise (N(0, 0.6)), drawn afresh for every
rating; a few ratings are left null ("not observed").
"""

import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from shared.contracts import reference
from shared.devtools.generator import catalogue
from shared.devtools.generator.records import (
    Assessment,
    Calendar,
    Employment,
    Graduate,
    Organization,
    Program,
)
from shared.devtools.generator.seeds import logit, rating, sigmoid, stream

EMPLOYED = 0.68  # share of a cohort employed, at average quality and ability
IN_FIELD = 0.70  # share of the employed who look for a job in their field, at average quality
START_DELAY_DAYS = 120  # mean days from 1 July of the graduation year to the first job
BASE_RATING = 3.6
QUALITY_WEIGHT = 0.55
ABILITY_SD = 0.5
NOISE_SD = 0.6
NOT_OBSERVED = 0.04  # share of competency ratings left null


def quality_in(program: Program, year: int, *, calendar: Calendar) -> float:
    """The program's latent quality in ``year`` (its trend applied from the middle year)."""
    return program.quality + program.trend * (year - calendar.middle)


def employment_chance(quality: float, ability: float = 0.0) -> float:
    """How likely a graduate has found a job: more so from a better program, and abler."""
    return sigmoid(logit(EMPLOYED) + 0.4 * quality + 0.3 * ability)


class Hiring:
    """Who takes on a region's graduates: employers in proportion to their size; for a job in
    the graduate's field, those of the field's sectors."""

    def __init__(self, employers: Sequence[Organization]) -> None:
        self.everyone = list(employers)
        self.everyone_weights = list(accumulate(e.hiring for e in self.everyone))
        self.by_field: dict[str, tuple[list[Organization], list[float]]] = {}
        for broad, sectors in catalogue.FIELD_SECTORS.items():
            near = [e for e in self.everyone if e.subtype in sectors]
            if near:
                self.by_field[broad] = (near, list(accumulate(e.hiring for e in near)))

    def pick(self, rng: random.Random, broad: str | None) -> tuple[Organization, bool]:
        """An employer, and whether the job is in the field (``broad`` None: any job)."""
        if broad is not None and broad in self.by_field:
            near, weights = self.by_field[broad]
            return rng.choices(near, cum_weights=weights)[0], True
        return rng.choices(self.everyone, cum_weights=self.everyone_weights)[0], False


def cohort(
    program: Program,
    institution: Organization,
    year: int,
    *,
    seed: int,
    hiring: Hiring,
    calendar: Calendar,
) -> list[Graduate]:
    """The program's graduates of ``year``, each with the job they had taken by the end of
    last year, if any."""
    rng = stream(seed, "cohort", program.key, year)
    size = program.cohorts[calendar.cohort_years.index(year)]
    quality = quality_in(program, year, calendar=calendar)
    graduates = []
    for n in range(1, size + 1):
        female = rng.random() < 0.5
        surname = rng.choice(catalogue.SURNAMES) + ("a" if female else "")
        full_name = f"{rng.choice(catalogue.GIVEN_NAMES[female])} {surname}"
        ability = rng.gauss(0.0, ABILITY_SD)
        employment = None
        if rng.random() < employment_chance(quality, ability):
            employment = _job(rng, program, institution, year, quality=quality, hiring=hiring)
            if employment.start_date > calendar.as_of:
                employment = None
        graduates.append(
            Graduate(
                institution_key=institution.key,
                program_key=program.key,
                student_ref=f"{program.code}-{year}-{n:04d}",
                full_name=full_name,
                graduation_year=year,
                ability=ability,
                employment=employment,
            )
        )
    return graduates


def _job(
    rng: random.Random,
    program: Program,
    institution: Organization,
    year: int,
    *,
    quality: float,
    hiring: Hiring,
) -> Employment:
    """A first job: it starts after the summer's graduation, in the field more often the
    better the program, with an employer of the field's sectors when it is in the field."""
    start = date(year, 7, 1) + timedelta(days=int(rng.expovariate(1 / START_DELAY_DAYS)))
    broad = program.field_code[:2]
    seeks_field = rng.random() < sigmoid(logit(IN_FIELD) + 0.3 * quality)
    employer, in_field = hiring.pick(rng, broad if seeks_field else None)
    if in_field:
        isco = catalogue.FIELD_OCCUPATIONS[broad][institution.subtype != "university"]
    else:
        isco = rng.choice(catalogue.OTHER_OCCUPATIONS)
    return Employment(
        employer_key=employer.key,
        start_date=start,
        isco_code=isco,
        position=reference.isco08_unit_groups()[isco],
        in_field=in_field,
    )


@dataclass(frozen=True, slots=True)
class _Employed:
    graduate_key: str
    program_key: str
    employer_key: str
    start_year: int
    ability: float


def assessments(
    graduates: Iterable[Graduate],
    *,
    region_code: str,
    quota: int,
    seed: int,
    calendar: Calendar,
    employers: Mapping[str, Organization],
    programs: Mapping[str, Program],
    difficulty: Mapping[str, float],
) -> Iterator[Assessment]:
    """``quota`` assessments a period (fewer only if fewer graduates are employed by then),
    of graduates drawn from those employed in the period, by their employers; period by
    period, each period's by employer."""
    pool = [
        _Employed(
            graduate_key=g.key,
            program_key=g.program_key,
            employer_key=g.employment.employer_key,
            start_year=g.employment.start_date.year,
            ability=g.ability,
        )
        for g in graduates
        if g.employment is not None
    ]
    for period in calendar.periods:
        rng = stream(seed, "assessments", region_code, period)
        eligible = [e for e in pool if e.start_year <= period]
        chosen = rng.sample(eligible, min(quota, len(eligible)))
        chosen.sort(key=lambda e: (e.employer_key, e.graduate_key))
        for employed in chosen:
            program = programs[employed.program_key]
            merit = (
                BASE_RATING
                + QUALITY_WEIGHT * quality_in(program, period, calendar=calendar)
                + employed.ability
                + employers[employed.employer_key].leniency
            )
            yield _assessment(rng, employed, period=period, merit=merit, difficulty=difficulty)


def _assessment(
    rng: random.Random,
    employed: _Employed,
    *,
    period: int,
    merit: float,
    difficulty: Mapping[str, float],
) -> Assessment:
    def rate(offset: float) -> int:
        return rating(merit + offset + rng.gauss(0.0, NOISE_SD))

    ratings = {
        code: None if rng.random() < NOT_OBSERVED else rate(shift)
        for code, shift in difficulty.items()
    }
    return Assessment(
        employer_key=employed.employer_key,
        graduate_key=employed.graduate_key,
        program_key=employed.program_key,
        period=period,
        ratings=ratings,
        overall_satisfaction=rate(0.0),
        preparedness=rate(-0.2),
        would_hire_again=rng.random() < sigmoid(1.5 * (merit - 3.0)),
    )
