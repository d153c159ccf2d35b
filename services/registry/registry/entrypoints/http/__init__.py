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

ROUTERS: tuple[APIRouter, ...] = tuple(
    module.router for module in (regions, organizations, clusters, programs, graduates, employments)
)
