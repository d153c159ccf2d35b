"""Dependencies the assessment routers share."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from assessment.config import AssessmentSettings
from assessment.service_layer.assessments import AssessmentPolicy
from assessment.service_layer.unit_of_work import AbstractAssessmentUnitOfWork, assessment_uow
from shared.platform.web.deps import UnitOfWorkFactory, service_settings


def _settings(request: Request) -> AssessmentSettings:
    return service_settings(request, AssessmentSettings)


SettingsDep = Annotated[AssessmentSettings, Depends(_settings)]


def _policy(settings: SettingsDep) -> AssessmentPolicy:
    return AssessmentPolicy(window_months=settings.employment_window_months)


PolicyDep = Annotated[AssessmentPolicy, Depends(_policy)]


def _uow_factory(factory: UnitOfWorkFactory) -> Callable[[], AbstractAssessmentUnitOfWork]:
    return lambda: assessment_uow(factory())


# A new assessment unit of work per call: ``async with uow_factory() as uow: ...``.
UowFactoryDep = Annotated[Callable[[], AbstractAssessmentUnitOfWork], Depends(_uow_factory)]
