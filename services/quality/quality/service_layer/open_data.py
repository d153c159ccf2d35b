"""A published publication as open data (domain/open_data.py shapes it)."""

from quality.domain.model import COUNTRY, ScopeKey
from quality.domain.open_data import Names, Row, rows
from quality.domain.publication import Publication
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.contracts.reference import regions
from shared.platform.errors import NotFound

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


async def figures(uow: AbstractQualityUnitOfWork, number: int) -> tuple[Publication, list[Row]]:
    """The publication and its tidy rows."""
    publication = await published(uow, number)
    return publication, rows(publication, await uow.publications.cards(number), await names(uow))
