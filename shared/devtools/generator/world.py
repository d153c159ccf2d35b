"""A seeded, reproducible synthetic country (pure: no I/O).

``World(size, seed=..., year=..., competencies=...)`` holds the small part whole: regions,
institutions, employers, research institutes, private partners, programs, clusters and
requirements. Graduates (with their jobs) and assessments, the large part, are drawn when
asked for, per institution or region, cohort by cohort and period by period, so a country-sized
world is never in memory at once. The same size, seed, year and competencies give the same
world, however it is walked.
"""

import hashlib
from collections.abc import Iterator, Sequence
from functools import cached_property

from shared.contracts import reference
from shared.contracts.reference import Region
from shared.devtools.generator import people, structure
from shared.devtools.generator.people import Hiring
from shared.devtools.generator.records import (
    Assessment,
    Calendar,
    Cluster,
    Graduate,
    Organization,
    Program,
    Requirement,
)
from shared.devtools.generator.seeds import stream
from shared.devtools.generator.sizes import (
    PER_REGION_MINIMUM,
    SIZES,
    WorldSize,
    apportion,
    size_named,
)

__all__ = ["SIZES", "World", "WorldSize", "size_named"]

# WorldSize's counts and the kinds they count, as a region's plan names them.
_KINDS = {
    "universities": "university",
    "colleges": "college",
    "technikums": "technikum",
    "employers": "employer",
    "research_institutes": "research",
    "private_partners": "private",
}
# The capital has more of some kinds than an average region.
CAPITAL = "UZ-TK"
_CAPITAL_WEIGHT = {"university": 4.0, "employer": 2.5, "research": 3.0, "private": 2.0}
_MINIMUM = {_KINDS[count]: least for count, least in PER_REGION_MINIMUM.items()}


