"""The assessment service's HTTP routers, one per resource."""

from fastapi import APIRouter

from assessment.entrypoints.http import assessments, frameworks, requirements

ROUTERS: tuple[APIRouter, ...] = (frameworks.router, requirements.router, assessments.router)
