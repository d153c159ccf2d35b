"""The one place where the quality service is wired together."""

from fastapi import FastAPI

from quality.config import QualitySettings
from shared.runtime import ServiceSpec, create_service_app


def create_app(settings: QualitySettings | None = None) -> FastAPI:
    return create_service_app(
        ServiceSpec(
            name="quality",
            title="EduCluster quality",
            settings=settings or QualitySettings(),
            publishes=True,
        )
    )
