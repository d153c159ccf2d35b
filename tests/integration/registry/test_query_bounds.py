"""A graduation year to filter by that no graduate can have is a 422 naming it, never a 500
(found by schemathesis: a year past a 64-bit integer reached the database)."""

import pytest

from tests.integration.registry.conftest import MINISTRY


@pytest.mark.parametrize("year", [2**63, 10**30, 1900])
async def test_a_graduation_year_no_graduate_can_have_is_refused_naming_it(registry, year):
    response = await registry.get(f"/api/v1/graduates?graduation_year={year}", headers=MINISTRY)
    assert response.status_code == 422, response.text
    assert ["query", "graduation_year"] in [e["loc"] for e in response.json()["errors"]]
