"""The generator's client of the public API: a token per caller, an Idempotency-Key per
creation, retries where they are safe, and a tally of every answer that was not a success."""

import asyncio
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from shared.platform.auth import mint_token
from shared.platform.auth_settings import AuthSettings

# "Not now, nothing was done": a projection catching up (409), a busy database (503), a rate
# limit (429). With Retry-After, the same request is sent again after at most that long.
RETRY_LATER = frozenset({409, 429, 503})
MAX_ATTEMPTS = 40
# The outcome is unknown (no answer, or the gateway's 502/504): the same request, with the same
# Idempotency-Key, is sent again a few times with a growing pause.
OUTCOME_UNKNOWN = frozenset({502, 504})
MAX_UNKNOWN_OUTCOMES = 5
TOKEN_TTL_S = 12 * 3600
_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_EXAMPLES = 10


@dataclass
class Tally:
    """Every request and every answer that was not a success, by kind."""

    requests: int = 0
    replayed: int = 0  # creations answered from an earlier run's Idempotency-Key
    retried_later: Counter[int] = field(default_factory=Counter)  # status -> answers
    failures: Counter[str] = field(default_factory=Counter)  # "POST /path status" -> answers
    transport_errors: Counter[str] = field(default_factory=Counter)  # exception -> count
    given_up: int = 0  # requests that never succeeded
    examples: list[str] = field(default_factory=list)  # the first failures, in detail

    @property
    def errors(self) -> int:
        """Non-2xx answers other than "retry later", and transport errors (retried or not)."""
        return sum(self.failures.values()) + sum(self.transport_errors.values())


@dataclass(frozen=True)
class Answer:
    body: Any
    replayed: bool  # the first outcome of this Idempotency-Key, sent again


class Api:
    """Requests through the gateway, at most ``concurrency`` at a time."""

    def __init__(self, client: httpx.AsyncClient, *, secret: str, concurrency: int) -> None:
        self.client = client
        self.auth = AuthSettings(secret=secret)
        self.tally = Tally()
        self._slots = asyncio.Semaphore(concurrency)
        self._tokens: dict[tuple[str, str | None], tuple[str, float]] = {}

    def _authorization(self, role: str, org: str | None) -> str:
        token, minted = self._tokens.get((role, org), ("", -TOKEN_TTL_S))
        if not token or time.monotonic() - minted > TOKEN_TTL_S / 2:
            # A stable subject per caller: Idempotency-Keys are remembered per subject.
            sub = f"generator-{role}" + (f"-{org}" if org else "")
            token = mint_token(self.auth, role=role, org=org, sub=sub, ttl_s=TOKEN_TTL_S)
            self._tokens[(role, org)] = (token, time.monotonic())
        return f"Bearer {token}"

    async def send(
        self,
        method: str,
        path: str,
        *,
        role: str = "ministry",
        org: str | None = None,
        key: str | None = None,
        json: Any = None,
        csv: str | None = None,
    ) -> Answer | None:
        """The answer's body, or None once the request has failed for good (tallied)."""
        headers = {"Authorization": self._authorization(role, org)}
        if key is not None:
            headers["Idempotency-Key"] = key
        if csv is not None:
            headers["Content-Type"] = "text/csv; charset=utf-8"
        content = csv.encode() if csv is not None else None
        attempts = unknown = 0
        while True:
            attempts += 1
            try:
                async with self._slots:
                    self.tally.requests += 1
                    response = await self.client.request(
                        method, path, headers=headers, json=json, content=content
                    )
            except httpx.TransportError as error:
                self.tally.transport_errors[type(error).__name__] += 1
                unknown += 1
                if unknown >= MAX_UNKNOWN_OUTCOMES:
                    self._give_up(method, path, f"{type(error).__name__}: {error}")
                    return None
                await asyncio.sleep(0.5 * 2**unknown)
                continue
            if response.is_success:
                replayed = response.headers.get("Idempotent-Replayed") == "true"
                self.tally.replayed += replayed
                return Answer(response.json(), replayed)
            pause = _retry_after(response)
            if response.status_code in RETRY_LATER and pause is not None:
                if attempts < MAX_ATTEMPTS:
                    self.tally.retried_later[response.status_code] += 1
                    # Sooner than advised at first (a projection is usually a moment behind).
                    await asyncio.sleep(min(pause, 0.25 * 2 ** min(attempts, 5)))
                    continue
            self.tally.failures[f"{method} {_route(path)} {response.status_code}"] += 1
            if response.status_code in OUTCOME_UNKNOWN and unknown + 1 < MAX_UNKNOWN_OUTCOMES:
                unknown += 1
                await asyncio.sleep(0.5 * 2**unknown)
                continue
            self._give_up(method, path, f"{response.status_code} {response.text[:500]}")
            return None

    async def pages(self, path: str, *, role: str = "ministry", org: str | None = None) -> Any:
        """Every item of a paginated list (``path`` has a query string already)."""
        items: list[Any] = []
        cursor = ""
        while True:
            answer = await self.send("GET", f"{path}&limit=500{cursor}", role=role, org=org)
            if answer is None:
                return None
            items += answer.body["items"]
            if not answer.body.get("next_cursor"):
                return items
            cursor = f"&cursor={answer.body['next_cursor']}"

    def _give_up(self, method: str, path: str, detail: str) -> None:
        self.tally.given_up += 1
        if len(self.tally.examples) < _EXAMPLES:
            self.tally.examples.append(f"{method} {path}: {detail}")


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers["Retry-After"]))
    except (KeyError, ValueError):
        return None


def _route(path: str) -> str:
    """The path without its query and with ids as ``*`` (failures are counted per route)."""
    return "/".join("*" if _ID.match(part) else part for part in path.split("?")[0].split("/"))
