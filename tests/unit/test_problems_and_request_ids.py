"""Every error is an RFC 9457 problem document, and every response carries a request id."""

import re

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from shared.platform.web.middleware import RequestIdMiddleware
from shared.platform.web.problems import ProblemError, install_problem_handlers

PROBLEM_JSON = "application/problem+json"
GENERATED_ID = re.compile(r"^[0-9a-f]{32}$")


class SchoolCreate(BaseModel):
    name: str
    pupils: int


def small_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(RequestIdMiddleware)

    @app.get("/schools/{school_id}")
    async def school(school_id: str) -> dict[str, str]:
        raise ProblemError(
            409,
            "School is closed",
            f"School {school_id} closed last year",
            type_="https://educluster.example/problems/school-closed",
            headers={"Retry-After": "60"},
        )

    @app.post("/schools", status_code=201)
    async def create_school(body: SchoolCreate) -> dict[str, str]:
        return {"name": body.name}

    @app.get("/crash")
    async def crash() -> None:
        raise RuntimeError("db password is hunter2")

    return app


@pytest.fixture
async def client():
    transport = httpx.ASGITransport(app=small_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_a_problem_error_answers_with_its_problem_document(client):
    response = await client.get("/schools/s-7")

    assert response.status_code == 409
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["retry-after"] == "60"
    assert response.json() == {
        "type": "https://educluster.example/problems/school-closed",
        "title": "School is closed",
        "status": 409,
        "detail": "School s-7 closed last year",
        "instance": "/schools/s-7",
    }


async def test_an_invalid_body_answers_422_listing_each_field_at_fault(client):
    response = await client.post("/schools", json={"name": "North", "pupils": "many"})

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    problem = response.json()
    assert (problem["type"], problem["title"], problem["status"]) == (
        "about:blank",
        "Invalid request",
        422,
    )
    assert problem["detail"] == "Check these fields: body.pupils"
    assert [error["loc"] for error in problem["errors"]] == [["body", "pupils"]]
    assert all(error["msg"] and error["type"] for error in problem["errors"])


async def test_a_valid_body_is_not_a_problem(client):
    response = await client.post("/schools", json={"name": "North", "pupils": 120})

    assert response.status_code == 201
    assert response.json() == {"name": "North"}


async def test_an_unknown_route_answers_404_as_a_problem(client):
    response = await client.get("/nowhere")

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "Not Found",
        "instance": "/nowhere",
    }


async def test_an_unhandled_error_answers_500_without_leaking_the_error_and_with_a_request_id(
    client,
):
    response = await client.get("/crash", headers={"X-Request-ID": "trace-500"})

    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["x-request-id"] == "trace-500"
    problem = response.json()
    assert (problem["type"], problem["title"], problem["status"]) == (
        "about:blank",
        "Internal Server Error",
        500,
    )
    for leak in ("hunter2", "RuntimeError", "Traceback", "File "):
        assert leak not in response.text


@pytest.mark.parametrize("path", ["/schools/s-1", "/nowhere", "/crash"])
async def test_a_sane_request_id_is_echoed_on_every_kind_of_response(client, path):
    response = await client.get(path, headers={"X-Request-ID": "req-01.HG:a_b"})

    assert response.headers.get_list("x-request-id") == ["req-01.HG:a_b"]


@pytest.mark.parametrize(
    "incoming",
    ["x" * 300, "two words", "semi;colon", "new\u00e9id", ""],
    ids=["300-chars", "space", "semicolon", "non-ascii", "empty"],
)
async def test_an_insane_request_id_is_replaced_by_a_generated_one(client, incoming):
    response = await client.post(
        "/schools",
        json={"name": "North", "pupils": 1},
        headers={"X-Request-ID": incoming.encode()},
    )

    assert response.status_code == 201
    assert GENERATED_ID.match(response.headers["x-request-id"])


async def test_a_request_without_an_id_gets_a_fresh_one_each_time(client):
    first = await client.post("/schools", json={"name": "North", "pupils": 1})
    second = await client.post("/schools", json={"name": "North", "pupils": 1})

    assert GENERATED_ID.match(first.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
