"""Dependencies the assessment routers share."""

from typing import Annotated

from fastapi import Depends, Request

from assessment.config import AssessmentSettings
from assessment.service_layer.assessments import AssessmentPolicy


def _settings(request: Request) -> AssessmentSettings:
    return request.app.state.runtime.spec.settings


def _policy(settings: Annotated[AssessmentSettings, Depends(_settings)]) -> AssessmentPolicy:
    return AssessmentPolicy(window_months=settings.employment_window_months)


Settings = Annotated[AssessmentSettings, Depends(_settings)]
Policy = Annotated[AssessmentPolicy, Depends(_policy)]
