"""The gateway's one pool of keep-alive connections to the services."""

import aiohttp

from gateway.config import GatewaySettings


class Upstreams:
    """One aiohttp session shared by every proxied request, opened on first use.

    Opened lazily because an aiohttp session belongs to the running event loop, which does not
    exist yet when the app is built; closed by the service's stop hook.
    """

    def __init__(self, settings: GatewaySettings) -> None:
        self._settings = settings
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = self._open()
        return self._session

    def _open(self) -> aiohttp.ClientSession:
        settings = self._settings
        connector = aiohttp.TCPConnector(
            limit=settings.upstream_connections,
            limit_per_host=0,
            keepalive_timeout=settings.upstream_keepalive_s,
            ttl_dns_cache=300,
        )
        return aiohttp.ClientSession(
            connector=connector,
            # No total deadline: a large import may take long as long as bytes keep moving.
            timeout=aiohttp.ClientTimeout(
                total=None,
                sock_connect=settings.connect_timeout_s,
                sock_read=settings.read_timeout_s,
            ),
            # A proxy passes bodies and headers as they are: no decompression, no cookies kept
            # between different clients' requests, no invented Accept or Content-Type.
            auto_decompress=False,
            cookie_jar=aiohttp.DummyCookieJar(),
            skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
            trust_env=False,
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
