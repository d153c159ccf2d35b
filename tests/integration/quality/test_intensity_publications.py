"""Activity intensity under the disclosure rules of every figure (issue 17; SQLite and
PostgreSQL): everyone but the ministry reads the intensity a publication states, so two reads a
moment apart give no graduate away, and the clusters' tables are protected together, so one
cluster's table against an overlapping one's gives no hidden cohort back."""

from tests.integration.quality.test_graduate_flows import services  # noqa: F401  (fixture)
from tests.integration.registry.conftest import (
    MINISTRY,
    as_institution,
    create_graduate,
    create_organization,
    create_program,
)
from tests.integration.registry.test_cluster_activities import Cluster, a_cluster, internship
from tests.support import eventually

YEAR = 2024  # the internships' year and the graduates' cohort


async def publish_interim(quality) -> int:
    made = await quality.post(
        "/api/v1/quality/publications", headers=MINISTRY, json={"period": YEAR, "kind": "interim"}
    )
    assert made.status_code == 201, made.text
    return int(made.json()["number"])


async def graduates(registry, program: dict, prefix: str, count: int) -> None:
    for n in range(count):
        await create_graduate(registry, program, student_ref=f"{prefix}-{n}")


async def running_internship(registry, cluster: Cluster, cluster_id: str, **outcome) -> None:
    """A running internship of ``cluster_id`` (members involved: ``member_ids``)."""
    body = internship(cluster, **outcome)
    body["member_ids"] = outcome.pop("member_ids", body["member_ids"])
    body["outcome"].pop("member_ids", None)
    coordinator = as_institution(cluster.coordinator)
    url = f"/api/v1/clusters/{cluster_id}/activities"
    created = await registry.post(url, headers=coordinator, json=body)
    assert created.status_code == 201, created.text
    running = await registry.patch(
        f"{url}/{created.json()['id']}", headers=coordinator, json={"status": "running"}
    )
    assert running.status_code == 200, running.text


async def read(quality, cluster_id: str, reader: dict, query: str = "") -> dict:
    response = await quality.get(
        f"/api/v1/quality/clusters/{cluster_id}/activities/intensity?year={YEAR}{query}",
        headers=reader,
    )
    assert response.status_code in (200, 404), response.text  # 404: cluster not seen yet
    return response.json() if response.status_code == 200 else {"years": [], "programs": []}


def cohorts(answer: dict) -> dict:
    """The cluster's cohort and each program's, as shown (None: hidden)."""
    years = [y["graduates"] for y in answer["years"]]
    return {"cluster": years[0] if years else "none"} | {
        p["program_id"]: p["graduates"] for p in answer["programs"]
    }


async def test_a_readers_intensity_moves_only_with_a_publication(services):  # noqa: F811
    registry, quality = services
    cluster = await a_cluster(registry)  # its program has 2 graduates of 2024
    await graduates(registry, cluster.program, "G", 10)
    await running_internship(registry, cluster, cluster.id)
    program = cluster.program["id"]
    await eventually(
        lambda: read(quality, cluster.id, MINISTRY),
        until=lambda a: cohorts(a).get(program) == 12,
        what="the twelve graduates and the internship in quality",
    )
    member = as_institution(cluster.institution)
    number = await publish_interim(quality)
    before = await read(quality, cluster.id, member)
    assert before["publication"] == {"number": number, "release": "provisional"}
    assert cohorts(before)[program] == 12

    # One more graduate: the ministry's live view moves, a member's read does not (before,
    # the two reads differed by exactly that graduate).
    await create_graduate(registry, cluster.program, student_ref="G-late")
    await eventually(
        lambda: read(quality, cluster.id, MINISTRY),
        until=lambda a: cohorts(a).get(program) == 13,
        what="the late graduate in quality",
    )
    assert await read(quality, cluster.id, member) == before
    live = await quality.get(
        f"/api/v1/quality/clusters/{cluster.id}/activities/intensity?view=live", headers=member
    )
    assert live.status_code == 403

    second = await publish_interim(quality)
    after = await read(quality, cluster.id, member)
    assert (after["publication"]["number"], cohorts(after)[program]) == (second, 13)
    pinned = await read(quality, cluster.id, member, f"&publication={number}")
    assert pinned == before


