"""JSON reads carry an ETag; a client that has the current answer gets a 304 without a body."""

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from shared.platform.web.middleware import ConditionalGetMiddleware


def small_app(state: dict[str, int]) -> FastAPI:
    app = FastAPI()
    app.add_middleware(ConditionalGetMiddleware)

    @app.get("/score")
    async def score() -> dict[str, int]:
        return {"value": state["value"]}

    @app.post("/score")
    async def change() -> dict[str, int]:
        state["value"] += 1
        return {"value": state["value"]}

    @app.get("/missing")
    async def missing() -> None:
        from fastapi import HTTPException

        raise HTTPException(404)

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        async def lines():
            yield b"data: 1\n\n"
            yield b"data: 2\n\n"

        return StreamingResponse(lines(), media_type="text/event-stream")

    return app


@pytest.fixture
async def client():
    state = {"value": 1}
    transport = httpx.ASGITransport(app=small_app(state))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_a_json_read_carries_a_tag_and_a_repeat_with_it_gets_304_without_a_body(client):
    first = await client.get("/score")
    tag = first.headers["etag"]
    assert first.status_code == 200 and first.json() == {"value": 1}
    assert first.headers["cache-control"] == "private, no-cache"
    assert first.headers["vary"] == "Authorization"

    again = await client.get("/score", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag


async def test_the_tag_changes_when_the_answer_does(client):
    tag = (await client.get("/score")).headers["etag"]
    await client.post("/score")
    changed = await client.get("/score", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.json() == {"value": 2}
    assert changed.headers["etag"] != tag


async def test_writes_errors_and_streams_pass_through_untagged(client):
    written = await client.post("/score")
    assert written.status_code == 200 and "etag" not in written.headers
    assert "etag" not in (await client.get("/missing")).headers
    streamed = await client.get("/stream")
    assert streamed.text == "data: 1\n\ndata: 2\n\n" and "etag" not in streamed.headers


async def test_an_authenticated_read_is_never_stored_yet_its_tag_still_saves_the_body(client):
    token = {"Authorization": "Bearer some-token"}
    first = await client.get("/score", headers=token)
    assert first.headers["cache-control"] == "private, no-store"
    assert first.headers["vary"] == "Authorization"
    # A client that kept the tag itself still gets a 304.
    again = await client.get("/score", headers=token | {"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["cache-control"] == "private, no-store"
