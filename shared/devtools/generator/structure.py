"""A region's institutions, programs, employers, research institutes, private partners,
clusters and requirements: the small part of a world, built whole (graduates are streamed)."""

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from shared.contracts import reference
from shared.contracts.reference import Region
from shared.devtools.generator import catalogue
from shared.devtools.generator.records import (
    Calendar,
    Cluster,
    Member,
    Organization,
    Requirement,
)
from shared.devtools.generator.seeds import rating, sample_at_most, stream, weighted

INSTITUTION_SUBTYPES = ("university", "college", "technikum")
_NAMED = {"university": "universiteti", "college": "kolleji", "technikum": "texnikumi"}
# ISCED 2011 levels of each kind's programs: bachelor's and master's, post-secondary and upper
# secondary vocational, short-cycle tertiary.
_PROGRAM_LEVELS = {
    "university": {"6": 0.75, "7": 0.25},
    "college": {"4": 0.7, "3": 0.3},
    "technikum": {"5": 1.0},
}
_LEVEL_SIZE = {"3": 1.0, "4": 1.0, "5": 1.0, "6": 1.0, "7": 0.35}
# Languages of instruction (English only at universities).
_LANGUAGES = {
    "university": {"uz": 0.8, "ru": 0.16, "en": 0.04},
    "college": {"uz": 0.85, "ru": 0.15},
    "technikum": {"uz": 0.85, "ru": 0.15},
}


@dataclass(frozen=True)
class RegionPlan:
    """How many of each kind one region gets."""

    region: Region
    counts: dict[str, int]  # university, college, technikum, employer, research, private
    clusters: int


@dataclass(frozen=True)
class ProgramDraft:
    """A program before its cohorts are sized (they are sized across the whole world)."""

    key: str
    institution_key: str
    code: str
    name: str
    level: str
    field_code: str
    language: str
    quality: float
    trend: float
    weight: float  # its relative number of graduates


class TaxIds:
    """Taxpayer ids of a world's legal entities: ``2``/``3``, the world's 3-digit prefix and a
    5-digit serial (so two worlds of different size or seed rarely share one)."""

    def __init__(self, prefix: int) -> None:
        self.prefix = prefix % 1000
        self.serials = {"2": 0, "3": 0}

    def next(self, first: str) -> str:
        while True:
            self.serials[first] += 1
            tax_id = f"{first}{self.prefix:03d}{self.serials[first]:05d}"
            if reference.valid_uz_tax_id(tax_id):  # skips the odd all-one-digit number
                return tax_id


def place(region: Region) -> str:
    for suffix in (" viloyati", " Respublikasi"):
        if region.name_uz.endswith(suffix):
            return region.name_uz.removesuffix(suffix)
    return region.name_uz


@cache
def fields_by_broad() -> dict[str, tuple[str, ...]]:
    """The detailed ISCED-F fields programs are given, by broad field (not the generic,
    inter-disciplinary, "not elsewhere classified" or unknown ones)."""
    found: dict[str, list[str]] = {}
    for code in reference.isced_f_detailed_fields():
        if code[:2] not in ("00", "99") and not code.endswith(("88", "9")):
            found.setdefault(code[:2], []).append(code)
    return {broad: tuple(codes) for broad, codes in found.items()}


def organizations(plan: RegionPlan, *, seed: int, tax_ids: TaxIds) -> list[Organization]:
    """The region's organizations: institutions, employers, research institutes, private
    partners, in that order, each with its latent traits."""
    code, where = plan.region.code, place(plan.region)
    rng = stream(seed, "organizations", code)
    made: list[Organization] = []
    for subtype in INSTITUTION_SUBTYPES:
        for n in range(1, plan.counts[subtype] + 1):
            focus = _focus(rng, subtype)
            name = f"{where} {catalogue.FOCUS_WORDS[focus]} {_NAMED[subtype]} {n}"
            made.append(
                Organization(
                    key=f"{code}/{subtype}/{n}",
                    kind="education",
                    subtype=subtype,
                    name=name,
                    region_code=code,
                    tax_id=tax_ids.next("2"),
                    focus=focus,
                    effect=rng.gauss(0.0, 0.65),
                )
            )
    made += _employers(plan, rng, tax_ids=tax_ids)
    for n in range(1, plan.counts["research"] + 1):
        focus = weighted(rng, catalogue.HIGHER_FIELDS)
        name = f"{where} {catalogue.FOCUS_WORDS[focus]} ilmiy-tadqiqot instituti {n}"
        made.append(
            Organization(
                key=f"{code}/research/{n}",
                kind="research",
                subtype="research_institute",
                name=name,
                region_code=code,
                tax_id=tax_ids.next("2"),
                focus=focus,
            )
        )
    for n in range(1, plan.counts["private"] + 1):
        subtype = list(catalogue.PRIVATE_WORDS)[(n - 1) % len(catalogue.PRIVATE_WORDS)]
        made.append(
            Organization(
                key=f"{code}/private/{n}",
                kind="private",
                subtype=subtype,
                name=f"{where} {catalogue.PRIVATE_WORDS[subtype]} {n}",
                region_code=code,
                tax_id=tax_ids.next("2"),
            )
        )
    return made


