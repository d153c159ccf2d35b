"""The verified caller as a FastAPI dependency (``CurrentIdentity``)."""

import asyncio
from typing import Annotated

from fastapi import Depends, Request

from shared.platform.auth import Identity, TokenVerifier, bearer_identity
from shared.platform.db.audit import current_actor


async def current_identity(request: Request) -> Identity:
    """The verified caller; 401 problem when the bearer token is missing or invalid. It is
    also who the audit trail records for the request's writes."""
    verifier: TokenVerifier = request.app.state.token_verifier
    authorization = request.headers.get("authorization", "")
    if verifier.fetches_keys:  # a stale key set is fetched with blocking I/O: off the loop
        identity = await asyncio.to_thread(bearer_identity, verifier, authorization)
    else:
        identity = bearer_identity(verifier, authorization)
    current_actor.set(identity)
    return identity


CurrentIdentity = Annotated[Identity, Depends(current_identity)]
