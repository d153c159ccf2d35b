"""The registry's HTTP routers, one per resource."""

from fastapi import APIRouter

from registry.entrypoints.http import (
    activities,
    clusters,
    employments,
    goals,
    graduates,
    organizations,
    programs,
    regions,
)
from shared.platform.web.audit_routes import audit_router

ROUTERS: tuple[APIRouter, ...] = (
    *(
        m.router
        for m in (
            regions,
            organizations,
            clusters,
            activities,
            goals,
            programs,
            graduates,
            employments,
        )
    ),
    audit_router("registry"),
)
