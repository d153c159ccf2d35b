"""The one place where the registry service is wired together."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from registry.config import RegistrySettings
from registry.domain.rules import RuleViolation
from registry.entrypoints import (
    clusters,
    employments,
    graduates,
    organizations,
    programs,
    regions,
)
from registry.service_layer.regions import seed_if_empty
from shared.runtime import Runtime, ServiceSpec, create_service_app
from shared.web.problems import problem_response


async def _seed(runtime: Runtime) -> None:
    await seed_if_empty(runtime.uow_factory)


async def _rule_violation(request: Request, error: RuleViolation) -> JSONResponse:
    title = {404: "Not Found", 409: "Conflict"}.get(error.status, "Invalid request")
    return problem_response(
        status=error.status,
        title=title,
        detail=str(error),
        instance=request.url.path,
        errors=[{"loc": ["body", error.field], "msg": str(error)}],
    )


def create_app(settings: RegistrySettings | None = None) -> FastAPI:
    app = create_service_app(
        ServiceSpec(
            name="registry",
            title="EduCluster registry",
            settings=settings or RegistrySettings(),
            routers=[
                r.router
                for r in (regions, organizations, clusters, programs, graduates, employments)
            ],
            on_start=_seed,
        )
    )
    app.add_exception_handler(RuleViolation, _rule_violation)
    return app
