"""Graduate flows through the real services (registry, quality, the broker; SQLite and
PostgreSQL): the employers' sectors, the cluster's sectors and each employment's employer reach
the quality projection from the registry's events, and the flows are read from them."""

import pytest
from quality.adapters.tables import q_clusters, q_employments, q_organizations
from quality.domain.intervals import wilson_interval
from quality.domain.scorecard import round_figure
from sqlalchemy import select

from tests.integration.quality.conftest import running_quality
from tests.integration.registry.conftest import (
    MINISTRY,
    as_institution,
    create_graduate,
    create_organization,
    headers,
    running_registry,
)
from tests.integration.registry.test_cluster_activities import a_cluster
from tests.integration.registry.test_employments import record
from tests.support import eventually

COHORT = 2024  # create_graduate's year: census 30 June 2025, long closed


@pytest.fixture
async def services(make_database_url, broker):
    """(registry, quality) clients on one broker."""
    servers = broker.bootstrap_servers
    async with running_registry(await make_database_url("registry"), servers) as registry:
        async with running_quality(await make_database_url("quality"), servers) as quality:
            yield registry, quality


async def column(quality, table, name: str) -> list:
    async with quality.app.state.runtime.engine.connect() as conn:
        return list(await conn.scalars(select(table.c[name]).where(table.c[name].is_not(None))))


async def test_a_clusters_graduates_working_in_its_sector_are_read_as_a_flow(services):
    registry, quality = services
    cluster = await a_cluster(registry)  # sectors J, its member institution's program
    # Ten more graduates of the member's program, two at each of five software firms (ISIC J)
    # of the region that are not members; confirmed by the institution, so they count.
    firms = [
        await create_organization(registry, kind="employer", subtype="J", tax_id=f"30200000{e}")
        for e in range(5)
    ]
    for g in range(10):
        graduate = await create_graduate(registry, cluster.program, student_ref=f"F-{g}")
        claim = await record(registry, graduate, firms[g % 5])
        confirmed = await registry.post(
            f"/api/v1/employments/{claim['id']}/confirm",
            headers=as_institution(cluster.institution),
        )
        assert confirmed.status_code == 200, confirmed.text
    path = f"/api/v1/quality/clusters/{cluster.id}/flows?cohort={COHORT}"

    async def flows() -> dict:
        response = await quality.get(path, headers=MINISTRY)
        assert response.status_code in (200, 404), response.text  # 404: cluster not seen yet
        return response.json() if response.status_code == 200 else {"n": None}

    answer = await eventually(
        flows, until=lambda a: a["n"] == 10, what="the ten employments in quality's flows"
    )
    shares = {f["flow"]: f for f in answer["flows"]}
    low, high = wilson_interval(10, 10, answer["interval_level"])
    assert shares["focus_sectors"] == round_figure(
        {"value": 1.0, "ci_low": low, "ci_high": high}, 2
    ) | {"flow": "focus_sectors", "n": 10, "suppressed": False, "reason": None}
    assert {
        f: shares[f]["value"] for f in ("member_employers", "other_in_region", "elsewhere")
    } == {
        "member_employers": 0.0,
        "other_in_region": 0.0,
        "elsewhere": 0.0,
    }
    assert answer["sectors"] == ["J"] and answer["census_date"] == "2025-06-30"
    # What the registry's events carried, kept by the projection.
    assert {f["id"] for f in firms} <= set(await column(quality, q_employments, "employer_id"))
    assert "J" in await column(quality, q_organizations, "subtype")
    assert await column(quality, q_clusters, "sectors") == [["J"]]

    # The region's flows: its own authority and the ministry; a member reads the cluster's.
    region = "/api/v1/quality/regions/UZ-SA/flows?cohort=2024"
    own = await quality.get(region, headers=headers("regional_authority", region="UZ-SA"))
    assert own.status_code == 200, own.text
    assert own.json()["n"] == 10 and own.json()["clusters"] == [cluster.id]
    other = await quality.get(region, headers=headers("regional_authority", region="UZ-TO"))
    assert other.status_code == 403
    member = await quality.get(path, headers=as_institution(cluster.institution))
    assert member.status_code == 200
    # Everyone but the ministry reads the cohort's release (stored at the first such read, as
    # JSON in the service's own database): the figures above, and when they were released.
    released = member.json()
    assert released["released_at"] and released["flows"] == answer["flows"]
    live = await quality.get(f"{path}&view=live", headers=as_institution(cluster.institution))
    assert live.status_code == 403 and "ministry" in live.text
    ministry = await quality.get(f"{path}&view=published", headers=MINISTRY)
    assert ministry.json() == released
    outsider = await quality.get(path, headers=headers("employer", org=cluster.outsider["id"]))
    assert outsider.status_code == 403
    missing = await quality.get(f"/api/v1/quality/clusters/{cluster.id}/flows", headers=MINISTRY)
    assert missing.status_code == 422 and "cohort" in missing.text
