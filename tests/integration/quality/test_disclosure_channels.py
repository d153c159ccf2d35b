"""Disclosure channels of the publication issue through the real services, on both databases:
what a reader holding the publications can infer of a hidden figure, worked out by brute force
independently of the product's audit (tests/unit/quality/test_publications.attacker_ranges)."""

from quality.domain.suppression import DEFAULT_THRESHOLDS

from tests.integration.assessment.world import PERIOD, World, default_framework, employ, settled
from tests.integration.quality.conftest import publish_interim
from tests.integration.quality.test_publications import REGIONAL, satisfaction
from tests.integration.quality.test_scores import scorecard
from tests.integration.registry.conftest import (
    MINISTRY,
    create_graduate,
    create_organization,
    create_program,
)
from tests.unit.quality.test_publications import attacker_ranges

WIDTH = DEFAULT_THRESHOLDS.protection_width


class Employers:
    """Employers registered on demand, each a distinct taxpayer."""

    def __init__(self, registry) -> None:
        self.registry = registry
        self.made: list[dict] = []

    async def get(self, i: int) -> dict:
        while len(self.made) <= i:
            self.made.append(
                await create_organization(
                    self.registry,
                    kind="employer",
                    subtype="J",
                    tax_id=f"3{70000000 + len(self.made)}",
                    region_code="UZ-SA",
                )
            )
        return self.made[i]


async def assessed_program(
    registry, assessment, institution, framework, employers: Employers, *, code, by, satisfied
) -> tuple[dict, list[World]]:
    """A program of ``institution`` whose graduates are employed and assessed by the employers
    numbered ``by`` (one graduate each), the first ``satisfied`` of them with a 5, others a 2."""
    program = await create_program(registry, institution, code=code)
    worlds = []
    for g, e in enumerate(by):
        world = World(registry, assessment, institution, program, await employers.get(e), framework)
        graduate = await create_graduate(registry, program, student_ref=f"{code}-{g}")
        await employ(world, graduate)
        world.graduates.append(graduate)
        worlds.append(world)
    return program, worlds


async def submit(assessment, worlds: list[World], satisfied: int, *, period=PERIOD) -> None:
    """Each world's employer assesses its graduate: the first ``satisfied`` a 5, others a 2."""
    for i, world in enumerate(worlds):
        body = world.assessment_body(
            world.graduates[0], overall_satisfaction=5 if i < satisfied else 2, period=period
        )
        response = await assessment.post(
            "/api/v1/assessments", headers=world.as_employer, json=body
        )
        assert response.status_code == 201, response.text


async def test_a_complement_that_protects_only_counts_no_longer_pins_a_hidden_share(services):
    # Channel 6. p1: 10 assessments, one employer wrote 6 (hidden: dominance), 3 satisfied.
    # Secondary suppression hides p2 (11, all satisfied), the smaller sibling; p1 + p2 is the
    # institution less p3, so p1 ≥ 14 − 11 = 3 of 10 — pinned from below without the audit.
    registry, assessment, quality = services
    institution = await create_organization(registry, tax_id="201234567")
    framework = await default_framework(assessment)
    employers = Employers(registry)
    programs = {}
    worlds = {}
    plan = {
        "p1": ("60610101", [0] * 6 + [1, 2, 3, 4], 3),
        "p2": ("60610102", list(range(10, 21)), 11),
        "p3": ("60610103", list(range(30, 42)), 8),
    }
    for name, (code, by, _) in plan.items():
        programs[name], worlds[name] = await assessed_program(
            registry, assessment, institution, framework, employers, code=code, by=by, satisfied=0
        )
    await settled(worlds["p1"][0], employments=33)
    for name, (_, _, satisfied) in plan.items():
        await submit(assessment, worlds[name], satisfied)
    await scorecard(
        quality, "organization", institution["id"], until=lambda c: satisfaction(c)["n"] == 33
    )

    made = await publish_interim(quality, PERIOD)
    assert made["summary"]["audit"]["complements"] >= 1

    async def published(scope: str, scope_id: str) -> dict:
        response = await quality.get(
            f"/api/v1/quality/{scope}/{scope_id}?period={PERIOD}", headers=REGIONAL
        )
        assert response.status_code == 200, response.text
        return satisfaction(response.json())

    figures = {name: await published("program", p["id"]) for name, p in programs.items()}
    whole = await published("organization", institution["id"])
    assert figures["p1"]["suppressed"] and figures["p1"]["reason"]
    known = [
        (frozenset({name}), round(f["value"] * f["n"]))
        for name, f in figures.items()
        if not f["suppressed"]
    ]
    if not whole["suppressed"]:
        known.append((frozenset(plan), round(whole["value"] * whole["n"])))
    low, high = attacker_ranges(
        {name: len(by) for name, (_, by, _) in plan.items()}, known, frozenset({"p1"})
    )
    share = 3 / 10
    assert share - low / 10 >= min(WIDTH, share) - 1e-9, (low, high)
    assert high / 10 - share >= min(WIDTH, 1 - share) - 1e-9, (low, high)


