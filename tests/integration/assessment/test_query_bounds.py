"""A period to filter by that no assessment can have is a 422 naming it, never a 500 (found by
schemathesis: a year past a 64-bit integer reached the database)."""

import pytest

from tests.integration.assessment.world import build_world


@pytest.mark.parametrize("period", [2**63, 10**30, 0])
async def test_a_period_no_assessment_can_have_is_refused_naming_it(platform, period):
    registry, assessment = platform
    world = await build_world(registry, assessment)
    response = await assessment.get(
        f"/api/v1/assessments?period={period}", headers=world.as_employer
    )
    assert response.status_code == 422, response.text
    assert ["query", "period"] in [e["loc"] for e in response.json()["errors"]]
