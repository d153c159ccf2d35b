"""The verified caller as a FastAPI dependency (``CurrentIdentity``)."""

from typing import Annotated

from fastapi import Depends, Request

from shared.platform.auth import Identity, TokenVerifier, bearer_identity


async def current_identity(request: Request) -> Identity:
    """The verified caller; 401 problem when the bearer token is missing or invalid."""
    verifier: TokenVerifier = request.app.state.token_verifier
    return bearer_identity(verifier, request.headers.get("authorization", ""))


CurrentIdentity = Annotated[Identity, Depends(current_identity)]
