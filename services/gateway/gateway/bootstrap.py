"""The one place where the gateway service is wired together."""

import gc

from fastapi import FastAPI
from starlette.middleware import Middleware

from gateway import openapi
from gateway.config import GatewaySettings
from gateway.proxy import ProxyMiddleware
from gateway.routes import RouteTable
from gateway.upstreams import Upstreams
from shared.runtime import Runtime, ServiceSpec, create_service_app


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    upstreams = Upstreams(settings)

    async def close_upstreams(_runtime: Runtime) -> None:
        await upstreams.close()

    app = create_service_app(
        ServiceSpec(
            name="gateway",
            title="EduCluster gateway",
            settings=settings,
            publishes=False,
            on_stop=close_upstreams,
        )
    )
    openapi.install(app)
    # Appended, so it is the innermost middleware: request ids and HTTP metrics cover proxied
    # requests too, while FastAPI's router never sees them (add_middleware would put it
    # outermost, in front of the request id).
    app.user_middleware.append(
        Middleware(
            ProxyMiddleware,
            routes=RouteTable(settings.service_urls()),
            upstreams=upstreams,
            read_timeout_s=settings.read_timeout_s,
        )
    )
    # What is imported and built by now lives as long as the process. Frozen, it is left out
    # of the cyclic collector's full passes, which otherwise stall every request in flight for
    # ~80 ms several times a second under load (seen as the bench's p99).
    gc.collect()
    gc.freeze()
    return app
