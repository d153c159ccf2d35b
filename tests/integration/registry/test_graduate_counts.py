"""How many graduates an institution has per program and graduation year, counted by the
database, for whoever may list those graduates (and only over what it may list)."""

import pytest

from tests.integration.registry.conftest import (
    MINISTRY,
    as_institution,
    create_graduate,
    create_organization,
    create_program,
    headers,
    institution_with_program,
)
from tests.integration.registry.test_employments import as_employer, record

COUNTS = "/api/v1/graduates/counts"


async def counts(registry, institution: dict, caller: dict[str, str]) -> dict:
    answer = await registry.get(
        COUNTS, params={"institution_id": institution["id"]}, headers=caller
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


async def two_programs_over_three_years(registry) -> tuple[dict, dict, dict, list[dict]]:
    """An institution in UZ-SA with two programs and six graduates (one deactivated), and
    another institution with a graduate of its own."""
    institution, bachelor = await institution_with_program(registry)
    master = await create_program(registry, institution, code="70610100", level="7")
    cohorts = [(bachelor, 2022), (bachelor, 2023), (bachelor, 2023), (bachelor, 2024)]
    cohorts += [(master, 2024), (master, 2024)]
    graduates = [
        await create_graduate(registry, program, student_ref=f"S-{i}", graduation_year=year)
        for i, (program, year) in enumerate(cohorts)
    ]
    deactivated = await registry.patch(
        f"/api/v1/graduates/{graduates[0]['id']}", headers=MINISTRY, json={"active": False}
    )
    assert deactivated.status_code == 200, deactivated.text
    other, elsewhere = await institution_with_program(registry, tax_id="202345678")
    await create_graduate(registry, elsewhere, student_ref="O-1")
    return institution, bachelor, master, graduates


async def test_an_institution_reads_its_graduates_per_program_and_year(registry):
    institution, bachelor, master, _ = await two_programs_over_three_years(registry)
    expected = sorted(
        [
            {"program_id": bachelor["id"], "graduation_year": 2022, "count": 1},
            {"program_id": bachelor["id"], "graduation_year": 2023, "count": 2},
            {"program_id": bachelor["id"], "graduation_year": 2024, "count": 1},
            {"program_id": master["id"], "graduation_year": 2024, "count": 2},
        ],
        key=lambda c: (c["program_id"], c["graduation_year"]),
    )
    answer = await counts(registry, institution, as_institution(institution))
    assert answer == {"institution_id": institution["id"], "items": expected, "total": 6}
    # The ministry and the region's authority may list them all: the same counts.
    assert await counts(registry, institution, MINISTRY) == answer
    authority = headers("regional_authority", region="UZ-SA")
    assert await counts(registry, institution, authority) == answer


async def test_whoever_may_not_list_those_graduates_counts_none_of_them(registry):
    institution, _, _, graduates = await two_programs_over_three_years(registry)
    stranger = await create_organization(registry, tax_id="203456789")
    nothing = {"institution_id": institution["id"], "items": [], "total": 0}
    assert await counts(registry, institution, as_institution(stranger)) == nothing
    elsewhere = headers("regional_authority", region="UZ-BU")
    assert await counts(registry, institution, elsewhere) == nothing
    operator = await registry.get(
        COUNTS, params={"institution_id": institution["id"]}, headers=headers("operator")
    )
    assert operator.status_code == 403


async def test_an_employer_counts_only_the_graduates_it_may_read(registry):
    institution, _, master, graduates = await two_programs_over_three_years(registry)
    employer = await create_organization(registry, kind="employer", subtype="J", tax_id="302345678")
    nothing = {"institution_id": institution["id"], "items": [], "total": 0}
    claimed = await record(registry, graduates[4], employer)
    assert await counts(registry, institution, as_employer(employer)) == nothing
    confirmed = await registry.post(
        f"/api/v1/employments/{claimed['id']}/confirm", headers=MINISTRY
    )
    assert confirmed.status_code == 200, confirmed.text
    assert await counts(registry, institution, as_employer(employer)) == {
        "institution_id": institution["id"],
        "items": [{"program_id": master["id"], "graduation_year": 2024, "count": 1}],
        "total": 1,
    }


@pytest.mark.parametrize("query", [{}, {"institution_id": ""}, {"institution_id": "x" * 37}])
async def test_the_institution_must_be_named(registry, query):
    refused = await registry.get(COUNTS, params=query, headers=MINISTRY)
    assert refused.status_code == 422, refused.text
    assert [e["loc"] for e in refused.json()["errors"]] == [["query", "institution_id"]]
