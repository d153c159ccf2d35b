"""Dependencies the assessment routers share."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from assessment.config import AssessmentSettings
from assessment.service_layer.assessments import AssessmentPolicy
from assessment.service_layer.unit_of_work import AbstractAssessmentUnitOfWork, assessment_uow
from shared.platform.auth import Identity
from shared.platform.web.deps import UnitOfWorkFactory, service_settings
from shared.platform.web.identity import current_identity


# async: a plain ``def`` dependency runs in a worker thread (shared/platform/web/deps.py).
async def _settings(request: Request) -> AssessmentSettings:
    return service_settings(request, AssessmentSettings)


SettingsDep = Annotated[AssessmentSettings, Depends(_settings)]


async def _policy(settings: SettingsDep) -> AssessmentPolicy:
    return AssessmentPolicy(window_months=settings.employment_window_months)


PolicyDep = Annotated[AssessmentPolicy, Depends(_policy)]


async def _uow_factory(factory: UnitOfWorkFactory) -> Callable[[], AbstractAssessmentUnitOfWork]:
    return lambda: assessment_uow(factory())


# A new assessment unit of work per call: ``async with uow_factory() as uow: ...``.
UowFactoryDep = Annotated[Callable[[], AbstractAssessmentUnitOfWork], Depends(_uow_factory)]


async def _framework_reader(request: Request) -> Identity | None:
    """The caller of a framework read; None for a caller without a token. Frameworks are public
    reference data: the gateway lets an anonymous read through where public scores are on, so
    their readers see competency names. A token that is sent is verified all the same."""
    if "authorization" not in request.headers:
        return None
    return await current_identity(request)


FrameworkReader = Annotated[Identity | None, Depends(_framework_reader)]
