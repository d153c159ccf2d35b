"""One OpenAPI document for every public route: the services' own documents merged into the
gateway's, and the AsyncAPI document of every event.

At run time the gateway asks each service for its /openapi.json over HTTP (through its pooled
connections) and keeps the merged document once every service has answered; until then a
service that does not answer makes /openapi.json a 503 problem naming it. The gateway builds
no service in its own process. docs/openapi.json is the same merge, made at build time from
the services' apps (``python -m educluster.documents openapi``, run by ``make schemas``); a
test checks it for drift and validates it with openapi-spec-validator.
"""

import asyncio
import copy
import json
import re
from collections.abc import Mapping
from typing import Any

import aiohttp
from fastapi import FastAPI, Request, Response
from fastapi.openapi.utils import get_openapi
from starlette.routing import BaseRoute, Route

from gateway.edge.access import rule_for
from gateway.edge.upstreams import Upstreams
from shared.contracts.asyncapi import render_asyncapi
from shared.platform.names import API_PREFIX, ROLES
from shared.platform.web.openapi_errors import document_problem_responses, document_problems
from shared.platform.web.problem_texts import request_language
from shared.platform.web.problems import problem_response

Document = dict[str, Any]

_API_PATHS = API_PREFIX + "/"
_DOCUMENT_PATH = "/openapi.json"
TITLE = "EduCluster API"
DESCRIPTION = (
    "Every public route of the EduCluster services, through the gateway. Errors are "
    "RFC 9457 problem documents; lists are paginated with `limit` and `cursor`; creates "
    "accept an `Idempotency-Key` header. Access by role: docs/access.md."
)


def gateway_document(routes: list[BaseRoute]) -> Document:
    """The gateway's own part: its routes (events, subscriptions) under the merged title, with
    their problem answers and the Problem schema."""
    document = get_openapi(title=TITLE, version="1.0.0", description=DESCRIPTION, routes=routes)
    return document_problems(document, routes)


def merge_openapi(gateway: Document, services: Mapping[str, Document]) -> Document:
    """The gateway's document with every service's /api/v1 paths (tags prefixed with the
    service's name) and schemas added, under bearer security, each /api/v1 operation with the
    problems the gateway answers itself (``document_edge``). ValueError when two documents
    define one schema name differently. The arguments are left unchanged."""
    document = copy.deepcopy(gateway)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    proxied: set[str] = set()
    for service, own in services.items():
        for path, operations in own["paths"].items():
            if path.startswith(_API_PATHS):
                proxied.add(path)
                document["paths"][path] = {
                    method: {
                        **operation,
                        "tags": [f"{service}: {t}" for t in operation.get("tags", [])],
                    }
                    for method, operation in copy.deepcopy(operations).items()
                }
        _merge_schemas(schemas, own.get("components", {}).get("schemas", {}), source=service)
    document["components"]["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    }
    document["security"] = [{"bearer": []}]
    document_edge(document, proxied=proxied)
    document["paths"] = dict(sorted(document["paths"].items()))
    document["components"]["schemas"] = dict(sorted(schemas.items()))
    return document


def document_edge(document: Document, *, proxied: set[str]) -> None:
    """Add to each /api/v1 operation what the gateway answers before or instead of the service
    (edge/proxy.py): a refused token, the role matrix (edge/access.py), the body and rate
    limits, and, for the ``proxied`` paths, a service that failed or did not answer in time."""
    for path, operations in document["paths"].items():
        if not path.startswith(_API_PATHS):
            continue
        concrete = re.sub(r"\{[^}]+\}", "x", path)  # a matrix rule's ``*`` is one segment
        for method, operation in operations.items():
            statuses = {401, 429}
            rule = rule_for(method.upper(), concrete)
            if rule is None or not rule.roles.issuperset(ROLES):
                statuses.add(403)
            if "requestBody" in operation:
                statuses.add(413)
            if path in proxied:
                statuses |= {502, 503, 504}
            document_problem_responses(operation, statuses)


def _merge_schemas(into: dict[str, Any], new: dict[str, Any], *, source: str) -> None:
    for name, schema in new.items():
        if name in into and into[name] != schema:
            raise ValueError(f"schema {name!r} of {source} differs from one already merged")
        into[name] = copy.deepcopy(schema)


class Unanswered(Exception):
    """A service did not send its OpenAPI document."""

    def __init__(self, service: str) -> None:
        super().__init__(f"the {service} service did not send its API document")
        self.service = service


class MergedDocument:
    """The merged document, fetched from the services on first request and then kept.

    Only a complete merge is kept: after a service failed to answer, the next request asks
    every service again.
    """

    def __init__(
        self, routes: list[BaseRoute], *, upstreams: Upstreams, service_urls: Mapping[str, str]
    ) -> None:
        self._routes = routes
        self._upstreams = upstreams
        self._urls = dict(service_urls)
        self._body: bytes | None = None
        self._lock = asyncio.Lock()

    async def body(self) -> bytes:
        """The merged document as JSON; Unanswered naming the first service that did not send
        its own."""
        async with self._lock:  # concurrent first requests fetch once
            if self._body is None:
                fetched = await asyncio.gather(
                    *(self._fetch(service, url) for service, url in self._urls.items())
                )
                merged = merge_openapi(gateway_document(self._routes), dict(fetched))
                self._body = json.dumps(merged, ensure_ascii=False, separators=(",", ":")).encode()
            return self._body

    async def _fetch(self, service: str, url: str) -> tuple[str, Document]:
        try:
            async with self._upstreams.session.get(
                url.rstrip("/") + _DOCUMENT_PATH, allow_redirects=False
            ) as response:
                if response.status != 200:
                    raise Unanswered(service)
                document = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            raise Unanswered(service) from error
        if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
            raise Unanswered(service)
        return service, document


def install(gateway: FastAPI, *, upstreams: Upstreams, service_urls: Mapping[str, str]) -> None:
    """Serve the merged document at /openapi.json (and so in /docs), and /asyncapi.yaml."""
    merged = MergedDocument(gateway.routes, upstreams=upstreams, service_urls=service_urls)

    async def openapi(request: Request) -> Response:
        try:
            body = await merged.body()
        except Unanswered as missing:
            return problem_response(
                status=503,
                title="Service Unavailable",
                detail=f"{missing}; retry shortly",
                instance=_DOCUMENT_PATH,
                extra={"service": missing.service},
                language=request_language(request.scope),
            )
        return Response(body, media_type="application/json")

    # FastAPI's own route serves only the gateway's routes: replaced by the merged document.
    gateway.router.routes[:] = [
        route
        for route in gateway.router.routes
        if not (isinstance(route, Route) and route.path == _DOCUMENT_PATH)
    ]
    gateway.add_route(_DOCUMENT_PATH, openapi, methods=["GET", "HEAD"], include_in_schema=False)
    gateway.add_api_route("/asyncapi.yaml", _asyncapi, methods=["GET"], include_in_schema=False)


async def _asyncapi() -> Response:
    """The AsyncAPI 3.0 document of every event (shared/contracts/asyncapi.py)."""
    return Response(render_asyncapi(), media_type="application/yaml")
