"""The registry's HTTP routers, one per resource."""

from fastapi import APIRouter

from registry.entrypoints.http import (
    clusters,
    employments,
    graduates,
    organizations,
    programs,
    regions,
)
from shared.platform.web.audit_routes import audit_router

ROUTERS: tuple[APIRouter, ...] = (
    *(m.router for m in (regions, organizations, clusters, programs, graduates, employments)),
    audit_router("registry"),
)
