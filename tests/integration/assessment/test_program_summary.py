"""Institutions see their programs' assessments only as de-identified distributions of one
period, and only where enough assessments, employers and graduates stand behind them that no
employer's view of one graduate can be read back (no comments, no pooled years, no cell one
employer dominates)."""

from tests.integration.assessment.world import (
    PERIOD,
    assess,
    build_world,
    more_employers,
    settled,
)
from tests.integration.registry.conftest import (
    MINISTRY,
    as_institution,
    create_organization,
    headers,
)


async def test_one_employer_s_assessments_are_never_summarised_and_never_pooled_over_years(
    platform,
):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=6)
    for graduate in world.graduates:
        await assess(world, graduate, comment="Reliable and quick to learn.")
    path = f"/api/v1/assessments/summary?program_id={world.program['id']}"
    as_owner = as_institution(world.institution)

    pooled = await assessment.get(path, headers=as_owner)
    assert pooled.status_code == 422
    assert pooled.json()["errors"][0]["loc"] == ["query", "period"]

    summary = (await assessment.get(f"{path}&period={PERIOD}", headers=as_owner)).json()
    assert summary["suppressed"] is True and summary["n"] == 6
    assert "employers" in summary["reason"]
    assert summary["overall_satisfaction"] is None
    assert "comments" not in summary and "quick to learn" not in str(summary)


async def test_a_program_summary_appears_with_enough_employers_without_identities_or_comments(
    platform,
):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=2)
    others = await more_employers(world, 3, each=2)
    await settled(world, employments=8)
    path = f"/api/v1/assessments/summary?program_id={world.program['id']}&period={PERIOD}"
    as_owner = as_institution(world.institution)
    ids = []
    for employer_world in (world, *others):
        for i, graduate in enumerate(employer_world.graduates):
            ids.append(
                await assess(
                    employer_world,
                    graduate,
                    overall_satisfaction=4 + i,
                    comment=f"comment {len(ids)}",
                    would_hire_again=i > 0,
                )
            )

    shown = (await assessment.get(path, headers=as_owner)).json()
    assert shown["suppressed"] is False and shown["n"] == 8
    assert shown["overall_satisfaction"] == {
        "1": 0,
        "2": 0,
        "3": 0,
        "4": 4,
        "5": 4,
        "not_rated": 0,
    }
    assert shown["would_hire_again"] == {"yes": 4, "no": 4}
    assert shown["competencies"]["technical.professional_knowledge"]["5"] == 8
    assert shown["competencies"]["digital.information_data_literacy"]["not_rated"] == 8
    text = str(shown)
    assert "comment" not in text
    employers = [w.employer["id"] for w in (world, *others)]
    graduates = [g["id"] for w in (world, *others) for g in w.graduates]
    assert not any(identifier in text for identifier in employers + graduates)

    # One employer withdraws: three employers are left, and removing any one of them would
    # leave fewer than the rule asks for, so the summary is withheld again.
    for assessment_id in ids[:2]:
        withdrawn = await assessment.delete(
            f"/api/v1/assessments/{assessment_id}", headers=world.as_employer
        )
        assert withdrawn.status_code == 200
    assert (await assessment.get(path, headers=as_owner)).json()["suppressed"] is True

    other_institution = await create_organization(registry, tax_id="209999999")
    for who in (
        as_institution(other_institution),
        world.as_employer,
        headers("regional_authority", region="UZ-TK"),
    ):
        assert (await assessment.get(path, headers=who)).status_code == 403, who
    for who in (MINISTRY, headers("regional_authority", region="UZ-SA")):
        assert (await assessment.get(path, headers=who)).status_code == 200, who
    another_year = path.replace(f"period={PERIOD}", "period=2020")
    assert (await assessment.get(another_year, headers=as_owner)).json()["n"] == 0
