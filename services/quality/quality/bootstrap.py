"""The one place where the quality service is wired together."""

from fastapi import FastAPI

from quality.adapters.registry_projection import REGISTRY_HANDLERS
from quality.config import QualitySettings
from quality.entrypoints import analysis, methodology, scores
from quality.service_layer.aggregation import ASSESSMENT_HANDLERS
from quality.service_layer.methodology import ensure_default
from quality.service_layer.publisher import run_publisher
from shared.platform.names import ASSESSMENT_TOPIC, REGISTRY_TOPIC
from shared.platform.runtime import ConsumerSpec, Runtime, ServiceSpec, create_service_app


async def _publish_default_methodology(runtime: Runtime) -> None:
    await ensure_default(runtime.uow_factory)


async def _publish_scores(runtime: Runtime) -> None:
    settings: QualitySettings = runtime.spec.settings  # type: ignore[assignment]
    await run_publisher(runtime.uow_factory, window_s=settings.score_window_s)


def create_app(settings: QualitySettings | None = None) -> FastAPI:
    return create_service_app(
        ServiceSpec(
            name="quality",
            title="EduCluster quality",
            settings=settings or QualitySettings(),
            routers=[methodology.router, analysis.router, scores.router],
            consumers=[
                ConsumerSpec(
                    purpose="scoring",
                    topics=(REGISTRY_TOPIC, ASSESSMENT_TOPIC),
                    handlers={**REGISTRY_HANDLERS, **ASSESSMENT_HANDLERS},
                ),
            ],
            on_start=_publish_default_methodology,
            loops=[("score-publisher", _publish_scores)],
        )
    )
