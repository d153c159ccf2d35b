"""A service that is down or silent is a 503 or 504 problem naming it, never a hang."""

import time

import httpx

from tests.integration.gateway.conftest import (
    MINISTRY,
    READ_TIMEOUT_S,
    assert_problem,
    running_gateway,
    running_registry,
)

GENEROUS_S = 5.0  # far above the timeouts involved; only a hang would exceed it


async def test_a_stopped_service_is_a_503_problem_naming_it_at_once(tmp_path):
    with running_registry(tmp_path) as registry:
        with running_gateway(tmp_path, registry_url=registry.url, connect_timeout_s="2") as gateway:
            async with httpx.AsyncClient(base_url=gateway.url, headers=MINISTRY) as client:
                # A pooled keep-alive connection to the registry exists when it goes away.
                assert (await client.get("/api/v1/regions/UZ-TO")).status_code == 200
                registry.stop()
                started = time.monotonic()
                response = await client.get("/api/v1/regions/UZ-TO")
                elapsed = time.monotonic() - started
    problem = assert_problem(response, 503, mentioning="the registry service is unavailable")
    assert problem["service"] == "registry"
    assert elapsed < GENEROUS_S


async def test_a_service_that_never_answers_is_a_504_problem_naming_it_after_the_read_timeout(
    gateway,
):
    async with httpx.AsyncClient(base_url=gateway.url, headers=MINISTRY) as client:
        started = time.monotonic()
        response = await client.get("/api/v1/frameworks")
        elapsed = time.monotonic() - started
    problem = assert_problem(
        response, 504, mentioning=f"assessment service did not answer within {READ_TIMEOUT_S:g} s"
    )
    assert problem["service"] == "assessment"
    assert READ_TIMEOUT_S * 0.9 <= elapsed < READ_TIMEOUT_S + GENEROUS_S


async def test_a_write_to_a_service_that_never_answers_is_a_504_problem_too(gateway):
    async with httpx.AsyncClient(base_url=gateway.url, headers=MINISTRY) as client:
        response = await client.post("/api/v1/frameworks", json={"code": "x"})
    assert_problem(response, 504, mentioning="assessment")


async def test_a_504_says_the_outcome_is_unknown_and_how_to_retry_safely(gateway):
    async with httpx.AsyncClient(base_url=gateway.url, headers=MINISTRY) as client:
        response = await client.post("/api/v1/frameworks", json={"code": "x"})
    problem = assert_problem(response, 504, mentioning="may or may not have been carried out")
    assert "same Idempotency-Key" in problem["detail"]
