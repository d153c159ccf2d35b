"""The dashboard: plain static files (HTML, ES modules, CSS; no build step) served by the gateway.

``/`` answers with the page, ``/dashboard/<file>`` with its scripts and styles and
``/dashboard/config.json`` with what the page must know before its first API call (whether
scores are public, so it asks for a token only when one is needed; a probing request would
show up as a failed request in the browser console; where the identity provider signs people
in and which claims of its tokens name role, organization and region). Only the files present
in the dashboard directory at start-up can be served (no path from the request reaches the
file system), and none of it appears in the API documents. The page calls the API at
``/api/v1`` on the same origin with the bearer token the user pastes, so the gateway's access
rules apply to it as to any client (docs/dashboard.md).
"""

from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse

from gateway.entrypoints.deps import SettingsDep
from gateway.service_layer import sign_in
from gateway.service_layer.sign_in import CodeExchange
from shared.platform.web.problems import ProblemError

DASHBOARD_DIR = Path(__file__).resolve().parents[2] / "dashboard"
ASSETS_PATH = "/dashboard"
_MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
# Revalidated on every load, so a deployed change is seen at once (the files are small).
_HEADERS = {"Cache-Control": "no-cache"}


def _assets(directory: Path) -> dict[str, Path]:
    return {
        path.name: path
        for path in sorted(directory.iterdir())
        if path.is_file() and path.suffix in _MEDIA_TYPES
    }


def _file(path: Path) -> FileResponse:
    return FileResponse(path, media_type=_MEDIA_TYPES[path.suffix], headers=_HEADERS)


# Listed once, when the gateway is loaded: no name from a request reaches the file system.
_ASSETS = _assets(DASHBOARD_DIR)
_PAGE = _ASSETS.pop("index.html")

router = APIRouter(tags=["dashboard"], include_in_schema=False)


@router.api_route("/", methods=["GET", "HEAD"])
async def dashboard() -> FileResponse:
    """The page."""
    return _file(_PAGE)


@router.get(ASSETS_PATH + "/config.json")
async def dashboard_config(settings: SettingsDep) -> JSONResponse:
    """What the page must know before its first API call, and where people sign in."""
    config: dict[str, Any] = {"public_scores": settings.public_scores, "api": "api/v1"}
    oidc = settings.oidc
    if oidc.enabled:
        config["sign_in"] = {
            "authorization_url": oidc.authorization_url,
            "end_session_url": oidc.end_session_url,
            "client_id": oidc.client_id,
            "scope": oidc.scope,
            # Where the provider's tokens (those naming this issuer) carry the identity: the
            # page reads the claims the services read, to show each role its workspace.
            "issuer": oidc.issuer,
            "claims": {"role": oidc.role_claim, "org": oidc.org_claim, "region": oidc.region_claim},
        }
    return JSONResponse(config, headers=_HEADERS)


@router.post(ASSETS_PATH + "/token")
async def dashboard_token(exchange: CodeExchange, settings: SettingsDep) -> JSONResponse:
    """The provider's tokens for an authorization code (with its PKCE verifier): the gateway
    exchanges it, holding the client secret the page never sees."""
    tokens = await sign_in.exchange(settings.oidc, exchange)
    return JSONResponse(tokens, headers={"Cache-Control": "no-store"})


@router.api_route(ASSETS_PATH + "/{name}", methods=["GET", "HEAD"])
async def dashboard_asset(name: str) -> FileResponse:
    """One of the page's scripts, styles or images."""
    path = _ASSETS.get(name)
    if path is None:
        raise ProblemError(404, "Not found", f"no dashboard file {name!r}")
    return _file(path)
