"""The synthetic world of `educluster generate` and `educluster up --demo`: reproducible, as big
as its size declares, made of codes the platform accepts, and with ratings that carry the
latent quality and leniency they are drawn from."""

import inspect
import statistics
from collections import Counter
from dataclasses import replace
from datetime import date
from functools import cache
from typing import get_args

import pytest
from assessment.service_layer.frameworks import default_framework
from registry.domain import rules
from registry.entrypoints.schemas import MemberRole

from shared.contracts import reference
from shared.devtools.generator import catalogue
from shared.devtools.generator.sizes import PER_REGION_MINIMUM, SIZES, WorldSize, size_named
from shared.devtools.generator.world import World

YEAR = 2026
COMPETENCIES = tuple(
    c["code"] for domain in default_framework()["domains"] for c in domain["competencies"]
)
# The WorldSize count each organization is one of, by its kind (institutions: by subtype).
COUNTED_AS = {
    "employer": "employers",
    "research": "research_institutes",
    "private": "private_partners",
    "university": "universities",
    "college": "colleges",
    "technikum": "technikums",
}


def world(size: WorldSize = SIZES["region"], *, seed: int = 2026) -> World:
    return World(size, seed=seed, year=YEAR, competencies=COMPETENCIES)


@cache
def drawn(seed: int = 2026) -> dict[str, list]:
    """Everything of the region world, drawn once for the tests that read it."""
    w = world(seed=seed)
    code = w.regions[0].code
    return {
        "organizations": list(w.organizations(code)),
        "programs": [p for i in w.institutions(code) for p in w.programs(i.key)],
        "clusters": list(w.clusters(code)),
        "requirements": list(w.requirements(code)),
        "graduates": list(w.region_graduates(code)),
        "assessments": list(w.assessments(code)),
    }


def test_the_same_seed_draws_the_same_world_and_another_seed_another():
    again = world(seed=2026)
    code = again.regions[0].code
    assert list(again.organizations(code)) == drawn()["organizations"]
    assert list(again.clusters(code)) == drawn()["clusters"]
    assert list(again.requirements(code)) == drawn()["requirements"]
    assert list(again.region_graduates(code)) == drawn()["graduates"]
    assert list(again.assessments(code)) == drawn()["assessments"]
    other = drawn(seed=7)
    for part in ("organizations", "programs", "graduates", "assessments"):
        assert other[part] != drawn()[part], part


def test_graduates_and_assessments_are_drawn_lazily_one_institution_or_region_at_a_time():
    w = world()
    assert inspect.isgenerator(w.graduates(w.institutions("UZ-SA")[0].key))
    assert inspect.isgenerator(w.assessments("UZ-SA"))


@pytest.mark.parametrize(
    "size", [SIZES["region"], size_named("regions3", scale=0.05)], ids=lambda s: s.name
)
def test_a_world_holds_exactly_the_counts_its_size_declares(size):
    w = world(size)
    declared = size.declared()
    organizations = [o for r in w.regions for o in w.organizations(r.code)]
    kinds = Counter(
        COUNTED_AS[o.subtype if o.kind == "education" else o.kind] for o in organizations
    )
    assert kinds == {kind: declared[kind] for kind in PER_REGION_MINIMUM if declared[kind]}
    assert len(organizations) == declared["organizations"]
    assert sum(len(w.clusters(r.code)) for r in w.regions) == declared["clusters"]
    programs = [p for o in organizations if o.kind == "education" for p in w.programs(o.key)]
    assert len(programs) == declared["programs"]
    graduates = [g for r in w.regions for g in w.region_graduates(r.code)]
    assert Counter(g.graduation_year for g in graduates) == dict.fromkeys(
        range(YEAR - 5, YEAR), declared["graduates_per_year"]
    )
    assessments = Counter(a.period for r in w.regions for a in w.assessments(r.code))
    assert assessments == dict.fromkeys(range(YEAR - 4, YEAR + 1), declared["assessments_per_year"])


def test_the_country_preset_declares_the_sizes_of_the_issue():
    declared = SIZES["country"].declared()
    assert declared["regions"] == len(reference.regions()) == 14
    assert declared["higher_education"] == 220
    assert declared["vocational"] == 850
    assert declared["graduates_per_year"] == 200_000
    assert declared["assessments_per_year"] == 60_000
    assert declared["cohorts"] == 5
    # The small part is built whole; the declared totals hold without drawing a graduate.
    country = world(SIZES["country"])
    organizations = [o for r in country.regions for o in country.organizations(r.code)]
    assert Counter(o.subtype for o in organizations if o.kind == "education") == {
        "university": 220,
        "college": 450,
        "technikum": 400,
    }
    programs = [p for o in organizations if o.kind == "education" for p in country.programs(o.key)]
    assert [sum(p.cohorts[i] for p in programs) for i in range(5)] == [200_000] * 5
    assert sum(country.assessment_quota(r.code) for r in country.regions) == 60_000


def test_every_cluster_has_a_member_of_every_role_the_registry_accepts():
    w = world(size_named("regions3", scale=0.05))
    for region in w.regions:
        for cluster in w.clusters(region.code):
            roles = Counter(m.role for m in cluster.members)
            assert set(roles) == set(get_args(MemberRole)), cluster.name
            assert roles["coordinator"] == 1
            assert cluster.members[0].organization_key == cluster.coordinator_key
            assert len({m.organization_key for m in cluster.members}) == len(cluster.members)
            for member in cluster.members:
                organization = w.organization(member.organization_key)
                assert organization.region_code == region.code
                rules.check_member_role(member.role, organization.kind)
                # The API dates the coordinator's membership from the cluster's creation; the
                # others joined in the cluster's first years, before the periods assessed.
                if member.role == "coordinator":
                    assert member.joined_on is None
                else:
                    assert member.joined_on is not None
                    assert date(YEAR - 5, 1, 1) <= member.joined_on <= date(YEAR - 1, 12, 31)


