"""How long the current request may still work: its budget, shorter than the gateway's timeout.

A request either commits in time and answers, or rolls back and says so (503 + Retry-After):
never a commit after the caller was told the request failed. The web edge starts a budget per
request (``within``); the unit of work checks it before committing and hands what is left to
PostgreSQL as the transaction's statement timeout. Outside a request there is no deadline.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from shared.platform.errors import Unavailable

# (deadline on the monotonic clock, the budget it was set from)
_deadline: ContextVar[tuple[float, float] | None] = ContextVar("deadline", default=None)
RETRY_AFTER_S = 2


@contextmanager
def within(budget_s: float) -> Iterator[None]:
    """Give the code inside ``budget_s`` seconds (monotonic clock)."""
    token = _deadline.set((time.monotonic() + budget_s, budget_s))
    try:
        yield
    finally:
        _deadline.reset(token)


def restart() -> None:
    """Give the current budget again from now (e.g. once an upload has fully arrived)."""
    current = _deadline.get()
    if current is not None:
        _deadline.set((time.monotonic() + current[1], current[1]))


def remaining_s() -> float | None:
    """Seconds left of the current budget, or None outside a budget."""
    current = _deadline.get()
    return None if current is None else current[0] - time.monotonic()


def check() -> None:
    """Unavailable when the current budget is spent (call it before committing)."""
    left = remaining_s()
    if left is not None and left <= 0:
        raise Unavailable(
            "The request ran out of time before its changes could be saved; nothing was "
            "saved. Retry it (with the same Idempotency-Key, if it has one).",
            retry_after=RETRY_AFTER_S,
        )