async def test_a_hidden_year_is_not_its_pool_less_the_year_published_before(services):
    # Channel 2. Last year p1 (12 of 12 employers, 8 satisfied) and p2 were published. This
    # year p1 has 10 assessments, one employer wrote 6 (hidden); its pool (22) meets every
    # rule, and pool − last year = this year, unless the audit hides the pool as well.
    await _year_against_pool(services, dominated=PERIOD)


async def test_a_year_hidden_before_is_not_the_next_pool_less_its_year(services):
    # Channel 2, the other way round (found: the audit checked only what the new publication
    # hid). Last year's p1 was hidden (one employer wrote 6 of 10); this year p1 has 12
    # assessments from 12 employers and its pool (22) meets every rule: pool − this year = last
    # year, unless this publication hides one of them.
    await _year_against_pool(services, dominated=PERIOD - 1)


async def _year_against_pool(services, *, dominated: int) -> None:
    """p1 and p2 assessed last year and this year, p1's year ``dominated`` by one employer (1
    of 10 satisfied; its other year 8 of 12), each year published after its assessments: a
    reader holding both publications cannot pin the dominated year."""
    registry, assessment, quality = services
    institution = await create_organization(registry, tax_id="201234567")
    framework = await default_framework(assessment)
    employers = Employers(registry)
    last = PERIOD - 1
    program_1, open_1 = await assessed_program(
        registry,
        assessment,
        institution,
        framework,
        employers,
        code="60610101",
        by=list(range(100, 112)),
        satisfied=0,
    )
    program_2, both_2 = await assessed_program(
        registry,
        assessment,
        institution,
        framework,
        employers,
        code="60610102",
        by=list(range(20, 32)),
        satisfied=0,
    )
    dominated_1 = []
    for g, e in enumerate([0] * 6 + [1, 2, 3, 4]):
        world = World(
            registry, assessment, institution, program_1, await employers.get(e), framework
        )
        graduate = await create_graduate(registry, program_1, student_ref=f"now-{g}")
        await employ(world, graduate)
        world.graduates.append(graduate)
        dominated_1.append(world)
    await settled(open_1[0], employments=34)
    sizes = {}
    numbers = {}
    for period in (last, PERIOD):
        if period == dominated:
            await submit(assessment, dominated_1, 1, period=period)
        else:
            await submit(assessment, open_1, 8, period=period)
        await submit(assessment, both_2, 5, period=period)
        sizes[("p1", period)] = 10 if period == dominated else 12
        sizes[("p2", period)] = 12
        await scorecard(
            quality,
            "organization",
            institution["id"],
            until=lambda c, n=sizes[("p1", period)] + 12: satisfaction(c)["n"] == n,
            period=period,
        )
        numbers[period] = (await publish_interim(quality, period))["number"]

    members = {"p1": program_1["id"], "p2": program_2["id"]}
    known = []
    for period, number in numbers.items():
        for pooled in (False, True):
            years = range(period - 2, period + 1) if pooled else range(period, period + 1)
            scopes = {("program", members[p]): {p} for p in members}
            scopes[("organization", institution["id"])] = set(members)
            for (scope, scope_id), programs in scopes.items():
                response = await quality.get(
                    f"/api/v1/quality/{scope}/{scope_id}?period={period}&pooled={str(pooled).lower()}"
                    f"&publication={number}",
                    headers=REGIONAL,
                )
                figure = satisfaction(response.json())
                cells = frozenset(a for a in sizes if a[0] in programs and a[1] in years)
                if not figure["suppressed"] and cells:
                    known.append((cells, round(figure["value"] * figure["n"])))
    low, high = attacker_ranges(sizes, known, frozenset({("p1", dominated)}))
    share = 1 / 10
    assert share - low / 10 >= min(WIDTH, share) - 1e-9, (low, high)
    assert high / 10 - share >= min(WIDTH, 1 - share) - 1e-9, (low, high)


async def cluster_of(registry, members: list[dict], name: str) -> dict:
    response = await registry.post(
        "/api/v1/clusters",
        headers=MINISTRY,
        json={
            "name": name,
            "region_code": "UZ-SA",
            "sectors": ["J"],
            "coordinator_id": members[0]["id"],
        },
    )
    assert response.status_code == 201, response.text
    for member in members[1:]:
        joined = await registry.post(
            f"/api/v1/clusters/{response.json()['id']}/members",
            headers=MINISTRY,
            json={"organization_id": member["id"], "role": "education"},
        )
        assert joined.status_code == 201, joined.text
    return response.json()


