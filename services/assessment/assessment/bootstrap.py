"""The one place where the assessment service is wired together."""

from fastapi import FastAPI

from assessment.config import AssessmentSettings
from shared.runtime import ServiceSpec, create_service_app


def create_app(settings: AssessmentSettings | None = None) -> FastAPI:
    return create_service_app(
        ServiceSpec(
            name="assessment",
            title="EduCluster assessment",
            settings=settings or AssessmentSettings(),
            publishes=True,
        )
    )