def test_every_code_is_one_the_registry_and_the_reference_data_accept():
    organizations, programs = drawn()["organizations"], drawn()["programs"]
    for organization in organizations:
        rules.check_subtype(organization.kind, organization.subtype)
        rules.check_tax_id(organization.tax_id)
    assert len({o.tax_id for o in organizations}) == len(organizations)
    for program in programs:
        rules.check_program_classification(level=program.level, field_code=program.field_code)
    assert {p.level for p in programs} >= {"5", "6"}
    assert len({p.field_code[:2] for p in programs}) >= 5
    for institution in {p.institution_key for p in programs}:
        codes = [p.code for p in programs if p.institution_key == institution]
        assert len(set(codes)) == len(codes)
    for graduate in drawn()["graduates"]:
        if graduate.employment:
            rules.check_isco(graduate.employment.isco_code)
    sections = reference.isic_rev4_sections()
    assert set(catalogue.SECTOR_SHARES) <= set(sections)
    assert {s for sectors in catalogue.FIELD_SECTORS.values() for s in sectors} <= set(sections)
    occupations = {c for pair in catalogue.FIELD_OCCUPATIONS.values() for c in pair}
    assert occupations | set(catalogue.OTHER_OCCUPATIONS) <= set(reference.isco08_unit_groups())


def test_employments_start_after_graduation_and_by_the_end_of_last_year():
    graduates = drawn()["graduates"]
    employed = [g for g in graduates if g.employment is not None]
    assert 0.5 < len(employed) / len(graduates) < 0.8
    for graduate in employed:
        assert graduate.employment is not None
        assert date(graduate.graduation_year, 7, 1) <= graduate.employment.start_date
        assert graduate.employment.start_date <= date(YEAR - 1, 12, 31)
        rules.check_start_after_graduation(graduate.employment.start_date, graduate.graduation_year)
    in_field = sum(g.employment.in_field for g in employed if g.employment)
    assert 0.5 < in_field / len(employed) < 0.9


def test_assessments_are_of_employed_graduates_in_the_periods_their_job_covers():
    jobs = {g.key: g.employment for g in drawn()["graduates"]}
    seen = set()
    for assessment in drawn()["assessments"]:
        job = jobs[assessment.graduate_key]
        assert job is not None and job.employer_key == assessment.employer_key
        assert job.start_date.year <= assessment.period <= YEAR
        assert (assessment.graduate_key, assessment.period) not in seen
        seen.add((assessment.graduate_key, assessment.period))


def test_ratings_are_on_the_scale_and_a_few_are_not_observed():
    assessments = drawn()["assessments"]
    ratings = [r for a in assessments for r in a.ratings.values()]
    assert all(set(a.ratings) == set(COMPETENCIES) for a in assessments)
    assert {r for r in ratings if r is not None} == {1, 2, 3, 4, 5}
    assert 0.01 < ratings.count(None) / len(ratings) < 0.1
    for assessment in assessments:
        assert 1 <= assessment.overall_satisfaction <= 5
        assert 1 <= assessment.preparedness <= 5
    hire_again = sum(a.would_hire_again for a in assessments) / len(assessments)
    assert 0.3 < hire_again < 0.9


def test_employers_rate_programs_of_higher_latent_quality_higher():
    w, by_program = world(), {}
    for assessment in drawn()["assessments"]:
        by_program.setdefault(assessment.program_key, []).append(assessment.overall_satisfaction)
    rated = [key for key, ratings in by_program.items() if len(ratings) >= 10]
    assert len(rated) >= 15
    quality = [w.program(key).quality for key in rated]
    means = [statistics.mean(by_program[key]) for key in rated]
    assert _spearman(quality, means) > 0.7
    ordered = sorted(rated, key=lambda key: w.program(key).quality)
    third = len(ordered) // 3
    low = statistics.mean(r for key in ordered[:third] for r in by_program[key])
    high = statistics.mean(r for key in ordered[-third:] for r in by_program[key])
    assert high - low > 0.8


def test_lenient_employers_rate_the_same_quality_higher():
    w, residuals = world(), {}
    for a in drawn()["assessments"]:
        residual = a.overall_satisfaction - 0.55 * w.program(a.program_key).quality
        residuals.setdefault(a.employer_key, []).append(residual)
    rated = [key for key, values in residuals.items() if len(values) >= 10]
    leniency = [w.organization(key).leniency for key in rated]
    assert _spearman(leniency, [statistics.mean(residuals[key]) for key in rated]) > 0.4


def test_a_size_refuses_what_its_regions_cannot_hold():
    region = SIZES["region"]
    with pytest.raises(ValueError, match="employers"):
        replace(region, employers=4)
    with pytest.raises(ValueError, match="not regions"):
        replace(region, regions=("UZ-XX",))
    with pytest.raises(ValueError, match="assessments_per_year"):
        replace(region, assessments_per_year=region.graduates_per_year)
    tiny = size_named("country", scale=0.001)
    assert tiny.employers == 5 * 14 and tiny.universities == 14 and tiny.clusters_per_region == 1
    assert tiny.graduates_per_year >= 2 * tiny.assessments_per_year


def _spearman(xs: list[float], ys: list[float]) -> float:
    def ranks(values: list[float]) -> list[int]:
        order = sorted(range(len(values)), key=values.__getitem__)
        result = [0] * len(values)
        for rank, index in enumerate(order):
            result[index] = rank
        return result

    return statistics.correlation(ranks(xs), ranks(ys))