async def test_an_overlapping_clusters_table_gives_no_hidden_cohort_back(services):  # noqa: F811
    registry, quality = services
    outer = await a_cluster(registry)  # K1: its institution's program p has 2 graduates
    p = outer.program
    await graduates(registry, p, "P", 1)  # 3: hidden everywhere
    q = await create_program(registry, outer.institution, code="60610101")
    await graduates(registry, q, "Q", 12)
    school = await create_organization(registry, tax_id="201000010")
    b = await create_program(registry, school, code="60610102")
    await graduates(registry, b, "B", 11)
    joined = await registry.post(
        f"/api/v1/clusters/{outer.id}/members",
        headers=MINISTRY,
        json={"organization_id": school["id"], "role": "education", "joined_on": "2024-01-01"},
    )
    assert joined.status_code == 201, joined.text
    # K2 ⊂ K1: the institution alone (with the employer), both its programs reached.
    created = await registry.post(
        "/api/v1/clusters",
        headers=MINISTRY,
        json={
            "name": "Samarkand software",
            "region_code": "UZ-SA",
            "sectors": ["J"],
            "coordinator_id": outer.coordinator["id"],
        },
    )
    assert created.status_code == 201, created.text
    inner = created.json()["id"]
    for organization, role in ((outer.institution, "education"), (outer.employer, "employer")):
        member = await registry.post(
            f"/api/v1/clusters/{inner}/members",
            headers=MINISTRY,
            json={"organization_id": organization["id"], "role": role, "joined_on": "2024-01-01"},
        )
        assert member.status_code == 201, member.text
    for program in (p, q):
        await running_internship(registry, outer, outer.id, program_id=program["id"])
        await running_internship(registry, outer, inner, program_id=program["id"])
    await running_internship(
        registry,
        outer,
        outer.id,
        program_id=b["id"],
        member_ids=[school["id"], outer.employer["id"]],
    )

    async def live() -> tuple[dict, dict]:
        return tuple(  # type: ignore[return-value]
            [cohorts(await read(quality, c, MINISTRY)) for c in (outer.id, inner)]
        )

    # Each table protected on its own: K2 hides p (3) and q (12) to protect it, K1 hides p
    # and b (11, its smallest other) and shows q. K2's 15 less K1's q give p back.
    k1, k2 = await eventually(
        live,
        until=lambda t: t[0].get("cluster") == 26 and t[1].get("cluster") == 15,
        what="both clusters' cohorts in quality",
    )
    assert (k2[p["id"]], k2[q["id"]], k1[q["id"]]) == (None, None, 12)
    assert k2["cluster"] - k1[q["id"]] == 3  # the ministry's live view: each table on its own

    number = await publish_interim(quality)
    reader = as_institution(outer.institution)  # a member of both
    k1, k2 = [cohorts(await read(quality, c, reader)) for c in (outer.id, inner)]
    assert (k1[p["id"]], k2[p["id"]]) == (None, None)
    # q is hidden in both tables: what K2's total less the cohorts shown leaves is p + q.
    assert (k1[q["id"]], k2[q["id"]], k2["cluster"]) == (None, None, 15)
    summary = (await quality.get(f"/api/v1/quality/publications/{number}", headers=MINISTRY)).json()
    assert summary["summary"]["intensity"]["unprotected"] == 0
    assert summary["summary"]["intensity"]["clusters"] == 2


async def test_a_later_publication_of_the_year_gives_no_cohort_hidden_earlier_back(
    services,  # noqa: F811
):
    registry, quality = services
    cluster = await a_cluster(registry)
    q = cluster.program  # 2 graduates, 3 below: hidden in every publication
    await graduates(registry, q, "Q", 1)
    p = await create_program(registry, cluster.institution, code="60610103")
    await graduates(registry, p, "P", 20)
    r = await create_program(registry, cluster.institution, code="60610104")
    await graduates(registry, r, "R", 12)
    for program in (p, q, r):
        await running_internship(registry, cluster, cluster.id, program_id=program["id"])
    await eventually(
        lambda: read(quality, cluster.id, MINISTRY),
        until=lambda a: cohorts(a).get("cluster") == 35,
        what="the three cohorts in quality",
    )
    # The first publication hides q (3) and r (12, the smallest other) and shows p (20) and
    # the total (35).
    first = await publish_interim(quality)
    member = as_institution(cluster.institution)
    k1 = cohorts(await read(quality, cluster.id, member))
    assert (k1["cluster"], k1[p["id"]], k1[q["id"]], k1[r["id"]]) == (35, 20, None, None)

    # Thirteen more graduates of r: on its own the second publication would hide q and p (20,
    # now the smallest other) and show r (25) and the total (48); with the first, 48 − 25 − 20
    # give q's 3 back. Audited with the first, it hides r instead (48 − 20 leave q + r).
    await graduates(registry, r, "R-late", 13)
    await eventually(
        lambda: read(quality, cluster.id, MINISTRY),
        until=lambda a: cohorts(a).get("cluster") == 48,
        what="the late graduates in quality",
    )
    second = await publish_interim(quality)
    answer = await read(quality, cluster.id, member)
    k2 = cohorts(answer)
    # The table kept for the audit of later publications (every true cohort) is not read.
    assert "table" not in answer and all("table" not in y for y in answer["years"])
    assert cohorts(await read(quality, cluster.id, member, f"&publication={first}")) == k1
    assert k2[q["id"]] is None
    assert None in (k2["cluster"], k2[r["id"]]), "48 − 25 − 20 would give q's 3 back"
    made = (await quality.get(f"/api/v1/quality/publications/{second}", headers=MINISTRY)).json()
    assert made["summary"]["intensity"]["unprotected"] == 0
