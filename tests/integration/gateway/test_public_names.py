"""The names a reader of public scores needs (the quality service's names of scored units, the
competency frameworks) pass the gateway without a token only when public scores are on.

The echo stands in for the quality and assessment services: a request let through is
answered 200 with what reached the service; a refused one is the gateway's own 401.
"""

from collections.abc import Iterator

import httpx
import pytest

from tests.integration.gateway.conftest import Served, assert_problem, running_gateway

PATHS = ("/api/v1/quality/names", "/api/v1/frameworks", "/api/v1/frameworks/fw-1")


@pytest.fixture(scope="module", params=["true", "false"], ids=["public", "closed"])
def gateway_of(request, data_dir, echo_service) -> Iterator[tuple[bool, Served]]:
    """A gateway with public scores on or off; every service is the echo."""
    urls = {f"{s}_url": echo_service.url for s in ("registry", "assessment", "quality")}
    with running_gateway(data_dir, public_scores=request.param, **urls) as served:
        yield request.param == "true", served


@pytest.mark.parametrize("path", PATHS)
async def test_names_are_read_anonymously_only_where_scores_are_public(gateway_of, path):
    public, gateway = gateway_of
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        response = await client.get(path)
    if public:
        assert response.status_code == 200, response.text
        assert response.json()["target"] == path  # forwarded, with no Authorization
        assert "authorization" not in {name.lower() for name, _ in response.json()["headers"]}
    else:
        assert_problem(response, 401, mentioning="a bearer token is required")
