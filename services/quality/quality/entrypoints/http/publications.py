"""Publications: list and read them, open one (ministry), review a draft (institutions query
their own figures, the ministry answers), publish it, and download it as open data."""

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import PlainTextResponse

from quality.domain.access import ensure_may_publish
from quality.domain.model import Scope
from quality.domain.open_data import COLUMNS, datapackage, to_csv
from quality.domain.publication import FigureQuery, Publication
from quality.entrypoints.deps import (
    LAST_PUBLICATION,
    OptionalPeriod,
    Reader,
    ReadUowFactoryDep,
    SettingsDep,
    UowFactoryDep,
)
from quality.entrypoints.schemas import (
    NewQuery,
    OpenPublication,
    PublicationPublic,
    PublishDraft,
    QueryAnswer,
    QueryPublic,
    ScorePublic,
)
from quality.service_layer import open_data
from quality.service_layer import publications as handlers
from quality.service_layer.publication_audit import audit_report
from quality.service_layer.reading import Document, document
from shared.platform.names import API_PREFIX
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page

Number = Annotated[int, Path(ge=1, le=LAST_PUBLICATION)]

router = APIRouter(prefix=f"{API_PREFIX}/quality/publications", tags=["publications"])


def _shown(publication: Publication) -> dict[str, Any]:
    return {**asdict(publication), "release": publication.release}


def _query(query: FigureQuery) -> dict[str, Any]:
    return asdict(query)


@router.get("", response_model=Page[PublicationPublic], summary="Publications, newest first")
async def list_publications(
    reader: Reader,
    uow_factory: UowFactoryDep,
    period: OptionalPeriod = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    reviewer = reader is not None and reader.is_("ministry", "institution")
    async with uow_factory() as uow:
        page = await uow.publications.page(
            period=period, with_drafts=reviewer, limit=limit, cursor=cursor
        )
    return Page(items=[_shown(p) for p in page.items], next_cursor=page.next_cursor)


@router.post(
    "",
    status_code=201,
    response_model=PublicationPublic,
    summary="Open an official release of a period for review, or make an interim publication",
)
async def open_publication(
    body: OpenPublication,
    identity: CurrentIdentity,
    uow_factory: UowFactoryDep,
    read_uow_factory: ReadUowFactoryDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    publication = await handlers.open_release(
        uow_factory,
        read_uow_factory,
        identity,
        period=body.period,
        kind=body.kind,
        restate=body.restate,
        reason=body.reason,
        review_s=settings.review_window_s,
    )
    return _shown(publication)


@router.get("/{number}", response_model=PublicationPublic, summary="One publication")
async def get_publication(
    number: Number, reader: Reader, uow_factory: UowFactoryDep
) -> dict[str, Any]:
    async with uow_factory() as uow:
        return _shown(await handlers.readable_publication(uow, reader, number))


@router.get(
    "/{number}/figures",
    response_model=list[ScorePublic],
    summary="A publication's scorecards of one kind of scope (a draft: reviewers, own figures)",
)
async def get_figures(
    number: Number,
    scope: Scope,
    reader: Reader,
    uow_factory: UowFactoryDep,
    pooled: bool = False,
) -> list[Document]:
    async with uow_factory() as uow:
        publication = await handlers.readable_publication(uow, reader, number)
        own = None
        if publication.status == "draft" and reader is not None:
            own = await handlers.own_scopes(uow, reader)
        figures = await uow.publications.figures(number).of_scope(
            scope, period=publication.period, pooled=pooled
        )
    return [document(f) for f in figures if own is None or f.key in own]


@router.post(
    "/{number}/publish",
    response_model=PublicationPublic,
    summary="Publish a reviewed draft (ministry): never changed afterwards",
)
async def publish(
    number: Number, body: PublishDraft, identity: CurrentIdentity, uow_factory: UowFactoryDep
) -> dict[str, Any]:
    async with uow_factory() as uow:
        published = await handlers.publish_release(
            uow, identity, number, close_review=body.close_review
        )
        await uow.commit()
    return _shown(published)


@router.get(
    "/{number}/queries",
    response_model=list[QueryPublic],
    summary="Queries on a draft's figures (ministry: all; an institution: its own)",
)
async def list_queries(
    number: Number, identity: CurrentIdentity, uow_factory: UowFactoryDep
) -> list[dict[str, Any]]:
    async with uow_factory() as uow:
        return [_query(q) for q in await handlers.queries_seen_by(uow, identity, number)]


@router.post(
    "/{number}/queries",
    status_code=201,
    response_model=QueryPublic,
    summary="Query one of your own figures in a draft under review (institution)",
)
async def file_query(
    number: Number, body: NewQuery, identity: CurrentIdentity, uow_factory: UowFactoryDep
) -> dict[str, Any]:
    async with uow_factory() as uow:
        query = await handlers.file_query(
            uow,
            identity,
            number,
            key=(body.scope, body.scope_id),
            pooled=body.pooled,
            indicator=body.indicator,
            reason=body.reason,
        )
        await uow.commit()
    return _query(query)


@router.post(
    "/{number}/queries/{query_id}/answer",
    response_model=QueryPublic,
    summary="Answer a query (ministry)",
)
async def answer_query(
    number: Number,
    query_id: str,
    body: QueryAnswer,
    identity: CurrentIdentity,
    uow_factory: UowFactoryDep,
) -> dict[str, Any]:
    async with uow_factory() as uow:
        query = await handlers.answer_query(uow, identity, number, query_id, body.answer)
        await uow.commit()
    return _query(query)


@router.get(
    "/{number}/data.csv",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/csv": {}}}},
    summary="A published publication's figures, and the graduate flows the reader may read, "
    "as tidy CSV (open data)",
)
async def data_csv(number: Number, reader: Reader, uow_factory: UowFactoryDep) -> PlainTextResponse:
    async with uow_factory() as uow:
        _publication, table = await open_data.figures(uow, number, reader)
    return PlainTextResponse(to_csv(table), media_type="text/csv; charset=utf-8")


@router.get(
    "/{number}/data.json",
    summary="A published publication's figures, and the graduate flows the reader may read, "
    "as tidy JSON rows (open data)",
)
async def data_json(number: Number, reader: Reader, uow_factory: UowFactoryDep) -> dict[str, Any]:
    async with uow_factory() as uow:
        publication, table = await open_data.figures(uow, number, reader)
    return {"publication": _shown(publication), "columns": list(COLUMNS), "rows": table}


@router.get(
    "/{number}/datapackage.json",
    summary="The Frictionless Data package describing data.csv",
)
async def data_package(number: Number, _: Reader, uow_factory: UowFactoryDep) -> dict[str, Any]:
    async with uow_factory() as uow:
        publication = await open_data.published(uow, number)
    return datapackage(publication, csv_path="data.csv")


@router.get(
    "/{number}/audit",
    summary="The disclosure audit of a published publication (ministry)",
)
async def get_audit(
    number: Number, identity: CurrentIdentity, uow_factory: UowFactoryDep
) -> dict[str, Any]:
    ensure_may_publish(identity)
    async with uow_factory() as uow:
        return await audit_report(uow, number)
