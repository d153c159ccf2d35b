"""A year or a publication number no figure can have is a 422 naming it, never a 500 (found by
schemathesis: a year outside what `datetime.date` holds, a number past a 64-bit integer)."""

import pytest

from tests.integration.quality.conftest import running_quality
from tests.integration.registry.conftest import MINISTRY

CLUSTER = "01a249d1-1d67-75b8-b640-19fe104f40bb"
PERIODS = [
    "/api/v1/quality/scores?scope=program&cluster=c-1",
    "/api/v1/quality/rankings?scope=organization",
    "/api/v1/quality/funnel?scope=organization",
    "/api/v1/quality/benchmarks?scope=cluster",
    f"/api/v1/quality/clusters/{CLUSTER}/comparison?",
    "/api/v1/quality/program/p-1/competency-gaps?",
    "/api/v1/quality/program/p-1?",
    "/api/v1/quality/alerts?",
    "/api/v1/quality/publications?",
]
NUMBERED = ["", "/audit", "/data.csv", "/data.json", "/datapackage.json", "/figures", "/queries"]


@pytest.fixture
async def quality(make_database_url, broker):
    async with running_quality(await make_database_url("quality"), broker.bootstrap_servers) as q:
        yield q


@pytest.mark.parametrize("period", [0, -161760, 2024209])
async def test_a_year_no_figure_can_have_is_refused_naming_the_period(quality, period):
    for path in PERIODS:
        response = await quality.get(f"{path}&period={period}", headers=MINISTRY)
        assert response.status_code == 422, (path, response.status_code, response.text)
        assert ["query", "period"] in [e["loc"] for e in response.json()["errors"]], path


async def test_a_publication_number_past_what_is_stored_is_refused_naming_it(quality):
    for suffix in NUMBERED:
        path = f"/api/v1/quality/publications/{2**70}{suffix}"
        response = await quality.get(path, headers=MINISTRY)
        assert response.status_code == 422, (path, response.status_code, response.text)
        assert ["path", "number"] in [e["loc"] for e in response.json()["errors"]], path


async def test_a_publication_to_read_figures_of_past_what_is_stored_is_refused_naming_it(quality):
    for path in PERIODS[:3]:
        response = await quality.get(f"{path}&period=2025&publication={2**70}", headers=MINISTRY)
        assert response.status_code == 422, (path, response.status_code, response.text)
        assert ["query", "publication"] in [e["loc"] for e in response.json()["errors"]], path