class World:
    """The world of ``size`` and ``seed`` in ``year`` (its current year), its employers
    rating the ``competencies`` of the current framework. Its tag (size name and seed) names
    it in the loader's Idempotency-Keys and picks its tax-id prefix."""

    def __init__(
        self, size: WorldSize, *, seed: int, year: int, competencies: Sequence[str]
    ) -> None:
        if not competencies:
            raise ValueError("a world needs the competencies employers rate")
        self.size, self.seed = size, seed
        self.calendar = Calendar(year=year, cohorts=size.cohorts)
        self.competencies = tuple(competencies)
        self.tag = f"{size.name}-{seed}"
        by_code = {region.code: region for region in reference.regions()}
        self.regions: tuple[Region, ...] = tuple(by_code[code] for code in size.regions)
        self.difficulty = {c: stream(seed, "competency", c).gauss(0.0, 0.3) for c in competencies}
        self._build()

    # --- the small part, whole ----------------------------------------------------------------

    def _build(self) -> None:
        digest = hashlib.sha256(self.tag.encode()).hexdigest()
        tax_ids = structure.TaxIds(int(digest[:8], 16))
        self._organizations: dict[str, tuple[Organization, ...]] = {}
        drafts: list[structure.ProgramDraft] = []
        plans = self._plans()
        for plan in plans:
            made = structure.organizations(plan, seed=self.seed, tax_ids=tax_ids)
            self._organizations[plan.region.code] = tuple(made)
            for institution in (o for o in made if o.kind == "education"):
                count = getattr(self.size, f"programs_per_{institution.subtype}")
                drafts += structure.program_drafts(institution, count, seed=self.seed)
        self._by_key = {o.key: o for orgs in self._organizations.values() for o in orgs}
        self._size_cohorts(drafts)
        self._clusters: dict[str, tuple[Cluster, ...]] = {}
        self._requirements: dict[str, tuple[Requirement, ...]] = {}
        for plan in plans:
            code = plan.region.code
            fields = {
                o.key: [p.field_code for p in self.programs(o.key)] for o in self.institutions(code)
            }
            clusters = structure.clusters(
                plan, self._organizations[code], fields, seed=self.seed, calendar=self.calendar
            )
            self._clusters[code] = tuple(clusters)
            self._requirements[code] = tuple(
                structure.requirements(
                    self._organizations[code],
                    clusters,
                    fields,
                    seed=self.seed,
                    region_code=code,
                    competencies=self.competencies,
                )
            )

    def _plans(self) -> list[structure.RegionPlan]:
        counts: dict[str, list[int]] = {}
        for field, kind in _KINDS.items():
            weights = [
                _CAPITAL_WEIGHT.get(kind, 1.0) if r.code == CAPITAL else 1.0 for r in self.regions
            ]
            counts[kind] = apportion(getattr(self.size, field), weights, least=_MINIMUM[kind])
        return [
            structure.RegionPlan(
                region=region,
                counts={kind: counts[kind][i] for kind in _KINDS.values()},
                clusters=self.size.clusters_per_region,
            )
            for i, region in enumerate(self.regions)
        ]

    def _size_cohorts(self, drafts: list[structure.ProgramDraft]) -> None:
        """Every cohort year's graduates shared out over all programs of the world (a program's
        cohorts vary a little from year to year); the yearly total is exact."""
        sizes: list[list[int]] = []
        for year in self.calendar.cohort_years:
            rng = stream(self.seed, "graduates", year)
            weights = [d.weight * rng.lognormvariate(0.0, 0.15) for d in drafts]
            sizes.append(apportion(self.size.graduates_per_year, weights))
        self._programs: dict[str, tuple[Program, ...]] = {}
        for i, d in enumerate(drafts):
            program = Program(
                key=d.key,
                institution_key=d.institution_key,
                code=d.code,
                name=d.name,
                level=d.level,
                field_code=d.field_code,
                language=d.language,
                quality=d.quality,
                trend=d.trend,
                cohorts=tuple(year_sizes[i] for year_sizes in sizes),
            )
            self._programs[d.institution_key] = (
                *self._programs.get(d.institution_key, ()),
                program,
            )
        self._program_by_key = {p.key: p for ps in self._programs.values() for p in ps}

    def organizations(self, region_code: str) -> tuple[Organization, ...]:
        return self._organizations[region_code]

    def institutions(self, region_code: str) -> tuple[Organization, ...]:
        return tuple(o for o in self._organizations[region_code] if o.kind == "education")

    def organization(self, key: str) -> Organization:
        return self._by_key[key]

    def programs(self, institution_key: str) -> tuple[Program, ...]:
        return self._programs[institution_key]

    def program(self, key: str) -> Program:
        return self._program_by_key[key]

    def clusters(self, region_code: str) -> tuple[Cluster, ...]:
        return self._clusters[region_code]

    def requirements(self, region_code: str) -> tuple[Requirement, ...]:
        return self._requirements[region_code]

    # --- the large part, drawn when asked for -------------------------------------------------

    def graduates(self, institution_key: str) -> Iterator[Graduate]:
        """The institution's graduates, cohort by cohort, each with their first job if any."""
        institution = self._by_key[institution_key]
        hiring = self._hiring[institution.region_code]
        for year in self.calendar.cohort_years:
            for program in self._programs[institution_key]:
                yield from people.cohort(
                    program,
                    institution,
                    year,
                    seed=self.seed,
                    hiring=hiring,
                    calendar=self.calendar,
                )

    def region_graduates(self, region_code: str) -> Iterator[Graduate]:
        for institution in self.institutions(region_code):
            yield from self.graduates(institution.key)

    def expected_employments(self) -> int:
        """About how many graduates have a job (each is drawn; this is their expectation)."""
        return round(
            sum(
                size * people.employment_chance(people.quality_in(p, year, calendar=self.calendar))
                for p in self._program_by_key.values()
                for year, size in zip(self.calendar.cohort_years, p.cohorts, strict=True)
            )
        )

    def assessment_quota(self, region_code: str) -> int:
        """Assessments a period in the region: the world's, shared by the regions' graduates."""
        return self._quotas[region_code]

    def assessments(self, region_code: str) -> Iterator[Assessment]:
        """The region's assessments, period by period, each period's by employer."""
        return people.assessments(
            self.region_graduates(region_code),
            region_code=region_code,
            quota=self.assessment_quota(region_code),
            seed=self.seed,
            calendar=self.calendar,
            employers=self._by_key,
            programs=self._program_by_key,
            difficulty=self.difficulty,
        )

    @cached_property
    def _hiring(self) -> dict[str, Hiring]:
        return {
            code: Hiring([o for o in orgs if o.kind == "employer"])
            for code, orgs in self._organizations.items()
        }

    @cached_property
    def _quotas(self) -> dict[str, int]:
        graduates = [
            sum(sum(p.cohorts) for i in self.institutions(r.code) for p in self.programs(i.key))
            for r in self.regions
        ]
        quotas = apportion(self.size.assessments_per_year, [g or 1e-9 for g in graduates])
        return {r.code: quota for r, quota in zip(self.regions, quotas, strict=True)}
