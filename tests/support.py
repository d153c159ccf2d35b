"""Helpers the tests share: real databases, a real broker, and polling for eventual results."""

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar
from uuid import uuid4

import asyncpg

T = TypeVar("T")

# Tokens made when a test module is imported must outlive the whole run (collection imports
# every module first): a full `make reliability` takes over an hour, past the 1 h default.
TEST_TOKEN_TTL_S = 12 * 3600

POSTGRES_ADMIN_DSN = os.environ.get(
    "EDUCLUSTER_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"
)


async def eventually(
    probe: Callable[[], Awaitable[T]],
    *,
    until: Callable[[T], bool] = bool,
    timeout_s: float = 45.0,
    interval_s: float = 0.1,
    what: str = "condition",
) -> T:
    """Poll ``probe`` until ``until(result)`` holds; fail with the last result on timeout."""
    deadline = time.monotonic() + timeout_s
    result = await probe()
    while not until(result):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached in {timeout_s:.0f} s; last: {result!r}")
        await asyncio.sleep(interval_s)
        result = await probe()
    return result


async def stays(
    probe: Callable[[], Awaitable[T]],
    *,
    holds: Callable[[T], bool],
    for_s: float = 1.0,
    interval_s: float = 0.1,
    what: str = "condition",
) -> T:
    """Poll ``probe`` for ``for_s`` seconds and fail as soon as ``holds(result)`` does not: a
    negative check ("nothing else arrives") that looks, rather than sleeping and hoping."""
    deadline = time.monotonic() + for_s
    while True:
        result = await probe()
        if not holds(result):
            raise AssertionError(f"{what} stopped holding; now: {result!r}")
        if time.monotonic() > deadline:
            return result
        await asyncio.sleep(interval_s)


async def create_postgres_database() -> str:
    """A fresh, empty PostgreSQL database; returns its SQLAlchemy async URL."""
    name = f"ec_test_{uuid4().hex[:12]}"
    conn = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{name}"


async def drop_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def educluster(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    """Run the `educluster` command in a child process; returns (exit code, stdout, stderr)."""
    import os
    import sys

    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "educluster.main",
        *args,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    return process.returncode or 0, out.decode(), err.decode()
