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


async def figures(uow: AbstractQualityUnitOfWork, number: int) -> tuple[Publication, list[Row]]:
    """The publication and its tidy rows."""
    publication = await published(uow, number)
    return publication, rows(publication, await uow.publications.cards(number), await names(uow))
