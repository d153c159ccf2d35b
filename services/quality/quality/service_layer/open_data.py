"""A published publication as open data (domain/open_data.py shapes it)."""

from typing import cast

from quality.domain.flows import ensure_may_read_region_flows
from quality.domain.model import COUNTRY, ScopeKey
from quality.domain.open_data import Names, Row, flow_rows, rows
from quality.domain.publication import Publication
from quality.service_layer.activities import readable_cluster
from quality.service_layer.flows import released_in
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.contracts.reference import regions
from shared.platform.auth import Identity
from shared.platform.errors import Forbidden, NotFound

NATION: dict[str, str | None] = {
    "name": "O‘zbekiston Respublikasi",
    "name_uz": "O‘zbekiston Respublikasi",
    "name_ru": "Республика Узбекистан",
    "name_en": "Republic of Uzbekistan",
}


async def published(uow: AbstractQualityUnitOfWork, number: int) -> Publication:
    """A published publication (a draft is no open data: NotFound)."""
    publication = await uow.publications.get(number)
    if publication is None or publication.status != "published":
        raise NotFound("published publication", str(number))
    return publication


async def names(uow: AbstractQualityUnitOfWork) -> Names:
    """Every scope's names: as registered, and in three languages where the registry has them
    (regions, from the reference data, and the nation)."""
    named: dict[ScopeKey, dict[str, str | None]] = {
        key: {"name": name} for key, name in (await uow.queries.scope_names()).items()
    }
    for region in regions(COUNTRY):
        named[("region", region.code)] = {
            "name": region.name_uz,
            "name_uz": region.name_uz,
            "name_ru": region.name_ru,
            "name_en": region.name_en,
        }
    named[("national", COUNTRY)] = NATION
    return named


async def scored_names(uow: AbstractQualityUnitOfWork) -> dict[str, list[dict[str, str | None]]]:
    """The names of what is scored, for readers without a token to ask the registry with:
    regions (in three languages), institutions with their region, clusters, and programs with
    their institution. Names and ids or codes only. An organization that owns no program (an
    employer) is scored nowhere, so it is not named."""
    owners = await uow.queries.program_owners()  # program → its institution
    institutions = set(owners.values())
    regions_of = await uow.queries.organization_regions()
    units: dict[str, list[dict[str, str | None]]] = {
        "regions": [],
        "organizations": [],
        "clusters": [],
        "programs": [],
    }
    for (scope, unit_id), named in sorted((await names(uow)).items()):
        if scope == "region":
            units["regions"].append({"code": unit_id, **named})
        elif scope == "organization" and unit_id in institutions:
            region_code = regions_of.get(unit_id)
            units["organizations"].append(
                {"id": unit_id, "name": named["name"], "region_code": region_code}
            )
        elif scope == "cluster":
            units["clusters"].append({"id": unit_id, "name": named["name"]})
        elif scope == "program":
            institution = owners.get(unit_id)
            units["programs"].append(
                {"id": unit_id, "name": named["name"], "institution_id": institution}
            )
    return units


async def figures(
    uow: AbstractQualityUnitOfWork, number: int, reader: Identity | None
) -> tuple[Publication, list[Row]]:
    """The publication and its tidy rows: its figures, then the graduate flows it states that
    ``reader`` may read (as GET …/flows: none for an anonymous reader)."""
    publication = await published(uow, number)
    named = await names(uow)
    table = rows(publication, await uow.publications.cards(number), named)
    stated = await uow.publications.flows(number)
    readable = {
        cast(ScopeKey, key): document  # a cluster's or a region's
        for key, document in stated.items()
        if await _may_read(uow, reader, scope=key[0], scope_id=key[1])
    }
    if readable:
        # The flows are stated under the methodology of the publication that computed them.
        source = await uow.publications.get(released_in(publication) or number)
        version = (source or publication).methodology_version
        table += flow_rows(publication, readable, named, methodology_version=version)
    return publication, table


async def _may_read(
    uow: AbstractQualityUnitOfWork, reader: Identity | None, *, scope: str, scope_id: str
) -> bool:
    """Whether ``reader`` reads the flows of the scope (the rules of GET …/flows)."""
    if reader is None:
        return False
    try:
        if scope == "region":
            ensure_may_read_region_flows(reader, region_code=scope_id)
        else:
            await readable_cluster(uow, reader, scope_id)
    except (Forbidden, NotFound):
        return False
    return True
