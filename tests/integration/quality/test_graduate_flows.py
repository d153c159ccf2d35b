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
    create_program,
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


async def publish_interim(quality) -> int:
    """The ministry makes an interim publication of the cohort's census year at once."""
    made = await quality.post(
        "/api/v1/quality/publications",
        headers=MINISTRY,
        json={"period": COHORT + 1, "kind": "interim"},
    )
    assert made.status_code == 201, made.text
    return int(made.json()["number"])


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
    assert own.json()["clusters"] == [cluster.id]
    other = await quality.get(region, headers=headers("regional_authority", region="UZ-TO"))
    assert other.status_code == 403
    member = await quality.get(path, headers=as_institution(cluster.institution))
    assert member.status_code == 200
    # Everyone but the ministry reads the flows a publication of the census year (2025)
    # states: none yet, so nothing is shown, not even n.
    assert member.json()["n"] is None and member.json()["publication"] is None
    number = await publish_interim(quality)
    member = await quality.get(path, headers=as_institution(cluster.institution))
    released = member.json()
    assert released["publication"] == {"number": number, "release": "provisional"}
    assert released["released_at"] and released["flows"] == answer["flows"]
    live = await quality.get(f"{path}&view=live", headers=as_institution(cluster.institution))
    assert live.status_code == 403 and "ministry" in live.text
    ministry = await quality.get(f"{path}&view=published", headers=MINISTRY)
    assert ministry.json() == released
    pinned = await quality.get(f"{path}&publication={number}", headers=MINISTRY)
    assert pinned.json() == released
    own = await quality.get(region, headers=headers("regional_authority", region="UZ-SA"))
    assert own.json()["n"] == 10 and own.json()["publication"]["number"] == number
    both = await quality.get(f"{path}&view=live&publication={number}", headers=MINISTRY)
    assert both.status_code == 400 and "publication" in both.text
    outsider = await quality.get(path, headers=headers("employer", org=cluster.outsider["id"]))
    assert outsider.status_code == 403
    missing = await quality.get(f"/api/v1/quality/clusters/{cluster.id}/flows", headers=MINISTRY)
    assert missing.status_code == 422 and "cohort" in missing.text


async def employed(registry, institution: dict, program: dict, employer: dict, ref: str) -> None:
    """A graduate of the cohort employed at ``employer`` on the census date (confirmed by the
    institution, so it counts)."""
    graduate = await create_graduate(registry, program, student_ref=ref)
    claim = await record(registry, graduate, employer)
    confirmed = await registry.post(
        f"/api/v1/employments/{claim['id']}/confirm", headers=as_institution(institution)
    )
    assert confirmed.status_code == 200, confirmed.text


async def test_the_region_less_its_cluster_and_the_next_publication_give_no_graduate_away(
    services,
):
    registry, quality = services
    cluster = await a_cluster(registry)
    firms = [
        await create_organization(registry, kind="employer", subtype="J", tax_id=f"30300000{e}")
        for e in range(5)
    ]
    for g in range(10):  # the member's ten: two at each software firm of the region
        await employed(registry, cluster.institution, cluster.program, firms[g % 5], f"F-{g}")
    # A school of the region outside the cluster: one graduate, at a software firm of the
    # region that is not a member (a focus sector). The region's focus flow less the
    # cluster's would be that graduate.
    school = await create_organization(registry, tax_id="201000077")
    program = await create_program(registry, school, code="60610177")
    await employed(registry, school, program, cluster.outsider, "B-1")
    region_path = f"/api/v1/quality/regions/UZ-SA/flows?cohort={COHORT}"
    cluster_path = f"/api/v1/quality/clusters/{cluster.id}/flows?cohort={COHORT}"

    async def live_n() -> tuple:
        region = await quality.get(region_path, headers=MINISTRY)
        here = await quality.get(cluster_path, headers=MINISTRY)
        return tuple(r.json().get("n") if r.status_code == 200 else None for r in (region, here))

    await eventually(live_n, until=lambda n: n == (11, 10), what="the eleven employed")
    first = await publish_interim(quality)

    authority = headers("regional_authority", region="UZ-SA")
    member = as_institution(cluster.institution)
    region = (await quality.get(region_path, headers=authority)).json()
    mine = (await quality.get(cluster_path, headers=member)).json()
    assert (region["n"], mine["n"], region["publication"]["number"]) == (11, 10, first)
    shown = {f["flow"]: f["value"] for f in mine["flows"]}
    assert shown["focus_sectors"] == 1.0  # the cluster's ten, all in its sector
    region_focus = {f["flow"]: f for f in region["flows"]}["focus_sectors"]
    assert region_focus["value"] is None  # 11 − 10 would say where the school's graduate works
    # ... and one more with it, the school's graduate may be in either (methodology.md).
    assert {f["flow"] for f in region["flows"] if f["suppressed"]} == {
        "focus_sectors",
        "elsewhere",
    }

    # One more graduate of the member employed (a late confirmation), a publication later:
    # the readers' flows do not move, so the two give nothing away; the ministry's live do.
    await employed(registry, cluster.institution, cluster.program, firms[0], "F-late")
    await eventually(live_n, until=lambda n: n == (12, 11), what="the late employment")
    second = await publish_interim(quality)
    again = (await quality.get(cluster_path, headers=member)).json()
    assert again["publication"]["number"] == second
    assert {k: v for k, v in again.items() if k != "publication"} == {
        k: v for k, v in mine.items() if k != "publication"
    }
