"""Scores computed from real assessment events, checked against numbers worked out by hand."""

import math
from statistics import NormalDist

from quality.domain.suppression import DOMINANCE_REASON

from tests.integration.assessment.world import PERIOD, World, default_framework, employ, settled
from tests.integration.registry.conftest import (
    MINISTRY,
    create_graduate,
    create_organization,
    institution_with_program,
)
from tests.support import eventually

OVERALL = [5, 4, 4, 3, 5, 4, 2, 4, 5, 4, 3, 4]  # 9 of 12 are 4 or more
PREPARED = [4, 4, 3, 3, 5, 4, 2, 4, 4, 3, 3, 5]  # 7 of 12


def wilson(x: int, n: int, level: float = 0.90) -> tuple[float, float]:
    """The textbook Wilson score interval, written out independently of the service."""
    z = NormalDist().inv_cdf(1 - (1 - level) / 2)
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


async def employed_cohort(registry, assessment, *, tax_digit: int = 1) -> list[World]:
    """An institution's program with 12 graduates employed by 6 employers (2 each).

    ``tax_digit`` keeps the taxpayer ids of several such worlds apart.
    """
    institution, program = await institution_with_program(registry, tax_id=f"20123456{tax_digit}")
    framework = await default_framework(assessment)
    worlds = []
    for e in range(6):
        employer = await create_organization(
            registry,
            kind="employer",
            subtype="J",
            tax_id=f"3{tax_digit}123456{e}",
            region_code="UZ-TK",
        )
        world = World(registry, assessment, institution, program, employer, framework)
        for g in range(2):
            graduate = await create_graduate(registry, program, student_ref=f"S-{e}-{g}")
            await employ(world, graduate)
            world.graduates.append(graduate)
        worlds.append(world)
    return worlds


async def assess_all(
    assessment, worlds, *, overall=OVERALL, prepared=PREPARED, period=PERIOD, ratings=None
):
    """Each world's graduates assessed in turn (``ratings``: per assessment, else RATINGS)."""
    pairs = [(w, g) for w in worlds for g in w.graduates]
    for i, ((world, graduate), score_, ready) in enumerate(
        zip(pairs, overall, prepared, strict=True)
    ):
        extra = {"ratings": ratings[i]} if ratings else {}
        body = world.assessment_body(
            graduate, overall_satisfaction=score_, preparedness=ready, period=period, **extra
        )
        response = await assessment.post(
            "/api/v1/assessments", headers=world.as_employer, json=body
        )
        assert response.status_code == 201, response.text


async def assessed_program(registry, assessment) -> tuple[World, list[World]]:
    """One program, 12 graduates employed by 6 employers (2 each), every one assessed."""
    worlds = await employed_cohort(registry, assessment)
    await settled(worlds[0], employments=12)
    await assess_all(assessment, worlds)
    return worlds[0], worlds


async def scorecard(quality, scope: str, scope_id: str, *, until, period: int = PERIOD):
    async def probe():
        return await quality.get(
            f"/api/v1/quality/{scope}/{scope_id}?period={period}", headers=MINISTRY
        )

    response = await eventually(
        probe, until=lambda r: r.status_code == 200 and until(r.json()), what=f"{scope} score"
    )
    return response.json()


async def test_a_programs_scores_match_the_hand_computed_figures(services):
    registry, assessment, quality = services
    world, _ = await assessed_program(registry, assessment)
    card = await scorecard(
        quality,
        "program",
        world.program["id"],
        # The registry and assessment topics are read side by side: wait for both to be in.
        until=lambda c: (
            c["indicators"]["employer_satisfaction"]["n"] == 12
            and c["indicators"]["coverage"]["n"] == 12
        ),
    )
    satisfaction = card["indicators"]["employer_satisfaction"]
    low, high = wilson(9, 12)
    assert satisfaction["value"] == 0.75 and satisfaction["suppressed"] is False
    assert math.isclose(satisfaction["ci_low"], low, abs_tol=1e-9)
    assert math.isclose(satisfaction["ci_high"], high, abs_tol=1e-9)
    prepared = card["indicators"]["preparedness"]
    assert math.isclose(prepared["value"], 7 / 12) and prepared["n"] == 12
    assert math.isclose(prepared["ci_low"], wilson(7, 12)[0], abs_tol=1e-9)
    coverage = card["indicators"]["coverage"]
    assert coverage["value"] == 1.0 and coverage["n"] == 12  # 12 of 12 recent graduates
    # This year's cohort has no graduates yet: said, not hidden in a zero.
    assert card["indicators"]["employed_12m"]["suppressed"] is True
    assert card["methodology_version"] == 1

    for scope, scope_id in (
        ("organization", world.institution["id"]),
        ("region", "UZ-SA"),
        ("national", "UZ"),
    ):
        same = await scorecard(
            quality,
            scope,
            scope_id,
            until=lambda c: c["indicators"]["employer_satisfaction"]["n"] == 12,
        )
        assert same["indicators"]["employer_satisfaction"] == satisfaction, scope


async def test_a_withdrawal_subtracts_exactly_and_small_cells_are_suppressed(services):
    registry, assessment, quality = services
    world, worlds = await assessed_program(registry, assessment)
    program = world.program["id"]
    await scorecard(
        quality,
        "program",
        program,
        until=lambda c: c["indicators"]["employer_satisfaction"]["n"] == 12,
    )
    mine = await assessment.get("/api/v1/assessments", headers=world.as_employer)
    for item in mine.json()["items"]:  # the first employer's two (ratings 5 and 4)
        withdrawn = await assessment.delete(
            f"/api/v1/assessments/{item['id']}", headers=world.as_employer
        )
        assert withdrawn.status_code == 200
    card = await scorecard(
        quality,
        "program",
        program,
        until=lambda c: c["indicators"]["employer_satisfaction"]["n"] == 10,
    )
    # 10 left by 5 employers, 2 each: without any one of them 8 would remain, below the 10 a
    # share needs, so the figure is withheld (the dominance rule) while its n says 12 − 2.
    satisfaction = card["indicators"]["employer_satisfaction"]
    assert satisfaction["value"] is None and satisfaction["reason"] == DOMINANCE_REASON
    ministry_view = await quality.get(
        f"/api/v1/quality/program/{program}?period={PERIOD}", headers=MINISTRY
    )
    assert ministry_view.json()["indicators"]["employer_satisfaction"]["n"] == 10

    second = worlds[1]
    theirs = await assessment.get("/api/v1/assessments", headers=second.as_employer)
    for item in theirs.json()["items"]:
        await assessment.delete(f"/api/v1/assessments/{item['id']}", headers=second.as_employer)
    card = await scorecard(
        quality,
        "program",
        program,
        until=lambda c: c["indicators"]["employer_satisfaction"]["n"] == 8,
    )
    hidden = card["indicators"]["employer_satisfaction"]
    assert hidden["value"] is None and hidden["suppressed"] is True
    assert "fewer than 10" in hidden["reason"]
    assert card["index"]["value"] is None and card["index"]["reason"]
