"""The summary of a load: what was created, how fast, and every error."""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from shared.devtools.generator.api import Tally
from shared.devtools.generator.loader import KINDS
from shared.devtools.generator.world import World

ORDER = (
    *KINDS.values(),
    "programs",
    "clusters",
    "cluster members",
    "graduates",
    "employments",
    "requirements",
    "assessments",
)


@dataclass(frozen=True)
class Report:
    world: World
    created: Counter[str]
    existing: Counter[str]  # answered from an earlier run (Idempotency-Key, re-import)
    skipped: Counter[str]  # not sent: what they refer to had failed
    seconds: Mapping[str, float]  # by phase
    tally: Tally
    elapsed_s: float

    @property
    def clean(self) -> bool:
        """Nothing failed: no error, nothing given up, nothing left out."""
        return not (self.tally.errors or self.tally.given_up or sum(self.skipped.values()))

    def lines(self) -> list[str]:
        world, calendar = self.world, self.world.calendar
        codes = [r.code for r in world.regions]
        where = ", ".join(codes) if len(codes) <= 3 else f"{len(codes)} regions"
        lines = [
            f"world {world.size.name!r}, seed {world.seed}: {where}; cohorts "
            f"{calendar.cohort_years[0]}-{calendar.cohort_years[-1]}, assessed in "
            f"{calendar.periods[0]}-{calendar.periods[-1]}",
            f"created: {_counts(self.created)}",
        ]
        if sum(self.existing.values()):
            lines.append(f"already there (an earlier run): {_counts(self.existing)}")
        if sum(self.skipped.values()):
            lines.append(f"not sent, as what they refer to failed: {_counts(self.skipped)}")
        lines.append(self._rates())
        lines.append(self._errors())
        failures = self.tally.failures.most_common(10)
        lines += [f"  {count:,} x {route}" for route, count in failures]
        lines += [f"  {example}" for example in self.tally.examples]
        return lines

    def _rates(self) -> str:
        elapsed = max(self.elapsed_s, 1e-9)
        phases = ", ".join(
            f"{phase} {seconds:.1f} s" for phase, seconds in self.seconds.items() if seconds
        )
        sent = {kind: self.created[kind] + self.existing[kind] for kind in ORDER}
        rates = [
            f"{sent[kind] / self.seconds[phase]:,.0f} {kind}/s"
            for kind, phase in (
                ("employments", "graduates and employments"),
                ("assessments", "assessments"),
            )
            if self.seconds.get(phase) and sent[kind]
        ]
        return (
            f"{self.tally.requests:,} requests in {self.elapsed_s:.1f} s "
            f"({self.tally.requests / elapsed:,.0f}/s; {', '.join(rates) or 'nothing sent'}): "
            f"{phases}"
        )

    def _errors(self) -> str:
        tally = self.tally
        line = (
            f"errors: {tally.errors} ({sum(tally.failures.values())} non-2xx answers, "
            f"{sum(tally.transport_errors.values())} transport errors); "
            f"{tally.given_up} requests given up"
        )
        if tally.retried_later:
            statuses = ", ".join(f"{n} x {s}" for s, n in sorted(tally.retried_later.items()))
            line += f"; answers to retry later, retried as advised: {statuses}"
        return line


def _counts(counts: Counter[str]) -> str:
    kinds = [k for k in ORDER if counts[k]] + sorted(k for k in counts if k not in ORDER)
    return ", ".join(f"{counts[kind]:,} {kind}" for kind in kinds) or "nothing"
