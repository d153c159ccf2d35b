"""A stand-in service that does almost nothing, to show the gateway hop's own cost.

Served on the quality service's paths (the gateway routes /api/v1/quality to it in the bench):
a plain FastAPI app as in PERF.md's HTTP ceiling, one GET and one POST with a pydantic body.
"""

from fastapi import FastAPI
from pydantic import BaseModel


class Note(BaseModel):
    name: str
    tax_id: str


def create_app() -> FastAPI:
    app = FastAPI()

    @app.get("/api/v1/quality/ping")
    async def ping() -> dict[str, bool]:
        return {"ok": True}

    @app.post("/api/v1/quality/echo", status_code=201)
    async def echo(note: Note) -> Note:
        return note

    return app
