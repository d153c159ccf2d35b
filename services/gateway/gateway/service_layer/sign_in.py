"""Sign-in through the identity provider: the authorization code, exchanged for tokens.

The dashboard sends people to the provider (authorization code flow with PKCE, RFC 7636) and
comes back with a code; the gateway exchanges it at the provider's token endpoint, as the
confidential client when a secret is configured, and hands the page the token it calls the
API with (docs/identity.md). The services verify that token like any other: the gateway
vouches for nothing.
"""

import httpx
from pydantic import BaseModel, ConfigDict, Field

from shared.platform.auth_settings import OidcSettings
from shared.platform.web.problems import ProblemError

EXCHANGE_TIMEOUT_S = 10.0


class CodeExchange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=2048)
    # RFC 7636: 43 to 128 characters of [A-Z a-z 0-9 - . _ ~].
    code_verifier: str = Field(pattern=r"^[A-Za-z0-9\-._~]{43,128}$")
    redirect_uri: str = Field(min_length=1, max_length=2048)


async def exchange(oidc: OidcSettings, request: CodeExchange) -> dict[str, object]:
    """{"token": what the API is called with, "id_token": for signing out, "expires_in"}."""
    if not oidc.enabled or oidc.token_url is None:
        raise ProblemError(404, "Not found", "sign-in through an identity provider is not set up")
    form = {
        "grant_type": "authorization_code",
        "code": request.code,
        "redirect_uri": request.redirect_uri,
        "code_verifier": request.code_verifier,
        "client_id": oidc.client_id,
    }
    auth = httpx.BasicAuth(oidc.client_id, oidc.client_secret) if oidc.client_secret else None
    try:
        async with httpx.AsyncClient(timeout=EXCHANGE_TIMEOUT_S, auth=auth) as client:
            answer = await client.post(oidc.token_url, data=form)
    except httpx.HTTPError as error:
        raise ProblemError(
            503,
            "Identity provider unavailable",
            f"the identity provider did not answer ({type(error).__name__}); try again",
            headers={"Retry-After": "5"},
        ) from error
    tokens = answer.json() if answer.is_success else {}
    token = tokens.get(oidc.token_use) if isinstance(tokens, dict) else None
    if not isinstance(token, str):
        # The provider's own reason (an expired or reused code) is for its logs, not ours.
        raise ProblemError(
            400,
            "Sign-in refused",
            "the identity provider did not accept the sign-in; start it again",
            errors=[{"loc": ["body", "code"], "msg": "not accepted by the identity provider"}],
        )
    return {
        "token": token,
        "id_token": tokens.get("id_token"),
        "expires_in": tokens.get("expires_in"),
    }
