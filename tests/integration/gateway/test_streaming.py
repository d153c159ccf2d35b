"""Large bodies stream through the gateway instead of being held whole in its memory."""

import hashlib
from collections.abc import AsyncIterator

import httpx

from tests.integration.gateway.conftest import MINISTRY, fresh_tax_id

BODY_BYTES = 20 * 1024 * 1024
PIECE = b"student_ref,full_name,program_id,graduation_year\n" * 1300  # ~64 KB


def body_pieces() -> list[bytes]:
    pieces = [PIECE] * (BODY_BYTES // len(PIECE))
    return [*pieces, b"x" * (BODY_BYTES - sum(map(len, pieces)))]


async def streamed(pieces: list[bytes]) -> AsyncIterator[bytes]:
    for piece in pieces:
        yield piece


async def test_a_20_mb_upload_of_unknown_length_arrives_intact_without_growing_the_gateway_by_its_size(
    gateway,
):
    pieces = body_pieces()
    digest = hashlib.sha256(b"".join(pieces)).hexdigest()
    before = gateway.peak_memory_kib()
    async with httpx.AsyncClient(base_url=gateway.url, headers=MINISTRY, timeout=60) as client:
        response = await client.post(
            "/api/v1/quality/publications",
            content=streamed(pieces),  # sent chunked: the gateway cannot know the length
            headers={"Content-Type": "text/csv"},
        )
    grown_kib = gateway.peak_memory_kib() - before
    assert response.status_code == 200, response.text
    seen = response.json()
    assert (seen["body_bytes"], seen["body_sha256"]) == (BODY_BYTES, digest)
    assert grown_kib * 1024 < BODY_BYTES / 4, f"gateway peak memory grew by {grown_kib} KiB"


async def test_a_20_mb_upload_with_a_content_length_keeps_it_and_arrives_intact(gateway):
    body = b"".join(body_pieces())
    async with httpx.AsyncClient(base_url=gateway.url, headers=MINISTRY, timeout=60) as client:
        response = await client.post(
            "/api/v1/quality/publications", content=body, headers={"Content-Type": "text/csv"}
        )
    seen = response.json()
    received = {name.lower(): value for name, value in seen["headers"]}
    assert received["content-length"] == str(BODY_BYTES)
    assert "transfer-encoding" not in received
    assert seen["body_sha256"] == hashlib.sha256(body).hexdigest()


async def test_a_large_answer_of_unknown_length_streams_back_intact(gateway):
    size = 8 * 1024 * 1024 + 7
    pattern = bytes(range(256)) * 256
    expected = hashlib.sha256((pattern * (size // len(pattern) + 1))[:size]).hexdigest()
    digest, received = hashlib.sha256(), 0
    async with httpx.AsyncClient(base_url=gateway.url, headers=MINISTRY, timeout=60) as client:
        async with client.stream("GET", f"/api/v1/quality/scores?answer_bytes={size}") as response:
            assert response.status_code == 200
            assert "content-length" not in response.headers
            async for chunk in response.aiter_raw():
                digest.update(chunk)
                received += len(chunk)
    assert (received, digest.hexdigest()) == (size, expected)


async def test_a_csv_import_through_the_gateway_registers_the_graduates_in_the_registry(
    registry, gateway
):
    async with httpx.AsyncClient(base_url=gateway.url, headers=MINISTRY) as client:
        institution = await client.post(
            "/api/v1/organizations",
            json={
                "kind": "education",
                "subtype": "university",
                "name": "Gateway test university",
                "region_code": "UZ-SA",
                "tax_id": fresh_tax_id(),
            },
        )
        assert institution.status_code == 201, institution.text
        program = await client.post(
            "/api/v1/programs",
            json={
                "institution_id": institution.json()["id"],
                "code": "60610100",
                "name": "Program 60610100",
                "level": "6",
                "field_code": "0613",
                "language": "uz",
            },
        )
        assert program.status_code == 201, program.text
        rows = [f"S-{n:05d},Graduate {n},{program.json()['id']},2024" for n in range(500)]
        csv = "\n".join(["student_ref,full_name,program_id,graduation_year", *rows]) + "\n"
        imported = await client.post(
            "/api/v1/graduates/import",
            params={"institution_id": institution.json()["id"]},
            headers={"Content-Type": "text/csv"},
            content=streamed([csv.encode()[i : i + 4096] for i in range(0, len(csv), 4096)]),
        )
        listed = await client.get(
            registry.url + "/api/v1/graduates",
            params={"institution_id": institution.json()["id"], "limit": 1},
        )
    assert imported.status_code == 200, imported.text
    assert imported.json() == {"rows": 500, "created": 500, "updated": 0, "unchanged": 0}
    assert listed.json()["items"]
