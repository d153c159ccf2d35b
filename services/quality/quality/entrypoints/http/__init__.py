"""The quality service's HTTP routers, one per resource.

Order matters: the fixed paths (``/methodology``, ``/publications``, ``/alerts``, ``/clusters/…``)
come before
``/{scope}/{scope_id}``, whose scope would otherwise refuse them.
"""

from fastapi import APIRouter

from quality.entrypoints.http import (
    activities,
    analysis,
    exclusions,
    flows,
    methodology,
    names,
    publications,
    scores,
)
from shared.platform.web.audit_routes import audit_router

ROUTERS: tuple[APIRouter, ...] = (
    exclusions.router,
    methodology.router,
    names.router,
    publications.router,
    activities.router,
    flows.router,
    analysis.router,
    scores.router,
    audit_router("quality"),
)
