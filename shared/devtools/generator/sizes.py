"""How big a generated world is: named presets, a scale factor, and the totals each declares."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from shared.contracts import reference

# The least of each kind one region needs: a university to coordinate its clusters and a
# college beside it (every cluster has an education member besides its coordinator), enough
# employers to rate anyone, and a research institute and a private partner for the clusters.
PER_REGION_MINIMUM = {
    "universities": 1,
    "colleges": 1,
    "technikums": 0,
    "employers": 5,
    "research_institutes": 1,
    "private_partners": 1,
}
# Tax ids are a world's prefix and a 5-digit serial (shared/devtools/generator/structure.py).
MAX_ORGANIZATIONS_OF_A_KIND = 99_999


@dataclass(frozen=True)
class WorldSize:
    """The counts a world is built to, for the whole world (spread over its regions).

    Graduates come in ``cohorts`` yearly cohorts (the years before the current one) and are
    assessed in as many periods (the current year and those before it); the per-year counts
    are exact for every cohort and every period.
    """

    name: str
    regions: tuple[str, ...]  # ISO 3166-2 codes from the reference list
    universities: int
    colleges: int
    technikums: int
    employers: int
    research_institutes: int
    private_partners: int
    clusters_per_region: int
    programs_per_university: int
    programs_per_college: int
    programs_per_technikum: int
    graduates_per_year: int
    assessments_per_year: int
    cohorts: int = 5

    def __post_init__(self) -> None:
        known = {region.code for region in reference.regions()}
        if not self.regions or len(set(self.regions)) != len(self.regions):
            raise ValueError("a world needs one or more distinct regions")
        if unknown := sorted(set(self.regions) - known):
            raise ValueError(f"not regions of the reference list: {', '.join(unknown)}")
        for kind, least in PER_REGION_MINIMUM.items():
            if getattr(self, kind) < least * len(self.regions):
                raise ValueError(f"{kind}: at least {least} a region")
            if getattr(self, kind) > MAX_ORGANIZATIONS_OF_A_KIND:
                raise ValueError(f"{kind}: at most {MAX_ORGANIZATIONS_OF_A_KIND}")
        programs = (self.programs_per_university, self.programs_per_college)
        if min(*programs, self.programs_per_technikum, self.clusters_per_region, self.cohorts) < 1:
            raise ValueError("a world needs programs at each institution, clusters and cohorts")
        # Assessments are drawn from the employed graduates, about two thirds of a cohort.
        if not 0 < self.assessments_per_year <= self.graduates_per_year // 2:
            raise ValueError("assessments_per_year: between 1 and half the graduates a year")

    @property
    def higher_education(self) -> int:
        return self.universities

    @property
    def vocational(self) -> int:
        return self.colleges + self.technikums

    @property
    def programs(self) -> int:
        return (
            self.universities * self.programs_per_university
            + self.colleges * self.programs_per_college
            + self.technikums * self.programs_per_technikum
        )

    def scaled(self, factor: float) -> "WorldSize":
        """The same regions with every count of organizations, clusters, graduates and
        assessments times ``factor`` (at least what each region needs)."""
        if not factor > 0:
            raise ValueError("the scale factor must be positive")
        if factor == 1:
            return self
        counts = {}
        for kind in (*PER_REGION_MINIMUM, "graduates_per_year", "assessments_per_year"):
            least = PER_REGION_MINIMUM.get(kind, 0) * len(self.regions)
            counts[kind] = max(least, round(getattr(self, kind) * factor))
        counts["graduates_per_year"] = max(
            counts["graduates_per_year"], 2 * counts["assessments_per_year"]
        )
        counts["clusters_per_region"] = max(1, round(self.clusters_per_region * factor))
        return replace(self, name=f"{self.name}x{factor:g}", **counts)

    def declared(self) -> dict[str, int]:
        """What a world of this size holds, without building it."""
        organizations = sum(getattr(self, kind) for kind in PER_REGION_MINIMUM)
        return {
            "regions": len(self.regions),
            "clusters": self.clusters_per_region * len(self.regions),
            "organizations": organizations,
            "higher_education": self.higher_education,
            "vocational": self.vocational,
            **{kind: getattr(self, kind) for kind in PER_REGION_MINIMUM},
            "programs": self.programs,
            "cohorts": self.cohorts,
            "graduates_per_year": self.graduates_per_year,
            "graduates": self.graduates_per_year * self.cohorts,
            "assessments_per_year": self.assessments_per_year,
            "assessments": self.assessments_per_year * self.cohorts,
        }


def _all_regions() -> tuple[str, ...]:
    return tuple(region.code for region in reference.regions())


SIZES: Mapping[str, WorldSize] = {
    # One region, small enough that `educluster up --demo` is ready within a minute on two
    # cores (about 1,100 employments, recorded one request each, are most of the time), with
    # programs few and large enough that pooled scores, and some yearly ones, are published.
    "region": WorldSize(
        name="region",
        regions=("UZ-SA",),
        universities=3,
        colleges=3,
        technikums=2,
        employers=60,
        research_institutes=2,
        private_partners=2,
        clusters_per_region=2,
        programs_per_university=3,
        programs_per_college=2,
        programs_per_technikum=2,
        graduates_per_year=340,
        assessments_per_year=170,
    ),
    # The capital and two large regions, about a fifth of the country.
    "regions3": WorldSize(
        name="regions3",
        regions=("UZ-TK", "UZ-SA", "UZ-FA"),
        universities=60,
        colleges=95,
        technikums=85,
        employers=1_500,
        research_institutes=9,
        private_partners=9,
        clusters_per_region=4,
        programs_per_university=10,
        programs_per_college=4,
        programs_per_technikum=5,
        graduates_per_year=42_000,
        assessments_per_year=12_600,
    ),
    # The whole country: 14 regions, about 220 higher-education and 850 vocational institutions,
    # 200,000 graduates and 60,000 assessments a year.
    "country": WorldSize(
        name="country",
        regions=_all_regions(),
        universities=220,
        colleges=450,
        technikums=400,
        employers=7_000,
        research_institutes=56,
        private_partners=70,
        clusters_per_region=6,
        programs_per_university=10,
        programs_per_college=4,
        programs_per_technikum=5,
        graduates_per_year=200_000,
        assessments_per_year=60_000,
    ),
}


def size_named(name: str, *, scale: float = 1.0) -> WorldSize:
    """A preset by name, scaled; ValueError naming the presets for an unknown name."""
    if name not in SIZES:
        raise ValueError(f"unknown size {name!r}; one of {', '.join(SIZES)}")
    return SIZES[name].scaled(scale)


def apportion(total: int, weights: Sequence[float], *, least: int = 0) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders; ties to the first),
    each share at least ``least``."""
    floor = least * len(weights)
    if total < floor:
        raise ValueError(f"cannot give {len(weights)} shares {least} each out of {total}")
    whole = sum(weights)
    exact = [(total - floor) * w / whole for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[: total - floor - sum(shares)]:
        shares[i] += 1
    return [least + share for share in shares]
