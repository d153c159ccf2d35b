"""Fair sending to webhook receivers, per target (scheme, host and port).

A few attempts at a time per target, so a slow receiver holds only its own deliveries; and a
circuit breaker per target: after failures in a row it opens, its deliveries wait (pending, not
failed) for a cool-down that doubles after each failed trial up to a cap, then one trial
attempt closes it again or reopens it. The state lives in one process (each gateway replica
judges targets by its own attempts).
"""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from gateway.domain.deliveries import DueDelivery
from gateway.domain.subscriptions import target_of


@dataclass(frozen=True)
class TargetLimits:
    per_target: int  # attempts at once to one target
    failures_to_open: int  # failed attempts in a row that open its circuit
    cooldown_s: float  # the first open period; doubled after each failed trial
    cooldown_cap_s: float


@dataclass
class _Target:
    in_flight: int = 0
    failures: int = 0  # failed attempts in a row
    opened: int = 0  # times opened since the last success
    open_until: float = 0.0


class Targets:
    """Which due deliveries may be sent now; told when each attempt starts and ends."""

    def __init__(self, limits: TargetLimits, *, clock: Callable[[], float] = time.monotonic):
        self._limits = limits
        self._clock = clock
        self._targets: dict[str, _Target] = {}
        self._subscriptions: dict[str, str] = {}  # subscription id → its target, as last seen

    @property
    def tracked(self) -> int:
        """Targets with attempts in flight or failures remembered."""
        return len(self._targets)

    def room(self, target: str) -> int:
        """Attempts the target may take now: none while its circuit is open, one trial once
        the cool-down is over, else what its share leaves."""
        state = self._targets.get(target)
        if state is None:
            return self._limits.per_target
        if state.failures >= self._limits.failures_to_open:
            if self._clock() < state.open_until:
                return 0
            return max(0, 1 - state.in_flight)  # half-open: one trial at a time
        return max(0, self._limits.per_target - state.in_flight)

    def blocked_subscriptions(self) -> set[str]:
        """Subscriptions whose target can take nothing now: left out when claiming, so their
        deliveries stay pending and due, and others' are found instead."""
        return {s for s, target in self._subscriptions.items() if self.room(target) == 0}

    def pick(self, candidates: Iterable[DueDelivery], *, limit: int) -> list[DueDelivery]:
        """Up to ``limit`` of the candidates, in their order, each target within its room."""
        taken: dict[str, int] = {}
        picked: list[DueDelivery] = []
        for due in candidates:
            target = target_of(due.url)
            self._subscriptions[due.subscription_id] = target
            if len(picked) < limit and taken.get(target, 0) < self.room(target):
                taken[target] = taken.get(target, 0) + 1
                picked.append(due)
        return picked

    def start(self, started: Iterable[DueDelivery]) -> None:
        for due in started:
            self._targets.setdefault(target_of(due.url), _Target()).in_flight += 1

    def finished(self, target: str, *, trouble: bool) -> bool:
        """An attempt ended; ``trouble``: the target did not answer, or answered 5xx or 429.
        True when this opened the target's circuit."""
        state = self._targets.setdefault(target, _Target())
        state.in_flight = max(0, state.in_flight - 1)
        if not trouble:
            state.failures = state.opened = 0
            if state.in_flight == 0:
                del self._targets[target]  # healthy and idle: nothing to remember
            return False
        state.failures += 1
        now = self._clock()
        if state.failures < self._limits.failures_to_open or now < state.open_until:
            return False
        state.opened += 1
        limits = self._limits
        cooldown = limits.cooldown_s * 2.0 ** min(state.opened - 1, 30)
        state.open_until = now + min(limits.cooldown_cap_s, cooldown)
        return True
