"""Domain errors are plain Python; only the web edge turns them into RFC 9457 problems, and a
database integrity error is a 409 only when it is a unique violation (by its error code)."""

import sqlite3

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.exc import IntegrityError

from shared.platform import errors
from shared.platform.web.problems import install_problem_handlers

PROBLEM_JSON = "application/problem+json"


def sqlite_error(statement: str) -> IntegrityError:
    """A real sqlite3 integrity error, wrapped as SQLAlchemy wraps it."""
    db = sqlite3.connect(":memory:")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT UNIQUE, name TEXT NOT NULL)")
    db.execute("CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent(id))")
    db.execute("INSERT INTO parent VALUES (1, 'a', 'first')")
    try:
        db.execute(statement)
    except sqlite3.IntegrityError as error:
        return IntegrityError(statement, {}, error)
    raise AssertionError(f"{statement} broke no rule")


RAISED = {
    "not-found": errors.NotFound("program", "p-1"),
    "forbidden": errors.Forbidden("an institution manages only its own programs"),
    "unauthenticated": errors.Unauthenticated("a bearer token is required"),
    "conflict": errors.Conflict("already registered", field="tax_id"),
    "not-known-yet": errors.NotKnownYet("graduate_id", "not known yet", retry_after=5),
    "rule": errors.RuleViolation(("items", 3, "ratings"), "unknown competency"),
    "query": errors.InvalidQuery(("query", "cursor"), "not a cursor we gave"),
    "refused": errors.Refused("2 of 9 items", errors=[{"loc": ["body", "items", 1], "msg": "x"}]),
    "refused-retry": errors.Refused("all behind", errors=[], retry_after=5),
    "unique": sqlite_error("INSERT INTO parent VALUES (2, 'a', 'twin')"),
    "duplicate-key": sqlite_error("INSERT INTO parent VALUES (1, 'b', 'again')"),
    "foreign-key": sqlite_error("INSERT INTO child VALUES (1, 99)"),
    "not-null": sqlite_error("INSERT INTO parent VALUES (3, 'c', NULL)"),
}


@pytest.fixture
async def client():
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/raise/{name}")
    async def raise_(name: str) -> None:
        raise RAISED[name]

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.mark.parametrize(
    ("name", "status", "loc"),
    [
        ("not-found", 404, None),
        ("forbidden", 403, None),
        ("unauthenticated", 401, None),
        ("conflict", 409, ["body", "tax_id"]),
        ("not-known-yet", 409, ["body", "graduate_id"]),
        ("rule", 422, ["body", "items", 3, "ratings"]),
        ("query", 400, ["query", "cursor"]),
        ("refused", 422, ["body", "items", 1]),
    ],
)
async def test_each_domain_error_becomes_its_problem_naming_the_field(client, name, status, loc):
    response = await client.get(f"/raise/{name}")
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["status"] == status and body["detail"] == str(RAISED[name])
    if loc is None:
        assert "errors" not in body
    else:
        assert body["errors"][0]["loc"] == loc


async def test_a_refusal_that_may_pass_later_says_when_to_retry(client):
    for name in ("not-known-yet", "refused-retry"):
        response = await client.get(f"/raise/{name}")
        assert response.status_code == 409
        assert response.headers["retry-after"] == "5"


async def test_an_unauthenticated_caller_is_challenged_for_a_bearer_token(client):
    response = await client.get("/raise/unauthenticated")
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("name", ["unique", "duplicate-key"])
async def test_a_unique_violation_is_a_conflict_with_a_concurrent_twin(client, name):
    response = await client.get(f"/raise/{name}")
    assert response.status_code == 409
    assert "at the same time" in response.json()["detail"]


@pytest.mark.parametrize("name", ["foreign-key", "not-null"])
async def test_any_other_integrity_error_is_our_bug_a_500_that_says_nothing_of_the_database(
    client, name
):
    response = await client.get(f"/raise/{name}")
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM_JSON
    assert "parent" not in response.text and "child" not in response.text
