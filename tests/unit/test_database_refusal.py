"""A PostgreSQL database that refuses connections is an outage: a consumer retries the event
(never dead-letters it) and a request is a 503 "nothing was saved", never a 500."""

import httpx
from fastapi import FastAPI
from sqlalchemy.exc import DBAPIError

from shared.platform.db.failures import refuses_connections
from shared.platform.messaging.inbox_apply import is_outage
from shared.platform.web.problems import install_problem_handlers


def postgres_error(sqlstate: str, statement: str | None = None) -> DBAPIError:
    class AsyncpgError(Exception):
        pass

    cause = AsyncpgError("refused")
    cause.sqlstate = sqlstate  # type: ignore[attr-defined]
    return DBAPIError(statement, {}, cause)


def test_connection_refusals_are_outages_and_other_errors_are_not():
    for refused in ("08006", "53300", "57P01", "57P03"):
        assert refuses_connections(postgres_error(refused)) and is_outage(postgres_error(refused))
    # ALLOW_CONNECTIONS false says 55000 while connecting; in a statement 55000 is another error.
    assert refuses_connections(postgres_error("55000"))
    assert not refuses_connections(postgres_error("55000", statement="SELECT 1"))
    assert not is_outage(postgres_error("22P02", statement="SELECT 1"))


async def test_a_request_while_the_database_refuses_connections_is_a_503():
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/things")
    async def things() -> None:
        raise postgres_error("55000")

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answer = await client.get("/things")
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "5"
    assert "nothing was saved" in answer.json()["detail"]


def test_a_connection_cut_mid_statement_is_an_outage():
    """Found by the reliability run: PostgreSQL terminating the sessions while a statement was
    on the wire left asyncpg's protocol confused (InternalClientError, no SQLSTATE). SQLAlchemy
    wrapped it as an InternalError, which was answered 500; it is the connection's loss."""
    import asyncpg
    from sqlalchemy.exc import InternalError

    cut = InternalError("INSERT INTO assessments …", {}, asyncpg.InternalClientError("state"))
    assert refuses_connections(cut) and is_outage(cut)
    invalidated = DBAPIError("SELECT 1", {}, Exception("gone"), connection_invalidated=True)
    assert refuses_connections(invalidated)
    assert not refuses_connections(InternalError("SELECT 1", {}, Exception("a bug of ours")))
