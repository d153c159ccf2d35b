"""A one-line text progress bar: what is loaded of each kind against its total, the request
rate and the errors so far."""

import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping
from typing import TextIO

from shared.devtools.generator.api import Tally

# What one item of a kind costs, roughly, in requests' time: graduates come a file at a time
# and assessments a few hundred to a request; the rest one request each.
_COST = {"graduates": 0.02, "assessments": 0.3}
_WIDTH = 24


class Progress:
    """Redrawn in place at most four times a second on a terminal; elsewhere (a log, a pipe)
    written as a new line every ``log_interval_s``."""

    def __init__(
        self,
        totals: Mapping[str, int],
        *,
        estimated: frozenset[str] = frozenset(),
        tally: Tally,
        stream: TextIO = sys.stderr,
        log_interval_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.totals = dict(totals)
        self.estimated = estimated  # kinds whose total is a guess (it is corrected at the end)
        self.finished = False
        self.done: Counter[str] = Counter()
        self.tally = tally
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self.interactive = stream.isatty()
        self.interval = 0.25 if self.interactive else log_interval_s
        self._drawn = self.started

    def add(self, kind: str, count: int = 1) -> None:
        self.done[kind] += count
        if self.clock() - self._drawn >= self.interval:
            self._draw()

    def fraction(self) -> float:
        whole = sum(_COST.get(kind, 1.0) * total for kind, total in self.totals.items())
        done = sum(
            _COST.get(kind, 1.0) * min(self.done[kind], total)
            for kind, total in self.totals.items()
        )
        if not whole:
            return 1.0 if self.finished else 0.0
        return done / whole if self.finished else min(0.99, done / whole)

    def line(self) -> str:
        elapsed = max(self.clock() - self.started, 1e-9)
        fraction = self.fraction()
        filled = int(fraction * _WIDTH)
        counts = " ".join(self._count(kind) for kind in self.totals)
        return (
            f"[{'#' * filled}{'.' * (_WIDTH - filled)}] {fraction:3.0%} {counts} | "
            f"{self.tally.requests / elapsed:,.0f} req/s | {self.tally.errors} errors | "
            f"{elapsed:,.0f} s"
        )

    def _count(self, kind: str) -> str:
        about = "~" if kind in self.estimated and not self.finished else ""
        return f"{kind} {self.done[kind]:,}/{about}{self.totals[kind]:,}"

    def finish(self) -> None:
        """The last state, on a line of its own."""
        self.finished = True
        for kind in self.estimated:
            self.totals[kind] = self.done[kind]
        self._draw()
        if self.interactive:
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self) -> None:
        self._drawn = self.clock()
        if self.interactive:
            self.stream.write(f"\r{self.line()}\x1b[K")
        else:
            self.stream.write(f"generate: {self.line()}\n")
        self.stream.flush()
