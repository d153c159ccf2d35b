"""No methodology version may publish smaller cells than the floors (issue 16)."""

import pytest

from tests.integration.quality.conftest import running_quality
from tests.integration.registry.conftest import MINISTRY

PATH = "/api/v1/quality/methodology"
THRESHOLDS = {"min_share_n": 10, "min_mean_n": 8, "min_employers": 5, "min_graduates": 5}


@pytest.fixture
async def quality(make_database_url, broker):
    async with running_quality(await make_database_url("quality"), broker.bootstrap_servers) as q:
        yield q


async def test_a_version_below_a_floor_is_refused_naming_the_threshold(quality):
    for field, value in (
        ("min_share_n", 4),
        ("min_mean_n", 4),
        ("min_employers", 2),
        ("min_graduates", 1),
        ("protection_width", 0.04),
    ):
        refused = await quality.post(
            PATH, headers=MINISTRY, json={"thresholds": {**THRESHOLDS, field: value}}
        )
        assert refused.status_code == 422, (field, refused.text)
        assert refused.json()["errors"][0]["loc"] == ["body", "thresholds", field]
    assert (await quality.get(PATH, headers=MINISTRY)).json()["version"] == 1
    at_the_floors = {"min_share_n": 5, "min_mean_n": 5, "min_employers": 5, "min_graduates": 5}
    published = await quality.post(
        PATH, headers=MINISTRY, json={"thresholds": {**at_the_floors, "protection_width": 0.05}}
    )
    assert published.status_code == 201, published.text
    assert published.json()["thresholds"]["min_share_n"] == 5