def _focus(rng: random.Random, subtype: str) -> str | None:
    if subtype == "university":
        return None if rng.random() < 0.4 else weighted(rng, catalogue.HIGHER_FIELDS)
    return weighted(rng, catalogue.VOCATIONAL_FIELDS)


def _employers(plan: RegionPlan, rng: random.Random, *, tax_ids: TaxIds) -> list[Organization]:
    code, where = plan.region.code, place(plan.region)
    sections = reference.isic_rev4_sections()
    employers = []
    for n in range(1, plan.counts["employer"] + 1):
        sector = weighted(rng, catalogue.SECTOR_SHARES)
        activity = sections[sector].split(";")[0].split(",")[0]
        employers.append(
            Organization(
                key=f"{code}/employer/{n}",
                kind="employer",
                subtype=sector,
                name=f"{where} {activity} MChJ {n}",
                region_code=code,
                tax_id=tax_ids.next("3"),
                leniency=rng.gauss(0.0, 0.35),
                hiring=rng.lognormvariate(0.0, 0.8),
            )
        )
    return employers


def program_drafts(institution: Organization, count: int, *, seed: int) -> list[ProgramDraft]:
    """An institution's programs: fields mostly of its focus, levels of its kind."""
    rng = stream(seed, "programs", institution.key)
    university = institution.subtype == "university"
    shares = catalogue.HIGHER_FIELDS if university else catalogue.VOCATIONAL_FIELDS
    used: set[str] = set()
    drafts = []
    for n in range(1, count + 1):
        broad = institution.focus if institution.focus and rng.random() < 0.6 else None
        broad = broad or weighted(rng, shares)
        free = [f for f in fields_by_broad()[broad] if f not in used]
        field = rng.choice(free or [f for fs in fields_by_broad().values() for f in fs])
        used.add(field)
        level = weighted(rng, _PROGRAM_LEVELS[institution.subtype])
        suffix = " (magistratura)" if level == "7" else ""
        drafts.append(
            ProgramDraft(
                key=f"{institution.key}/program/{n}",
                institution_key=institution.key,
                code=f"{level}{field}{n:02d}",
                name=reference.isced_f_name(field) + suffix,
                level=level,
                field_code=field,
                language=weighted(rng, _LANGUAGES[institution.subtype]),
                quality=institution.effect + rng.gauss(0.0, 0.75),
                trend=rng.gauss(0.0, 0.08),
                weight=rng.lognormvariate(0.0, 0.5) * _LEVEL_SIZE[level],
            )
        )
    return drafts


