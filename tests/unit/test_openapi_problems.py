"""Every operation's error answers are documented as RFC 9457 problems (the Problem schema, as
application/problem+json) in each service's real OpenAPI document and in the gateway's merge,
and the Problem schema accepts the documents the handlers actually send."""

import json
from functools import cache
from typing import Any

import httpx
import jsonschema
import pytest
from fastapi import FastAPI
from gateway.bootstrap import create_app as gateway_app
from gateway.edge.openapi import gateway_document
from pydantic import BaseModel

from educluster.documents import merged_openapi, service_apps
from shared.platform.errors import (
    Conflict,
    InvalidQuery,
    NotFound,
    NotKnownYet,
    Refused,
    Unauthenticated,
    Unavailable,
)
from shared.platform.web.openapi_errors import problem_schemas
from shared.platform.web.problems import PROBLEM_CONTENT_TYPE, install_problem_handlers

PROBLEM = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
WRITES = {"post", "put", "patch", "delete"}


@cache
def documents() -> dict[str, dict[str, Any]]:
    """Each service's own generated document, the gateway's own part, and the merge."""
    built = {name: build().openapi() for name, build in service_apps().items()}
    built["gateway"] = gateway_document(gateway_app().routes)
    built["merged"] = merged_openapi()
    return built


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


@pytest.mark.parametrize("name", ["registry", "assessment", "quality", "gateway", "merged"])
def test_every_error_answer_of_every_operation_is_a_problem_document(name):
    document = documents()[name]
    assert "HTTPValidationError" not in json.dumps(document)
    assert "ValidationError" not in document["components"]["schemas"]
    assert {"Problem", "FieldError"} <= set(document["components"]["schemas"])
    found = operations(document)
    assert found
    for method, path, operation in found:
        responses = operation["responses"]
        errors = {code: r for code, r in responses.items() if int(code) >= 400}
        where = f"{method.upper()} {path} ({name})"
        assert "503" in errors, where
        for code, response in errors.items():
            assert response["content"] == PROBLEM, (where, code)
            assert response["description"], (where, code)
        if operation.get("parameters") or "requestBody" in operation:
            # A malformed field, and a thing named (in the path or query) that does not exist.
            assert {"404", "422"} <= set(errors), where
        if "requestBody" in operation:
            assert "400" in errors, where  # a body FastAPI cannot decode (schemathesis found)
        if method in WRITES:
            assert "409" in errors, where


def test_the_public_api_documents_what_the_gateway_itself_answers_on_every_api_operation():
    for method, path, operation in operations(documents()["merged"]):
        if not path.startswith("/api/v1/"):
            continue
        where = f"{method.upper()} {path}"
        assert {"401", "429"} <= set(operation["responses"]), where
        if "requestBody" in operation:
            assert "413" in operation["responses"], where
    proxied = documents()["merged"]["paths"]["/api/v1/regions"]["get"]["responses"]
    assert {"502", "503", "504"} <= set(proxied)
    own = documents()["merged"]["paths"]["/api/v1/subscriptions"]["get"]["responses"]
    assert "502" not in own and "503" in own


def test_401_and_403_go_where_the_caller_is_resolved_including_inside_a_dependency():
    registry = documents()["registry"]["paths"]
    quality = documents()["quality"]["paths"]
    merged = documents()["merged"]["paths"]
    assert {"401", "403"} <= set(registry["/api/v1/regions"]["get"]["responses"])
    # Public scores: the caller is resolved inside the quality service's reader dependency.
    assert {"401", "403"} <= set(quality["/api/v1/quality/scores"]["get"]["responses"])
    # A one-time code, no account: the service never asks who calls ...
    confirm = "/api/v1/employments/confirmations"
    assert not {"401", "403"} & set(registry[confirm]["post"]["responses"])
    # ... the gateway refuses a bad token on it, and every role may call it.
    assert "401" in merged[confirm]["post"]["responses"]
    assert "403" not in merged[confirm]["post"]["responses"]
    assert set(documents()["registry"]["paths"]["/healthz"]["get"]["responses"]) == {"200", "503"}


def test_an_upload_documents_415_and_a_json_body_does_not():
    registry = documents()["registry"]["paths"]
    assert "415" in registry["/api/v1/graduates/import"]["post"]["responses"]
    assert "415" not in registry["/api/v1/graduates"]["post"]["responses"]


class SchoolCreate(BaseModel):
    name: str
    pupils: int


def answering_app() -> FastAPI:
    """Routes that fail the ways the services do, through the real problem handlers."""
    app = FastAPI()
    install_problem_handlers(app)
    raised = {
        "not-found": NotFound("program", "p-1"),
        "conflict": Conflict("taken", field="tax_id"),
        "not-yet": NotKnownYet("graduate_id", "not known yet", retry_after=2),
        "refused": Refused("2 rows refused", errors=[{"loc": ["body", 3], "msg": "bad"}]),
        "cursor": InvalidQuery(("query", "cursor"), "not a cursor we issued"),
        "token": Unauthenticated("a bearer token is required"),
        "busy": Unavailable("busy", retry_after=2),
    }

    @app.get("/fail/{kind}")
    async def fail(kind: str) -> None:
        raise raised[kind]

    @app.post("/schools")
    async def create(body: SchoolCreate) -> None:
        return None

    app.state.kinds = list(raised)
    return app


async def test_the_problem_schema_accepts_every_problem_the_handlers_send():
    schema = {"components": {"schemas": problem_schemas()}, "$ref": "#/components/schemas/Problem"}
    validator = jsonschema.Draft202012Validator(schema)
    app = answering_app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answers = [await client.get(f"/fail/{kind}") for kind in app.state.kinds]
        answers += [
            await client.post("/schools", json={"name": 3}),
            await client.post("/schools", content=b"{", headers={"content-type": "text/plain"}),
            await client.post(
                "/schools", content=b"\xff", headers={"content-type": "application/json"}
            ),
            await client.get("/nowhere"),
            await client.put("/schools"),
        ]
    for answer in answers:
        assert answer.status_code >= 400
        assert answer.headers["content-type"] == PROBLEM_CONTENT_TYPE
        assert list(validator.iter_errors(answer.json())) == [], answer.json()
    assert not validator.is_valid({"title": "no type", "status": 400})
    assert not validator.is_valid({"type": "about:blank", "title": "t", "status": 200})
