"""What the gateway tells the dashboard in /dashboard/config.json about the identity provider:
where to sign in, and where the provider's tokens carry role, organization and region, so the
page reads the same claims the services do (EDUCLUSTER_OIDC_*_CLAIM)."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.gateway.conftest import Served, environment, migrate, serve

ISSUER = "https://id.edu.example/realms/ministry"
PROVIDER = {
    "EDUCLUSTER_OIDC_ISSUER": ISSUER,
    "EDUCLUSTER_OIDC_JWKS_URL": f"{ISSUER}/protocol/openid-connect/certs",
    "EDUCLUSTER_OIDC_AUTHORIZATION_URL": f"{ISSUER}/protocol/openid-connect/auth",
    "EDUCLUSTER_OIDC_TOKEN_URL": f"{ISSUER}/protocol/openid-connect/token",
}


def gateway_with(data_dir: Path, **env: str) -> Iterator[Served]:
    settings = environment(data_dir) | env
    migrate("gateway", settings)
    served = serve("gateway", env=settings, data_dir=data_dir, ready_path="/healthz")
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture(scope="module")
def custom_claims(tmp_path_factory) -> Iterator[Served]:
    yield from gateway_with(
        tmp_path_factory.mktemp("custom-claims"),
        **PROVIDER,
        EDUCLUSTER_OIDC_ROLE_CLAIM="educluster.role",
        EDUCLUSTER_OIDC_ORG_CLAIM="educluster.org",
        EDUCLUSTER_OIDC_REGION_CLAIM="region_code",
    )


@pytest.fixture(scope="module")
def no_provider(tmp_path_factory) -> Iterator[Served]:
    yield from gateway_with(tmp_path_factory.mktemp("no-provider"))


def test_the_page_learns_the_providers_claim_names_and_its_issuer(custom_claims):
    config = httpx.get(f"{custom_claims.url}/dashboard/config.json").json()
    sign_in = config["sign_in"]
    # The names apply to the provider's tokens only (chosen by iss, as the services choose).
    assert sign_in["issuer"] == ISSUER
    assert sign_in["claims"] == {
        "role": "educluster.role",
        "org": "educluster.org",
        "region": "region_code",
    }
    assert sign_in["authorization_url"] == PROVIDER["EDUCLUSTER_OIDC_AUTHORIZATION_URL"]
    assert "client_secret" not in str(config)


def test_without_a_provider_there_is_no_sign_in_and_no_claim_names(no_provider):
    config = httpx.get(f"{no_provider.url}/dashboard/config.json").json()
    assert config == {"public_scores": False, "api": "api/v1"}
