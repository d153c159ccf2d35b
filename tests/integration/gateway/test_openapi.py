"""GET /openapi.json: the services' own documents fetched over HTTP, merged, cached; a service
that does not answer is a 503 problem naming it. The gateway builds no service in its process,
so its log lines keep naming the gateway after the document was served."""

import json
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from gateway.bootstrap import create_app
from gateway.config import GatewaySettings

from shared.devtools.local_broker import free_port
from shared.platform.auth_settings import AuthSettings
from shared.platform.db.migrations import upgrade
from shared.platform.settings import KafkaSettings
from tests.integration.gateway.stubs import StubServer, serving_json

SERVICES = ("registry", "assessment", "quality")


def service_document(service: str) -> dict[str, Any]:
    """A small OpenAPI document as a service serves it: one API path, one path outside the API."""
    schema = f"{service.capitalize()}Public"
    return {
        "openapi": "3.1.0",
        "info": {"title": f"EduCluster {service}", "version": "1.0.0"},
        "paths": {
            f"/api/v1/{service}-things": {
                "get": {
                    "tags": ["things"],
                    "summary": f"List {service} things",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": f"#/components/schemas/{schema}"}
                                }
                            },
                        }
                    },
                }
            },
            f"/{service}-internals": {"get": {"tags": ["operations"], "responses": {}}},
        },
        "components": {
            "schemas": {
                schema: {"type": "object", "properties": {"id": {"type": "string"}}},
                # The same in every service: merged once.
                "Period": {"type": "integer", "title": "Period"},
            }
        },
    }


@pytest.fixture
def documents() -> dict[str, dict[str, Any]]:
    """What each stub service serves, by path; a test removes one to silence that service."""
    return {service: {"/openapi.json": service_document(service)} for service in SERVICES}


@pytest.fixture
def upstreams(documents) -> Iterator[dict[str, str]]:
    with ExitStack() as stack:
        yield {
            service: stack.enter_context(StubServer(serving_json(documents[service]))).url
            for service in SERVICES
        }


@asynccontextmanager
async def gateway(tmp_path: Path, upstreams: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway app under its own lifespan (no consumers, no broker), served in-process."""
    database_url = f"sqlite+aiosqlite:///{tmp_path}/gateway.db"
    await upgrade("gateway", database_url)
    settings = GatewaySettings(
        database_url=database_url,
        registry_url=upstreams["registry"],
        assessment_url=upstreams["assessment"],
        quality_url=upstreams["quality"],
        consumers_enabled=False,
        kafka=KafkaSettings(bootstrap_servers=f"127.0.0.1:{free_port()}"),
        auth=AuthSettings(secret="test-secret-for-gateway-openapi-tests"),
        connect_timeout_s=1.0,
        read_timeout_s=2.0,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def test_after_get_openapi_json_the_gateways_log_lines_still_name_the_gateway(
    tmp_path, upstreams, capfd
):
    async with gateway(tmp_path, upstreams) as client:
        response = await client.get("/openapi.json")
        assert response.status_code == 200, response.text
        logging.getLogger("gateway.edge").warning("a line after the API document")
    lines = [json.loads(line) for line in capfd.readouterr().err.splitlines() if line[:1] == "{"]
    (after,) = [line for line in lines if line["message"] == "a line after the API document"]
    assert after["service"] == "gateway"


async def test_the_merged_document_has_every_services_api_paths_and_is_kept_once_complete(
    tmp_path, upstreams, documents
):
    async with gateway(tmp_path, upstreams) as client:
        response = await client.get("/openapi.json")
        assert response.status_code == 200, response.text
        merged = response.json()
        assert merged["info"]["title"] == "EduCluster API"
        for service in SERVICES:
            operation = merged["paths"][f"/api/v1/{service}-things"]["get"]
            assert operation["tags"] == [f"{service}: things"]
            assert f"{service.capitalize()}Public" in merged["components"]["schemas"]
        assert merged["components"]["schemas"]["Period"] == {"type": "integer", "title": "Period"}
        for service in SERVICES:  # only /api/v1 paths come from the services
            assert f"/{service}-internals" not in merged["paths"]
        assert "/api/v1/subscriptions" in merged["paths"]  # the gateway's own routes
        assert merged["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
        assert merged["security"] == [{"bearer": []}]
        assert list(merged["paths"]) == sorted(merged["paths"])

        # Cached: a service that stops answering does not change the served document.
        documents["quality"].clear()
        again = await client.get("/openapi.json")
        assert again.status_code == 200
        assert again.json() == merged


async def test_a_service_that_does_not_answer_is_a_503_problem_naming_it_and_not_cached(
    tmp_path, upstreams, documents
):
    served = documents["assessment"].pop("/openapi.json")
    async with gateway(tmp_path, upstreams) as client:
        response = await client.get("/openapi.json")
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["service"] == "assessment"
        assert "assessment" in problem["detail"]

        documents["assessment"]["/openapi.json"] = served
        answered = await client.get("/openapi.json")
        assert answered.status_code == 200, answered.text
        assert "/api/v1/assessment-things" in answered.json()["paths"]


async def test_a_service_nobody_listens_for_is_a_503_problem_naming_it(tmp_path, upstreams):
    upstreams = {**upstreams, "quality": f"http://127.0.0.1:{free_port()}"}
    async with gateway(tmp_path, upstreams) as client:
        response = await client.get("/openapi.json")
    assert response.status_code == 503, response.text
    assert response.json()["service"] == "quality"
