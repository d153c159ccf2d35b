"""/healthz (the process is alive) and /readyz (it can do its job right now)."""

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from shared.platform.web.problems import problem_response

ReadinessCheck = Callable[[], Awaitable[tuple[bool, str]]]


def operations_router() -> APIRouter:
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
            return JSONResponse({"status": "degraded" if degraded else "ready", "checks": report})
        failing = ", ".join(name for name in required if not report[name]["ok"])
        return problem_response(
            status=503,
            title="Not ready",
            detail=f"Failing checks: {failing}",
            extra={"checks": report},
        )

    @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        return Response(
            generate_latest(request.app.state.metrics_registry), media_type=CONTENT_TYPE_LATEST
        )

    return router


async def _bounded(check: ReadinessCheck, timeout_s: float = 3.0) -> tuple[bool, str]:
    try:
        return await asyncio.wait_for(check(), timeout_s)
    except TimeoutError:
        return False, f"no answer within {timeout_s:.0f} s"
    except Exception as error:
        return False, f"{type(error).__name__}: {error}"
