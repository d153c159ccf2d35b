"""The one place where the gateway service is wired together."""

import gc

from fastapi import FastAPI
from starlette.middleware import Middleware

from gateway.config import GatewaySettings
from gateway.edge import openapi
from gateway.edge.identity import Access, CachingTokenVerifier
from gateway.edge.limits import SecurityHeadersMiddleware, cors, rate_limiter
from gateway.edge.proxy import ProxyMiddleware
from gateway.edge.routes import RouteTable
from gateway.edge.upstreams import Upstreams
from gateway.entrypoints.consumers import CONSUMERS
from gateway.entrypoints.http import ROUTERS
from gateway.service_layer.delivery import run_deliveries
from gateway.service_layer.unit_of_work import SqlGatewayUnitOfWork
from shared.platform.runtime import Runtime, ServiceSpec, create_service_app


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    upstreams = Upstreams(settings)

    async def close_upstreams(_runtime: Runtime[GatewaySettings]) -> None:
        await upstreams.close()

    app = create_service_app(
        ServiceSpec(
            name="gateway",
            title="EduCluster gateway",
            settings=settings,
            unit_of_work=SqlGatewayUnitOfWork,
            publishes=False,
            routers=ROUTERS,  # SSE, webhooks (docs/gateway.md) and the dashboard at /
            consumers=CONSUMERS,
            loops=[("webhook-deliveries", run_deliveries)],
            on_stop=close_upstreams,
        )
    )
    openapi.install(app, upstreams=upstreams, service_urls=settings.service_urls())
    verifier = CachingTokenVerifier(
        settings.auth, settings.oidc, cache_size=settings.token_cache_size
    )
    app.state.token_verifier = verifier  # the gateway's own routes share its token cache
    # Appended, so innermost: request ids and HTTP metrics cover proxied requests and the
    # gateway's own refusals, while FastAPI's router never sees them (add_middleware would put
    # them outermost, in front of the request id). CORS, when configured, is in front of the
    # proxy, so preflights and refusals carry its headers; the security headers are behind it,
    # so only the gateway's own pages pass through them.
    app.user_middleware += [
        *cors(settings.cors_origins),
        Middleware(
            ProxyMiddleware,
            routes=RouteTable(settings.service_urls()),
            upstreams=upstreams,
            read_timeout_s=settings.read_timeout_s,
            access=Access(verifier, public_scores=settings.public_scores),
            limiter=rate_limiter(
                rate_per_s=settings.rate_limit_per_s,
                burst=settings.rate_limit_burst,
                trusted_proxies=settings.trusted_proxies,
            ),
            max_body_bytes=settings.max_body_bytes,
        ),
        Middleware(SecurityHeadersMiddleware),
    ]
    # What is imported and built by now lives as long as the process. Frozen, it is left out
    # of the cyclic collector's full passes, which otherwise stall every request in flight for
    # ~80 ms several times a second under load (seen as the bench's p99).
    gc.collect()
    gc.freeze()
    return app
