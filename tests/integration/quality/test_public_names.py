"""GET /quality/names: the names of what the quality service scores, for readers of public
scores who have no token to ask the registry with. Names and ids or codes only."""

from tests.integration.quality.conftest import running_quality
from tests.integration.registry.conftest import (
    MINISTRY,
    as_institution,
    create_organization,
    create_program,
    headers,
    running_registry,
)
from tests.integration.registry.test_clusters_and_programs import make_cluster
from tests.support import eventually

NAMES = "/api/v1/quality/names"


async def test_anyone_reads_the_names_of_scored_units_when_scores_are_public(
    make_database_url, broker
):
    servers = broker.bootstrap_servers
    async with (
        running_registry(await make_database_url("registry"), servers) as registry,
        running_quality(await make_database_url("quality"), servers, public_scores=True) as quality,
    ):
        university = await create_organization(registry, name="Samarqand davlat universiteti")
        program = await create_program(registry, university)
        employer = await create_organization(
            registry, kind="employer", subtype="J", tax_id="301234567", name="IT Park"
        )
        cluster = (await make_cluster(registry, university)).json()

        named = await eventually(
            lambda: quality.get(NAMES),  # no token at all
            # Each fact is projected as its event arrives: wait for all three, not the last sent.
            until=lambda r: (
                r.status_code == 200
                and all(r.json()[kind] for kind in ("clusters", "organizations", "programs"))
            ),
            what="the cluster, the university and its program projected",
        )

    names = named.json()
    assert names["organizations"] == [
        {"id": university["id"], "name": "Samarqand davlat universiteti", "region_code": "UZ-SA"}
    ]  # the employer is scored nowhere: not named
    assert employer["id"] not in named.text
    assert names["programs"] == [
        {"id": program["id"], "name": "Program 60610100", "institution_id": university["id"]}
    ]
    assert names["clusters"] == [{"id": cluster["id"], "name": "Samarkand IT cluster"}]
    assert len(names["regions"]) == 14
    samarqand = next(r for r in names["regions"] if r["code"] == "UZ-SA")
    assert samarqand == {
        "code": "UZ-SA",
        "name": "Samarqand viloyati",
        "name_uz": "Samarqand viloyati",
        "name_ru": "Самаркандская область",
        "name_en": "Samarkand Region",
    }
    # Nothing but names and ids: no contacts, no tax ids, no members.
    for field in ("tax_id", "contact", "members", "coordinator_id", "kind", "sectors"):
        assert field not in named.text


async def test_names_need_a_token_unless_scores_are_public(make_database_url, broker):
    for public, anonymous in ((False, 401), (True, 200)):
        async with running_quality(
            await make_database_url(f"quality-{public}"),
            broker.bootstrap_servers,
            public_scores=public,
        ) as quality:
            assert (await quality.get(NAMES)).status_code == anonymous
            assert (await quality.get(NAMES, headers=headers("operator"))).status_code == 403
            for reader in (MINISTRY, as_institution({"id": "x"})):
                assert (await quality.get(NAMES, headers=reader)).status_code == 200
            # A token that is there but broken is refused, public scores or not.
            broken = {"Authorization": "Bearer not-a-token"}
            assert (await quality.get(NAMES, headers=broken)).status_code == 401
