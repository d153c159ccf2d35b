"""The assessment service's HTTP routers, one per resource."""

from fastapi import APIRouter

from assessment.entrypoints.http import (
    assessments,
    frameworks,
    integrity,
    reminders,
    requirements,
)
from shared.platform.web.audit_routes import audit_router

# Integrity before assessments: /assessments/integrity would otherwise be taken for an
# assessment id by /assessments/{assessment_id}.
ROUTERS: tuple[APIRouter, ...] = (
    frameworks.router,
    requirements.router,
    reminders.router,
    integrity.router,
    assessments.router,
    audit_router("assessment"),
)
