"""/healthz (the process is alive), /readyz (it can do its job right now) and /metrics.

With an operations port (EDUCLUSTER_OPS_PORT) the service's own port keeps /healthz and a
/readyz that says only its status, for the kubelet's probes; /metrics and the /readyz with
each check's detail are served by ``operations_app`` on the operations port, which no
Service exposes.
"""

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from shared.platform.web.problems import install_problem_handlers, problem_response

ReadinessCheck = Callable[[], Awaitable[tuple[bool, str]]]


def operations_app(*, title: str, registry: CollectorRegistry) -> FastAPI:
    """The operations port's app: /healthz, the detailed /readyz and /metrics, nothing else.
    The service's lifespan gives it the readiness checks (``app.state``)."""
    app = FastAPI(title=f"{title} (operations)", openapi_url=None, docs_url=None, redoc_url=None)
    app.state.metrics_registry = registry
    install_problem_handlers(app)
    app.include_router(operations_router())
    return app


def operations_router(*, detailed: bool = True) -> APIRouter:
    """The operational routes; without ``detailed``, no /metrics and a /readyz without checks."""
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", summary="Ready to serve requests: database and migrations")
    async def readyz(request: Request) -> JSONResponse:
        """Ready when what serving requests needs is (``readiness_checks``); what only delays
        events (``reported_checks``: the broker, the consumers) is reported, and a failing one
        makes the status "degraded", never 503: the outbox exists so that writes succeed while
        the broker is away, and taking every pod out of its Service would defeat it."""
        required: dict[str, ReadinessCheck] = request.app.state.readiness_checks
        reported: dict[str, ReadinessCheck] = getattr(request.app.state, "reported_checks", {})
        checks = {**required, **reported}
        results = await asyncio.gather(*(_bounded(check) for check in checks.values()))
        report = {
            name: {"ok": ok, "detail": detail}
            for name, (ok, detail) in zip(checks, results, strict=True)
        }
        if all(report[name]["ok"] for name in required):
            degraded = any(not report[name]["ok"] for name in reported)
            status = "degraded" if degraded else "ready"
            return JSONResponse(
                {"status": status, "checks": report} if detailed else {"status": status}
            )
        if not detailed:
            return problem_response(status=503, title="Not ready")
        failing = ", ".join(name for name in required if not report[name]["ok"])
        return problem_response(
            status=503,
            title="Not ready",
            detail=f"Failing checks: {failing}",
            extra={"checks": report},
        )

    if detailed:

        @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
        async def metrics(request: Request) -> Response:
            return Response(
                generate_latest(request.app.state.metrics_registry),
                media_type=CONTENT_TYPE_LATEST,
            )

    return router


async def _bounded(check: ReadinessCheck, timeout_s: float = 3.0) -> tuple[bool, str]:
    try:
        return await asyncio.wait_for(check(), timeout_s)
    except TimeoutError:
        return False, f"no answer within {timeout_s:.0f} s"
    except Exception as error:
        return False, f"{type(error).__name__}: {error}"
