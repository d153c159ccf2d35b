"""One OpenAPI document for every public route: the services' own documents merged into the
gateway's, generated on first request (the services' apps are built, never started).

docs/openapi.json is this document (``make schemas``); a test checks it for drift and validates
it with openapi-spec-validator.
"""

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Response
from fastapi.openapi.utils import get_openapi

from shared.contracts.asyncapi import render_asyncapi

API_PREFIX = "/api/v1/"


def _service_apps() -> dict[str, Callable[[], FastAPI]]:
    # Imported here: the gateway needs the services' route declarations, not their code paths.
    from assessment.bootstrap import create_app as assessment
    from quality.bootstrap import create_app as quality
    from registry.bootstrap import create_app as registry

    return {"registry": registry, "assessment": assessment, "quality": quality}


def _merge_schemas(into: dict[str, Any], new: dict[str, Any], *, source: str) -> None:
    for name, schema in new.items():
        if name in into and into[name] != schema:
            raise ValueError(f"schema {name!r} of {source} differs from one already merged")
        into[name] = schema


def merged_openapi(gateway: FastAPI) -> dict[str, Any]:
    document = get_openapi(
        title="EduCluster API",
        version="1.0.0",
        description=(
            "Every public route of the EduCluster services, through the gateway. Errors are "
            "RFC 9457 problem documents; lists are paginated with `limit` and `cursor`; creates "
            "accept an `Idempotency-Key` header. Access by role: docs/access.md."
        ),
        routes=gateway.routes,
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for service, build in _service_apps().items():
        own = build().openapi()
        for path, operations in own["paths"].items():
            if path.startswith(API_PREFIX):
                for operation in operations.values():
                    operation["tags"] = [f"{service}: {t}" for t in operation.get("tags", [])]
                document["paths"][path] = operations
        _merge_schemas(schemas, own.get("components", {}).get("schemas", {}), source=service)
    document["components"]["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    }
    document["security"] = [{"bearer": []}]
    document["paths"] = dict(sorted(document["paths"].items()))
    document["components"]["schemas"] = dict(sorted(schemas.items()))
    return document


def install(gateway: FastAPI) -> None:
    """Serve the merged document at /openapi.json (and so in /docs)."""

    def openapi() -> dict[str, Any]:
        if gateway.openapi_schema is None:
            gateway.openapi_schema = merged_openapi(gateway)
        return gateway.openapi_schema

    gateway.openapi = openapi  # type: ignore[method-assign]
    gateway.add_api_route("/asyncapi.yaml", _asyncapi, methods=["GET"], include_in_schema=False)


async def _asyncapi() -> Response:
    """The AsyncAPI 3.0 document of every event (shared/events/asyncapi.py)."""
    return Response(render_asyncapi(), media_type="application/yaml")


if __name__ == "__main__":
    from gateway.bootstrap import create_app

    print(json.dumps(create_app().openapi(), indent=1, sort_keys=True))
