"""A stand-in service that does almost nothing, to show the gateway hop's own cost.

Served on paths of the quality service the gateway lists (it routes /api/v1/quality here and
refuses paths its matrix does not list):
a plain FastAPI app as in PERF.md's HTTP ceiling, one GET and one POST with a pydantic body.
"""

from fastapi import FastAPI
from pydantic import BaseModel


class Note(BaseModel):
    name: str
    tax_id: str


def create_app() -> FastAPI:
    app = FastAPI()

    @app.get("/api/v1/quality/methodology")
    async def ping() -> dict[str, bool]:
        return {"ok": True}

    @app.post("/api/v1/quality/methodology", status_code=201)
    async def echo(note: Note) -> Note:
        return note

    return app
