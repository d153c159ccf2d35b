"""Every operation's error answers in the OpenAPI document: RFC 9457 problems.

FastAPI documents only an operation's success and its own 422 ``HTTPValidationError`` (a JSON
shape we never send: our 422 is a problem too). ``install_problem_documentation`` documents,
on each operation, every 4xx and 5xx status it can answer as ``application/problem+json``
with the ``Problem`` schema (registered once, in components), so clients and schemathesis
(tests/reliability/test_schemathesis.py) can hold the answers to the contract. The gateway
adds what it answers itself in front of the services (gateway/edge/openapi.py).
"""

import inspect
import json
from collections.abc import Iterable, Sequence
from http import HTTPStatus
from typing import Any, get_args

from fastapi import FastAPI, routing
from starlette.routing import BaseRoute

from shared.platform.auth import Identity
from shared.platform.web.problems import PROBLEM_CONTENT_TYPE, Problem

Document = dict[str, Any]

PROBLEM_SCHEMA = "Problem"
_REF = "#/components/schemas/{model}"
_FASTAPI_SCHEMAS = ("HTTPValidationError", "ValidationError")  # in this order: one uses the other
_WRITES = frozenset({"post", "put", "patch", "delete"})

DESCRIPTIONS: dict[int, str] = {
    400: "A query parameter that cannot be used (a cursor we did not issue, a combination "
    "refused; `errors` names it), or a body that cannot be decoded",
    401: "No bearer token, or one that is invalid or expired",
    403: "The caller's role or organization may not do this",
    404: "What the request names (in its path or query, or the caller's own record) does "
    "not exist, or is not the caller's to know of",
    409: "The change clashes with the current state or with a concurrent request (read the "
    "state and retry); with Retry-After, a refusal that may pass later",
    413: "The request body is larger than the gateway accepts (`max_body_bytes`)",
    415: "The body is not in a media type the operation accepts (in UTF-8)",
    422: "A parameter or body field is missing, malformed or breaks a rule; `errors` names each",
    429: "Too many requests from this client; retry after Retry-After seconds",
    502: "The service behind the gateway failed to answer (`service` names it)",
    503: "The database or a service is busy or unreachable and nothing was done; retry after "
    "Retry-After seconds (with the same Idempotency-Key, if the request has one)",
    504: "The service behind the gateway did not answer in time; the request may have been "
    "carried out: retry with the same Idempotency-Key",
}


def install_problem_documentation(app: FastAPI) -> None:
    """Make ``app.openapi()`` (and so /openapi.json) document each operation's problems."""

    def openapi() -> Document:
        return document_problems(FastAPI.openapi(app), app.routes)

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override


def document_problems(document: Document, routes: Sequence[BaseRoute]) -> Document:
    """``document`` (generated from ``routes``, changed in place) with each operation's
    problem answers (``service_statuses``) and the Problem schema in place of FastAPI's."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    if PROBLEM_SCHEMA in schemas:
        return document  # done already: FastAPI keeps the document it generated
    schemas.update(problem_schemas())
    callers = set(_operations_with_caller(routes))
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            statuses = service_statuses(method, operation, knows_caller=(method, path) in callers)
            document_problem_responses(operation, statuses)
    for name in _FASTAPI_SCHEMAS:
        if name in schemas and _REF.format(model=name) not in json.dumps(document):
            del schemas[name]
    document["components"]["schemas"] = dict(sorted(schemas.items()))
    return document


def problem_schemas() -> Document:
    """The Problem schema and those it refers to, for components/schemas."""
    schema = Problem.model_json_schema(mode="serialization", ref_template=_REF)
    return {**schema.pop("$defs", {}), PROBLEM_SCHEMA: schema}


def service_statuses(method: str, operation: Document, *, knows_caller: bool) -> set[int]:
    """The error statuses a service can answer to this operation (shared/platform/errors.py
    and web/problems.py say which error gives which)."""
    places = {parameter.get("in") for parameter in operation.get("parameters", [])}
    body = operation.get("requestBody")
    statuses = {503}  # the database busy or refusing connections, the request out of time
    if "query" in places or body is not None:
        # InvalidQuery (a cursor we never issued, a refused combination); FastAPI's answer to
        # a body it cannot decode (not UTF-8)
        statuses.add(400)
    if knows_caller:
        statuses |= {401, 403}
    if places or body is not None or knows_caller:
        # NotFound: what the path or a query names, or the caller's own record, does not exist
        statuses.add(404)
    if method in _WRITES:
        statuses.add(409)  # Conflict, a unique violation, an Idempotency-Key still in use
    if body is not None and set(body.get("content", {})) != {"application/json"}:
        statuses.add(415)  # uploads (web/uploads.py)
    if places or body is not None:
        statuses.add(422)
    return statuses


def document_problem_responses(operation: Document, statuses: Iterable[int]) -> None:
    """Document each of ``statuses``, and every error status already documented, as a
    problem answer of ``operation``; a description the route declared is kept."""
    responses: dict[str, Any] = operation.setdefault("responses", {})
    errors = {int(code) for code in responses if code.isdigit() and int(code) >= 400}
    for status in errors | set(statuses):
        response = responses.setdefault(str(status), {})
        if not response.get("description") or _fastapi_default(response):
            response["description"] = DESCRIPTIONS.get(status) or HTTPStatus(status).phrase
        response["content"] = {
            PROBLEM_CONTENT_TYPE: {"schema": {"$ref": _REF.format(model=PROBLEM_SCHEMA)}}
        }
    operation["responses"] = dict(sorted(responses.items()))


def _fastapi_default(response: Document) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return bool(schema.get("$ref") == _REF.format(model="HTTPValidationError"))


def _operations_with_caller(routes: Sequence[BaseRoute]) -> Iterable[tuple[str, str]]:
    """(method, path) of each operation with a dependency that resolves the caller's
    Identity: its token is verified (401) and the caller may be refused (403)."""
    for route in routing.iter_route_contexts(routes):
        path = route.path_format  # with the prefixes of the routers it was included through
        api = isinstance(route.original_route, routing.APIRoute)
        if path and api and _resolves_caller(route.dependant):
            yield from ((method.lower(), path) for method in route.methods or ())


def _resolves_caller(dependant: Any) -> bool:
    return any(
        _returns_identity(dependency.call) or _resolves_caller(dependency)
        for dependency in dependant.dependencies
    )


def _returns_identity(call: Any) -> bool:
    # By the declared return type, so a dependency that resolves the caller inside (quality's
    # readers: anonymous where scores are public, else verified) counts as well.
    try:
        returned = inspect.signature(call, eval_str=True).return_annotation
    except (TypeError, ValueError, NameError):
        return False
    return Identity in (returned, *get_args(returned))
