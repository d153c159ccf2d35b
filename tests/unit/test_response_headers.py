"""Every answer says nosniff; an answer to an authenticated request is never stored."""

import httpx
import pytest
from fastapi import FastAPI, HTTPException
from fastapi.responses import PlainTextResponse, StreamingResponse

from shared.platform.web.middleware import ConditionalGetMiddleware, RequestIdMiddleware

TOKEN = {"Authorization": "Bearer some-token"}


def small_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(ConditionalGetMiddleware)
    app.add_middleware(RequestIdMiddleware)

    @app.get("/json")
    async def json_read() -> dict[str, int]:
        return {"value": 1}

    @app.get("/data.csv")
    async def csv_read() -> PlainTextResponse:
        return PlainTextResponse("a,b\r\n1,2\r\n", media_type="text/csv")

    @app.get("/cached")
    async def cached() -> PlainTextResponse:
        return PlainTextResponse("x", headers={"Cache-Control": "public, max-age=60"})

    @app.get("/missing")
    async def missing() -> None:
        raise HTTPException(404)

    @app.get("/crash")
    async def crash() -> None:
        raise RuntimeError("boom")

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        async def lines():
            yield b"data: 1\n\n"

        return StreamingResponse(lines(), media_type="text/event-stream")

    return app


@pytest.fixture
async def client():
    transport = httpx.ASGITransport(app=small_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.mark.parametrize("path", ["/json", "/data.csv", "/cached", "/missing", "/crash", "/stream"])
@pytest.mark.parametrize("headers", [{}, TOKEN])
async def test_every_answer_says_nosniff_once(client, path, headers):
    response = await client.get(path, headers=headers)
    assert response.headers.get_list("x-content-type-options") == ["nosniff"]


async def test_an_authenticated_answer_without_a_cache_policy_is_not_stored(client):
    assert (await client.get("/data.csv", headers=TOKEN)).headers["cache-control"] == "no-store"
    assert (await client.get("/missing", headers=TOKEN)).headers["cache-control"] == "no-store"
    assert (await client.post("/json", headers=TOKEN)).headers["cache-control"] == "no-store"


async def test_an_anonymous_or_self_described_answer_keeps_its_cache_policy(client):
    assert "cache-control" not in (await client.get("/data.csv")).headers
    assert (await client.get("/json")).headers["cache-control"] == "private, no-cache"
    cached = await client.get("/cached", headers=TOKEN)
    assert cached.headers["cache-control"] == "public, max-age=60"