async def test_a_cluster_less_a_nested_one_does_not_give_a_member_away(services):
    # Channel 3: K1 = {A, B, C} ⊃ K2 = {A, B}, so C = K1 − K2 where both are published.
    registry, assessment, quality = services
    framework = await default_framework(assessment)
    employers = Employers(registry)
    plan = {
        "A": ("201234561", list(range(100, 112)), 9),
        "B": ("201234562", list(range(200, 212)), 6),
        "C": ("201234563", [0] * 6 + [1, 2, 3, 4], 2),  # one employer wrote 6 of 10: hidden
    }
    institutions, worlds = {}, {}
    for name, (tax_id, by, _) in plan.items():
        institutions[name] = await create_organization(registry, tax_id=tax_id)
        _, worlds[name] = await assessed_program(
            registry,
            assessment,
            institutions[name],
            framework,
            employers,
            code=f"6061010{len(institutions)}",
            by=by,
            satisfied=0,
        )
    k1 = await cluster_of(registry, [institutions[n] for n in "ABC"], "K1")
    k2 = await cluster_of(registry, [institutions[n] for n in "AB"], "K2")
    await settled(worlds["A"][0], employments=34)
    for name, (_, _, satisfied) in plan.items():
        await submit(assessment, worlds[name], satisfied)
    await scorecard(quality, "cluster", k1["id"], until=lambda c: satisfaction(c)["n"] == 34)
    await scorecard(quality, "cluster", k2["id"], until=lambda c: satisfaction(c)["n"] == 24)

    made = await publish_interim(quality, PERIOD)

    scopes = {
        ("cluster", k1["id"]): set("ABC"),
        ("cluster", k2["id"]): set("AB"),
        ("region", "UZ-SA"): set("ABC"),
        ("national", "UZ"): set("ABC"),
    }
    for name, institution in institutions.items():
        scopes[("organization", institution["id"])] = {name}
        scopes[("program", worlds[name][0].program["id"])] = {name}
    known = []
    for (scope, scope_id), members in scopes.items():
        response = await quality.get(
            f"/api/v1/quality/{scope}/{scope_id}?period={PERIOD}&publication={made['number']}",
            headers=REGIONAL,
        )
        figure = satisfaction(response.json())
        if not figure["suppressed"]:
            known.append((frozenset(members), round(figure["value"] * figure["n"])))
    atoms = {name: len(by) for name, (_, by, _) in plan.items()}
    low, high = attacker_ranges(atoms, known, frozenset({"C"}))
    share = 2 / 10
    assert share - low / 10 >= min(WIDTH, share) - 1e-9, (low, high)
    assert high / 10 - share >= min(WIDTH, 1 - share) - 1e-9, (low, high)


async def test_a_comparison_that_would_reveal_a_non_member_is_withheld(services):
    # Channel 4: members + non-members are one more grouping of the region. C is hidden (one
    # employer wrote 6 of 10) and D, in another field, is its complement: only C + D is known.
    # The non-members of K = {A} in A's field are B + C, so less B they would give C away.
    registry, assessment, quality = services
    framework = await default_framework(assessment)
    employers = Employers(registry)
    plan = {
        "A": ("201234561", "0613", list(range(100, 112)), 9),
        "B": ("201234562", "0613", list(range(200, 212)), 6),
        "C": ("201234563", "0613", [0] * 6 + [1, 2, 3, 4], 2),
        "D": ("201234564", "0413", list(range(300, 311)), 6),
    }
    institutions, worlds = {}, {}
    for n, (name, (tax_id, field, by, _)) in enumerate(plan.items()):
        institutions[name] = await create_organization(registry, tax_id=tax_id)
        program = await create_program(
            registry, institutions[name], code=f"6061010{n}", field_code=field
        )
        worlds[name] = []
        for g, e in enumerate(by):
            world = World(
                registry,
                assessment,
                institutions[name],
                program,
                await employers.get(e),
                framework,
            )
            graduate = await create_graduate(registry, program, student_ref=f"{name}-{g}")
            await employ(world, graduate)
            world.graduates.append(graduate)
            worlds[name].append(world)
    cluster = await cluster_of(registry, [institutions["A"]], "K")
    await settled(worlds["A"][0], employments=45)
    for name, (_, _, _, satisfied) in plan.items():
        await submit(assessment, worlds[name], satisfied)
    await scorecard(quality, "region", "UZ-SA", until=lambda c: satisfaction(c)["n"] == 45)
    path = f"/api/v1/quality/clusters/{cluster['id']}/comparison?period={PERIOD}"
    live = await quality.get(path, headers=MINISTRY)
    assert live.status_code == 200 and live.json()["non_members"]["n"] == 22

    await publish_interim(quality, PERIOD)

    published = await quality.get(path, headers=REGIONAL)
    assert published.status_code == 200, published.text
    comparison = published.json()
    assert comparison["non_members"]["share"] is None
    assert comparison["difference"]["suppressed"] is True
    assert "reveal a hidden one" in comparison["difference"]["reason"]
