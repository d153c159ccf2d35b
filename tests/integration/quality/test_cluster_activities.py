"""A cluster's activities through the real services (registry, quality, the broker; SQLite and
PostgreSQL): an internship recorded in the registry reaches the quality projection once, and
its intensity is read from the quality service by those who may."""

import pytest
from quality.adapters.tables import q_cluster_activities, q_cluster_goals

from tests.integration.quality.conftest import running_quality
from tests.integration.quality.test_analysis import count
from tests.integration.registry.conftest import MINISTRY, as_institution, headers, running_registry
from tests.integration.registry.test_cluster_activities import a_cluster, a_goal, internship
from tests.support import eventually


@pytest.fixture
async def services(make_database_url, broker):
    """(registry, quality) clients on one broker."""
    servers = broker.bootstrap_servers
    async with running_registry(await make_database_url("registry"), servers) as registry:
        async with running_quality(await make_database_url("quality"), servers) as quality:
            yield registry, quality


async def test_an_internship_recorded_in_the_registry_is_read_as_intensity_in_quality(services):
    registry, quality = services
    cluster = await a_cluster(registry)
    coordinator = as_institution(cluster.coordinator)
    created = await registry.post(cluster.url(), headers=coordinator, json=internship(cluster))
    assert created.status_code == 201, created.text
    running = await registry.patch(
        cluster.url(f"activities/{created.json()['id']}"),
        headers=coordinator,
        json={"status": "running"},  # a planned internship has done nothing yet
    )
    assert running.status_code == 200, running.text
    goal = await registry.post(cluster.url("goals"), headers=coordinator, json=a_goal())
    assert goal.status_code == 201, goal.text
    path = f"/api/v1/quality/clusters/{cluster.id}"

    async def intensity() -> dict:
        response = await quality.get(f"{path}/activities/intensity", headers=MINISTRY)
        assert response.status_code in (200, 404), response.text  # 404: cluster not seen yet
        return response.json() if response.status_code == 200 else {"years": []}

    def internships(answer: dict) -> dict | None:
        years = [y for y in answer["years"] if y["year"] == 2024]
        return years[0]["placements"]["internship"] if years else None

    # 10 places offered, 2 filled, for the 2 graduates of the member's program in 2024: too
    # few to show, so neither their number nor a rate per 100 of them is shown (the graduates'
    # events travel on other partitions than the cluster's, so they may come later).
    small = "fewer than 10 graduates"
    expected = {
        "offered": 10,
        "filled": 2,
        "offered_per_100": None,
        "filled_per_100": None,
        "n": None,
        "reason": small,
    }
    figures = await eventually(
        intensity,
        until=lambda a: internships(a) == expected,
        what="the running internship and the cohort in quality",
    )
    (program,) = figures["programs"]
    assert (program["program_id"], program["graduates"]) == (cluster.program["id"], None)
    assert program["reason"] == small
    assert await count(quality, q_cluster_activities) == 1  # recorded, then updated: one row
    await eventually(
        lambda: count(quality, q_cluster_goals), until=lambda n: n == 1, what="the goal"
    )

    # The cluster's members read it too; an organization outside it does not.
    member = await quality.get(
        f"{path}/activities/intensity", headers=as_institution(cluster.institution)
    )
    assert member.status_code == 200
    outsider = await quality.get(
        f"{path}/goals/progress", headers=headers("employer", org=cluster.outsider["id"])
    )
    assert outsider.status_code == 403
    assert outsider.headers["content-type"].startswith("application/problem+json")
    # No publication yet: the goal's progress cannot be told.
    progress = await quality.get(f"{path}/goals/progress", headers=MINISTRY)
    assert progress.status_code == 200, progress.text
    (item,) = progress.json()["goals"]
    assert (item["status"], item["figure"]) == ("undetermined", None)
    effect = await quality.get(f"{path}/activities/effect?kind=funding", headers=MINISTRY)
    assert effect.status_code == 422  # funding reaches no program
    assert "kind" in effect.text
