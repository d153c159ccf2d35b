"""A database error quotes what it was given (a graduate's name): no log line and no problem
response repeats it (issue 16), on SQLite and PostgreSQL."""

import io
import json
import logging

import httpx
import pytest
from aiokafka.structs import ConsumerRecord
from fastapi import FastAPI
from sqlalchemy import text

from shared.platform.db.engine import create_engine
from shared.platform.logging import configure_logging, described
from shared.platform.messaging.dead_letter import ERROR, dead_letter_headers
from shared.platform.web.problems import install_problem_handlers

NAME = "Dilnoza Karimova"


@pytest.fixture
def service_logs():
    """The service's own log output (its JSON lines), restored afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configure_logging(service="tests")
    output = io.StringIO()
    root.handlers[0].setStream(output)  # type: ignore[attr-defined]
    yield output.getvalue
    root.handlers[:], root.level = handlers, level


async def test_a_database_error_repeats_no_personal_value_in_logs_or_problems(
    make_database_url, service_logs
):
    engine = create_engine(await make_database_url("people"))
    async with engine.begin() as conn:
        await conn.execute(
            text("CREATE TABLE people (full_name VARCHAR(100) NOT NULL, born INTEGER NOT NULL)")
        )
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/people")
    async def add() -> None:
        async with engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO people (full_name, born) VALUES (:name, :born)"),
                {"name": NAME, "born": None},
            )

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post("/people")
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO people (full_name, born) VALUES (:name, :born)"),
                {"name": NAME, "born": None},
            )
    except Exception as error:
        logging.getLogger("tests").exception("a consumer's handler failed")
        # Found: the consumer and the relay log errors as repr(error) in a field, past the
        # formatter, and dead letters carry the error's text in a header.
        logging.getLogger("tests").warning("consumer paused", extra={"error": described(error)})
        record = ConsumerRecord("t", 0, 0, 0, 0, b"k", b"v", None, 1, 1, [])
        headers = dict(dead_letter_headers(record, group_id="g", error=error, attempts=3))
        assert NAME not in headers[ERROR].decode() and "IntegrityError" in headers[ERROR].decode()
    await engine.dispose()

    assert response.status_code == 500 and NAME not in response.text
    output = service_logs()
    records = [json.loads(line) for line in output.splitlines()]
    logged = {r["message"]: r for r in records}
    # Both failures are logged, with where they happened and what kind of error they were...
    assert "IntegrityError" in logged["consumer paused"]["error"]
    for message in ("integrity error", "a consumer's handler failed"):
        assert "IntegrityError" in logged[message]["exc_info"], logged[message]
        assert "test_database_error_logs.py" in logged[message]["exc_info"]
    # ...but not with what the statement was given.
    assert NAME not in output
    assert "Karimova" not in output
