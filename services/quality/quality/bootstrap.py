"""The one place where the quality service is wired together."""

from fastapi import FastAPI

from quality.config import QualitySettings
from quality.entrypoints.consumers import CONSUMERS
from quality.entrypoints.http import ROUTERS
from quality.service_layer.methodology import ensure_default
from quality.service_layer.publications import run_interim_publisher
from quality.service_layer.publisher import run_publisher
from quality.service_layer.unit_of_work import SqlQualityUnitOfWork, quality_uow
from shared.platform.runtime import Runtime, ServiceSpec, create_service_app


async def _publish_default_methodology(runtime: Runtime[QualitySettings]) -> None:
    await ensure_default(lambda: quality_uow(runtime.uow_factory()))


async def _publish_scores(runtime: Runtime[QualitySettings]) -> None:
    settings = runtime.settings
    await run_publisher(
        lambda: quality_uow(runtime.uow_factory()),
        window_s=settings.score_window_s,
        reconcile_every_s=settings.score_reconcile_every_s,
        rank_every_s=settings.rank_every_s,
    )


async def _publish_interim(runtime: Runtime[QualitySettings]) -> None:
    await run_interim_publisher(
        lambda: quality_uow(runtime.uow_factory()),
        lambda: quality_uow(runtime.read_uow_factory()),
        every_s=runtime.settings.interim_every_s,
    )


def create_app(settings: QualitySettings | None = None) -> FastAPI:
    """The quality service's app, with ``settings`` or those of the environment."""
    return create_service_app(
        ServiceSpec(
            name="quality",
            title="EduCluster quality",
            settings=settings or QualitySettings(),
            unit_of_work=SqlQualityUnitOfWork,
            routers=ROUTERS,
            consumers=CONSUMERS,
            on_start=_publish_default_methodology,
            loops=[
                ("score-publisher", _publish_scores),
                ("interim-publisher", _publish_interim),
            ],
        )
    )