def clusters(
    plan: RegionPlan,
    organizations: Sequence[Organization],
    fields: dict[str, list[str]],
    *,
    seed: int,
    calendar: Calendar,
) -> list[Cluster]:
    """The region's clusters, each around a theme, with members of every role.

    ``fields``: the detailed fields each institution (by key) teaches.
    """
    rng = stream(seed, "clusters", plan.region.code)
    by_kind: dict[str, list[Organization]] = {}
    for organization in organizations:
        by_kind.setdefault(organization.kind, []).append(organization)
    themes = rng.sample(catalogue.CLUSTER_THEMES, len(catalogue.CLUSTER_THEMES))
    made = []
    for n in range(plan.clusters):
        word, broads, sectors = themes[n % len(themes)]
        teaching = [o for o in by_kind["education"] if any(f[:2] in broads for f in fields[o.key])]
        universities = [o for o in teaching if o.subtype == "university"]
        candidates = universities or [o for o in by_kind["education"] if o.subtype == "university"]
        coordinator = rng.choice(candidates)
        themed = Counter(f for o in teaching for f in fields[o.key] if f[:2] in broads)
        field = min(themed, key=lambda f: (-themed[f], f)) if themed else fields[coordinator.key][0]
        repeat = f" {n // len(themes) + 1}" if n >= len(themes) else ""
        made.append(
            Cluster(
                key=f"{plan.region.code}/cluster/{n + 1}",
                name=f"{place(plan.region)} {word} klasteri{repeat}",
                region_code=plan.region.code,
                sectors=sectors,
                coordinator_key=coordinator.key,
                members=_members(rng, coordinator, teaching, sectors, by_kind, calendar=calendar),
                field_code=field,
            )
        )
    return made


def _members(
    rng: random.Random,
    coordinator: Organization,
    teaching: list[Organization],
    sectors: tuple[str, ...],
    by_kind: dict[str, list[Organization]],
    *,
    calendar: Calendar,
) -> tuple[Member, ...]:
    """The coordinator; up to three institutions teaching the theme's fields (another one if
    none does); three to six employers of its sectors (others if too few); a research
    institute and a private partner. They joined in the cluster's first two years, the cluster
    founded in the world's first cohort year or the next."""
    others = [o for o in teaching if o is not coordinator]
    others = others or [o for o in by_kind["education"] if o is not coordinator]
    employers = sample_at_most(rng, [o for o in by_kind["employer"] if o.subtype in sectors], 6)
    if len(employers) < 3:
        rest = [o for o in by_kind["employer"] if o not in employers]
        employers += rng.sample(rest, 3 - len(employers))
    joining = [(o, "education") for o in sample_at_most(rng, others, 3)]
    joining += [(o, "employer") for o in employers]
    joining.append((rng.choice(by_kind["research"]), "research"))
    joining.append((rng.choice(by_kind["private"]), "private_partner"))
    founded = date(rng.choice(calendar.cohort_years[:2]), rng.randint(1, 12), 1)
    members = [Member(coordinator.key, "coordinator", None)]
    for organization, role in joining:
        joined = founded + timedelta(days=rng.randint(0, 730))
        members.append(Member(organization.key, role, min(joined, calendar.as_of)))
    return tuple(members)


def requirements(
    organizations: Sequence[Organization],
    clusters: Sequence[Cluster],
    fields: dict[str, list[str]],
    *,
    seed: int,
    region_code: str,
    competencies: Sequence[str],
) -> list[Requirement]:
    """Each cluster's (stated by its coordinator) and about a third of the employers': the
    importance of every competency for a field taught in the region."""
    rng = stream(seed, "requirements", region_code)
    taught = Counter(f for codes in fields.values() for f in codes)
    made = []
    for cluster in clusters:
        made.append(
            Requirement(
                key=f"{cluster.key}/requirement",
                speaker_key=cluster.coordinator_key,
                employer_key=None,
                cluster_key=cluster.key,
                field_code=cluster.field_code,
                importance=_importance(rng, competencies),
            )
        )
    employers = [o for o in organizations if o.kind == "employer"]
    for employer in employers[: max(1, len(employers) // 3)]:
        related = [f for f in taught if employer.subtype in catalogue.FIELD_SECTORS[f[:2]]]
        made.append(
            Requirement(
                key=f"{employer.key}/requirement",
                speaker_key=employer.key,
                employer_key=employer.key,
                cluster_key=None,
                field_code=rng.choice(sorted(related or taught)),
                importance=_importance(rng, competencies),
            )
        )
    return made


def _importance(rng: random.Random, competencies: Sequence[str]) -> dict[str, int]:
    """Importance 1..5 of each competency: a speaker stresses some domains over others."""
    emphasis: dict[str, float] = {}
    importance = {}
    for code in competencies:
        domain = code.split(".")[0]
        if domain not in emphasis:
            emphasis[domain] = rng.gauss(0.0, 0.7)
        importance[code] = rating(3.3 + emphasis[domain] + rng.gauss(0.0, 0.6))
    return importance
