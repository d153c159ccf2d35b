"""Institutions see their programs' assessments only as de-identified distributions, and only
where at least five assessments exist."""

from tests.integration.assessment.world import build_world
from tests.integration.registry.conftest import (
    MINISTRY,
    as_institution,
    create_organization,
    headers,
)


async def test_a_program_summary_appears_at_five_assessments_without_employer_identity(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=5)
    path = f"/api/v1/assessments/summary?program_id={world.program['id']}"
    as_owner = as_institution(world.institution)
    ids = []
    for i, graduate in enumerate(world.graduates):
        body = world.assessment_body(
            graduate, overall_satisfaction=i + 1, comment=f"comment {i}", would_hire_again=i > 0
        )
        created = await assessment.post("/api/v1/assessments", headers=world.as_employer, json=body)
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
        summary = (await assessment.get(path, headers=as_owner)).json()
        if i < 4:
            assert summary["suppressed"] is True and summary["n"] == i + 1
            assert summary["overall_satisfaction"] is None and summary["comments"] is None
            assert "fewer than 5" in summary["reason"]

    shown = (await assessment.get(path, headers=as_owner)).json()
    assert shown["suppressed"] is False and shown["n"] == 5
    assert shown["overall_satisfaction"] == {
        "1": 1,
        "2": 1,
        "3": 1,
        "4": 1,
        "5": 1,
        "not_rated": 0,
    }
    assert shown["would_hire_again"] == {"yes": 4, "no": 1}
    assert shown["competencies"]["technical.professional_knowledge"]["5"] == 5
    assert shown["competencies"]["digital.information_data_literacy"]["not_rated"] == 5
    assert shown["competencies"]["foundation.numeracy"]["not_rated"] == 5
    assert sorted(shown["comments"]) == [f"comment {i}" for i in range(5)]
    text = str(shown)
    assert world.employer["id"] not in text and not any(g["id"] in text for g in world.graduates)

    withdrawn = await assessment.delete(f"/api/v1/assessments/{ids[0]}", headers=world.as_employer)
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
    by_year = await assessment.get(f"{path}&period=2020", headers=as_owner)
    assert by_year.json()["n"] == 0
