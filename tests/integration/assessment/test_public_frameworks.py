"""Frameworks are public reference data: the assessment service answers a read without a token
(the gateway lets one through only where public scores are on), so a reader of public scores
sees competency and domain names instead of codes."""

from tests.integration.registry.conftest import MINISTRY, headers
from tests.support import eventually


async def test_frameworks_are_read_without_a_token(platform):
    _, assessment = platform
    listed = await eventually(
        lambda: assessment.get("/api/v1/frameworks"),
        until=lambda r: r.status_code == 200 and r.json()["items"],
        what="the default framework, read without a token",
    )
    framework = listed.json()["items"][0]
    assert (
        framework
        == (await assessment.get("/api/v1/frameworks", headers=MINISTRY)).json()["items"][0]
    )
    one = await assessment.get(f"/api/v1/frameworks/{framework['id']}")
    assert one.status_code == 200 and one.json() == framework
    assert (await assessment.get("/api/v1/frameworks/nope")).status_code == 404


async def test_a_broken_token_or_an_operator_is_still_refused(platform):
    _, assessment = platform
    broken = {"Authorization": "Bearer not-a-token"}
    assert (await assessment.get("/api/v1/frameworks", headers=broken)).status_code == 401
    operator = headers("operator")
    assert (await assessment.get("/api/v1/frameworks", headers=operator)).status_code == 403
    # Publishing is the ministry's, as before.
    assert (await assessment.post("/api/v1/frameworks", json={})).status_code == 401
