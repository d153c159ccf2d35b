"""Sending webhooks: the signed POST of a CloudEvent to a receiver, over one aiohttp session.

Why an attempt got no answer (a name that does not resolve, one that resolves to a private
address, a refused connection, a timeout) goes to the log only: the subscriber sees
"delivery failed" whatever the cause, or the test delivery would tell anyone who may subscribe
which names and ports exist inside the gateway's network.
"""

import errno
import logging
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from gateway.domain.deliveries import Outcome
from gateway.domain.quality_events import cloudevent_json
from gateway.domain.signing import SIGNATURE_HEADER, signature
from gateway.domain.subscriptions import is_private_address
from shared.platform.messaging.envelope import CONTENT_TYPE

log = logging.getLogger(__name__)
FAILED = "delivery failed"  # the one reason a subscriber sees for an attempt without an answer


class PrivateTargetRefused(OSError):
    """A webhook URL that leads to a loopback, private or link-local address."""


class _PublicOnlyResolver(AbstractResolver):
    """Resolves as usual, keeping only public addresses: a name that points into the
    gateway's own network (the services, their databases) is refused at connect time."""

    def __init__(self) -> None:
        self._inner = DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        resolved = await self._inner.resolve(host, port, family)
        public = [r for r in resolved if not is_private_address(r["host"])]
        if not public:
            # (errno, text): aiohttp shows the text in the error it raises from this.
            raise PrivateTargetRefused(errno.EPERM, "refused: not a public address")
        return public

    async def close(self) -> None:
        await self._inner.close()


class WebhookSender:
    """One aiohttp session for all receivers; use as ``async with WebhookSender(...)``."""

    def __init__(self, *, timeout_s: float, allow_private: bool, connections: int = 64) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._allow_private = allow_private
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> "WebhookSender":
        connector = aiohttp.TCPConnector(
            limit=self._connections,
            resolver=None if self._allow_private else _PublicOnlyResolver(),
        )
        self._session = aiohttp.ClientSession(
            connector=connector, timeout=self._timeout, trust_env=False
        )
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send(
        self, *, url: str, secret: str, payload: dict[str, Any], attempt: int = 1
    ) -> Outcome:
        """POST the CloudEvent, signed; never raises for the receiver's or the network's faults."""
        assert self._session is not None, "use WebhookSender as an async context manager"
        started = time.perf_counter()
        host = urlsplit(url).hostname or ""
        if not self._allow_private and is_private_address(host):
            # aiohttp connects to an IP literal without asking the resolver: checked here.
            return _failed(host, f"refused: {host} is not a public address", started)
        body = cloudevent_json(payload).encode()
        headers = {
            "Content-Type": CONTENT_TYPE,
            "User-Agent": "EduCluster-Webhooks/1",
            "EduCluster-Event-Id": str(payload["id"]),
            "EduCluster-Delivery-Attempt": str(attempt),
            SIGNATURE_HEADER: signature(secret, body),
        }
        try:
            async with self._session.post(
                url, data=body, headers=headers, allow_redirects=False
            ) as response:
                await response.content.read(1024)  # a little of the answer; the status decides
                status = response.status
        except TimeoutError:
            return _failed(host, f"no answer within {self._timeout.total:g} s", started)
        except (aiohttp.ClientError, OSError) as error:
            return _failed(host, f"{type(error).__name__}: {error}", started)
        return Outcome(status, None, _ms(started))


def _failed(host: str, cause: str, started: float) -> Outcome:
    log.warning("webhook delivery failed", extra={"host": host, "error": cause[:500]})
    return Outcome(None, FAILED, _ms(started))


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
