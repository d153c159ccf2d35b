"""The dashboard: plain static files (HTML, ES modules, CSS; no build step) served by the gateway.

``/`` answers with the page, ``/dashboard/<file>`` with its scripts and styles and
``/dashboard/config.json`` with what the page must know before its first API call (whether
scores are public, so it asks for a token only when one is needed; a probing request would
show up as a failed request in the browser console). Only the files present in the dashboard
directory at start-up can be served (no path from the request reaches the file system), and
none of it appears in the API documents. The page calls the API at ``/api/v1`` on the same
origin with the bearer token the user pastes, so the gateway's access rules apply to it as to
any client (docs/dashboard.md).
"""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse

from shared.platform.web.problems import ProblemError

DASHBOARD_DIR = Path(__file__).resolve().parents[1] / "dashboard"
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


def dashboard_router(*, public_scores: bool, directory: Path = DASHBOARD_DIR) -> APIRouter:
    """GET / (the page) and GET /dashboard/{name} (its files), outside the API documents."""
    assets = _assets(directory)
    config = {"public_scores": public_scores, "api": "api/v1"}
    page = assets.pop("index.html")
    router = APIRouter(tags=["dashboard"], include_in_schema=False)

    @router.api_route("/", methods=["GET", "HEAD"])
    async def dashboard() -> FileResponse:
        return _file(page)

    @router.get(ASSETS_PATH + "/config.json")
    async def dashboard_config() -> JSONResponse:
        return JSONResponse(config, headers=_HEADERS)

    @router.api_route(ASSETS_PATH + "/{name}", methods=["GET", "HEAD"])
    async def dashboard_asset(name: str) -> FileResponse:
        path = assets.get(name)
        if path is None:
            raise ProblemError(404, "Not found", f"no dashboard file {name!r}")
        return _file(path)

    return router
