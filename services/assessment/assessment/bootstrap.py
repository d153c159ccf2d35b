"""The one place where the assessment service is wired together."""

from fastapi import FastAPI

from assessment.config import AssessmentSettings
from assessment.entrypoints.consumers import CONSUMERS
from assessment.entrypoints.http import ROUTERS
from assessment.service_layer.frameworks import ensure_default
from assessment.service_layer.reminders import remind
from assessment.service_layer.unit_of_work import SqlAssessmentUnitOfWork, assessment_uow
from shared.platform.runtime import Runtime, ServiceSpec, create_service_app


async def _publish_default_framework(runtime: Runtime[AssessmentSettings]) -> None:
    await ensure_default(lambda: assessment_uow(runtime.uow_factory()))


def create_app(settings: AssessmentSettings | None = None) -> FastAPI:
    """The assessment service's app, with ``settings`` or those of the environment."""
    return create_service_app(
        ServiceSpec(
            name="assessment",
            title="EduCluster assessment",
            settings=settings or AssessmentSettings(),
            unit_of_work=SqlAssessmentUnitOfWork,
            routers=ROUTERS,
            consumers=CONSUMERS,
            on_start=_publish_default_framework,
            loops=[("reminders", remind)],
        )
    )
