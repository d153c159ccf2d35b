"""The one place where the assessment service is wired together."""

from fastapi import FastAPI

from assessment.adapters.projection import REGISTRY_HANDLERS
from assessment.config import AssessmentSettings
from assessment.entrypoints import assessments, frameworks, requirements
from assessment.service_layer.frameworks import ensure_default
from shared.platform.names import REGISTRY_TOPIC
from shared.platform.runtime import ConsumerSpec, Runtime, ServiceSpec, create_service_app


async def _publish_default_framework(runtime: Runtime) -> None:
    await ensure_default(runtime.uow_factory)


def create_app(settings: AssessmentSettings | None = None) -> FastAPI:
    return create_service_app(
        ServiceSpec(
            name="assessment",
            title="EduCluster assessment",
            settings=settings or AssessmentSettings(),
            routers=[frameworks.router, requirements.router, assessments.router],
            consumers=[
                ConsumerSpec(
                    purpose="registry-projection",
                    topics=(REGISTRY_TOPIC,),
                    handlers=REGISTRY_HANDLERS,
                ),
            ],
            on_start=_publish_default_framework,
        )
    )
