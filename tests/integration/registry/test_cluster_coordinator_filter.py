"""GET /clusters?coordinator_id= lists the clusters one organization coordinates (the
dashboard's coordinator workspace asks for those, not for every cluster)."""

from tests.integration.registry.conftest import MINISTRY, create_organization, headers
from tests.integration.registry.test_clusters_and_programs import make_cluster


async def test_clusters_are_filtered_by_their_coordinator(registry):
    university = await create_organization(registry)
    college = await create_organization(registry, tax_id="201234568", region_code="UZ-TO")
    employer = await create_organization(registry, kind="employer", subtype="J", tax_id="301234567")
    own = [(await make_cluster(registry, university)).json() for _ in range(2)]
    other = (await make_cluster(registry, college, region_code="UZ-TO")).json()

    async def coordinated_by(organization_id: str, extra: str = "") -> list[str]:
        # As the coordinator itself asks (an institution, a reader of every cluster).
        reader = headers("institution", org=organization_id)
        path = f"/api/v1/clusters?coordinator_id={organization_id}{extra}"
        response = await registry.get(path, headers=reader)
        assert response.status_code == 200, response.text
        return sorted(cluster["id"] for cluster in response.json()["items"])

    assert await coordinated_by(university["id"]) == sorted(c["id"] for c in own)
    assert await coordinated_by(college["id"]) == [other["id"]]
    assert await coordinated_by(employer["id"]) == []
    assert await coordinated_by(university["id"], "&region=UZ-TO") == []
    assert await coordinated_by(college["id"], "&region=UZ-TO") == [other["id"]]
    # Paged like every list: one at a time, the cursor reaches the second.
    first = await registry.get(
        f"/api/v1/clusters?coordinator_id={university['id']}&limit=1", headers=MINISTRY
    )
    page = first.json()
    assert len(page["items"]) == 1 and page["next_cursor"]
    second = await registry.get(
        f"/api/v1/clusters?coordinator_id={university['id']}&limit=1&cursor={page['next_cursor']}",
        headers=MINISTRY,
    )
    both = {page["items"][0]["id"], *(c["id"] for c in second.json()["items"])}
    assert both == {c["id"] for c in own}
    # Empty, as the other filters: no filter at all.
    unfiltered = await registry.get("/api/v1/clusters?coordinator_id=", headers=MINISTRY)
    assert len(unfiltered.json()["items"]) == 3


async def test_a_coordinator_id_no_organization_can_have_is_refused_naming_it(registry):
    # A NUL byte reached PostgreSQL (a 500 there) before ids were held to an id's characters.
    for odd in ("x" * 37, "%00", "%27%3B--"):
        response = await registry.get(f"/api/v1/clusters?coordinator_id={odd}", headers=MINISTRY)
        assert response.status_code == 422, response.text
        assert ["query", "coordinator_id"] in [e["loc"] for e in response.json()["errors"]]
