"""The disclosure audit: what an attacker can still learn about each hidden figure.

Every published figure is a set of *atoms* (the finest cells, e.g. one program's assessments of
one year) with a count ``n`` and a number of successes ``k`` (for a share such as employer
satisfaction). A figure is published as intervals — exact, or widened by rounding — on its
``n`` and its ``k`` (or on its share k/n). Whatever is published, across every grouping and
every earlier publication, constrains the hidden atoms jointly: a year is a pool minus the
other years, a cluster minus an overlapping one is their difference, a parent minus its
visible children is the rest.

For each hidden figure the audit computes, by integer linear programming over all those
constraints at once (HiGHS through scipy), the range of its ``n`` and of its share that every
count vector consistent with the publications allows — exactly what an attacker who enumerated
them all would know. A figure is protected when that range reaches at least the protection
width below and above its true share (where the share leaves room: a share of 1 cannot be
exceeded). Pure: no database, no service; the publication flow feeds it.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from math import inf

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

Atom = str
Interval = tuple[float, float]

# The n values of a hidden figure checked one by one for its share range; past this many, the
# n range itself is wide enough that the figure's size is not disclosed, and the share range
# is taken as what any n allows (reported as such).
MAX_N_ENUMERATED = 64


@dataclass(frozen=True)
class Published:
    """What one publication said of a figure: intervals on n and on k or on the share k/n."""

    atoms: frozenset[Atom]
    n: Interval
    k: Interval | None = None
    share: Interval | None = None


@dataclass(frozen=True)
class Hidden:
    """A figure that was not published, with its true counts (known to the auditor only)."""

    atoms: frozenset[Atom]
    n: int
    k: int

    @property
    def share(self) -> float:
        return self.k / self.n if self.n else 0.0


@dataclass(frozen=True)
class Finding:
    figure: str
    n_range: Interval
    share_range: Interval
    true_share: float
    protected: bool


class _Model:
    """Integer variables n_a, k_a per atom (0 ≤ k_a ≤ n_a) under the published constraints."""

    def __init__(self, atoms: Iterable[Atom], published: Iterable[Published]) -> None:
        self.atoms = sorted(set(atoms))
        self.index = {atom: i for i, atom in enumerate(self.atoms)}
        self.width = width = 2 * len(self.atoms)  # [n_0 … n_m, k_0 … k_m]
        rows: list[np.ndarray] = []
        low: list[float] = []
        high: list[float] = []
        for i in range(len(self.atoms)):  # k_a − n_a ≤ 0
            rows.append(self._row({i: -1.0, len(self.atoms) + i: 1.0}, width))
            low.append(-inf)
            high.append(0.0)
        for figure in published:
            n_row = self.sum_row(figure.atoms, part="n")
            k_row = self.sum_row(figure.atoms, part="k")
            rows.append(n_row)
            low.append(figure.n[0])
            high.append(figure.n[1])
            if figure.k is not None:
                rows.append(k_row)
                low.append(figure.k[0])
                high.append(figure.k[1])
            if figure.share is not None:  # s_lo·n ≤ k ≤ s_hi·n, linear in (n, k)
                rows.append(k_row - figure.share[0] * n_row)
                low.append(0.0)
                high.append(inf)
                rows.append(k_row - figure.share[1] * n_row)
                low.append(-inf)
                high.append(0.0)
        self.rows, self.low, self.high = rows, low, high

    @staticmethod
    def _row(coefficients: Mapping[int, float], width: int) -> np.ndarray:
        row = np.zeros(width)
        for column, value in coefficients.items():
            row[column] = value
        return row

    def sum_row(self, atoms: Iterable[Atom], *, part: str) -> np.ndarray:
        offset = 0 if part == "n" else len(self.atoms)
        return self._row({offset + self.index[a]: 1.0 for a in atoms}, self.width)

    def extreme(
        self,
        objective: np.ndarray,
        *,
        maximise: bool,
        extra: Sequence[tuple[np.ndarray, float]] = (),
    ) -> float | None:
        """The min (or max) of objective·x over the integer points; None if there are none,
        ±inf when unbounded."""
        rows = [*self.rows, *(row for row, _ in extra)]
        low = [*self.low, *(value for _, value in extra)]
        high = [*self.high, *(value for _, value in extra)]
        constraints = [LinearConstraint(np.array(rows), low, high)] if rows else []
        integrality = np.ones(self.width)
        bounds = Bounds(0, inf)
        sign = -1.0 if maximise else 1.0
        result = milp(
            sign * objective, constraints=constraints, integrality=integrality, bounds=bounds
        )
        if result.status == 0:
            return float(sign * result.fun)
        # Unbounded or infeasible: a feasibility check tells them apart.
        feasible = milp(
            np.zeros(self.width), constraints=constraints, integrality=integrality, bounds=bounds
        )
        if feasible.status != 0:
            return None
        return inf if maximise else -inf


def _share_range(model: _Model, figure: Hidden, n_range: Interval) -> Interval:
    n_row = model.sum_row(figure.atoms, part="n")
    k_row = model.sum_row(figure.atoms, part="k")
    lowest_n = max(1, int(n_range[0]))
    if n_range[1] == inf or n_range[1] - lowest_n + 1 > MAX_N_ENUMERATED:
        return (0.0, 1.0)  # its size is not disclosed; any share stays possible
    shares: list[float] = []
    for n in range(lowest_n, int(n_range[1]) + 1):
        fixed = [(n_row, float(n))]
        k_low = model.extreme(k_row, maximise=False, extra=fixed)
        if k_low is None:
            continue  # no count vector gives this n
        k_high = model.extreme(k_row, maximise=True, extra=fixed)
        assert k_high is not None
        shares += [k_low / n, k_high / n]
    return (min(shares), max(shares)) if shares else (0.0, 1.0)


def audit(
    published: Mapping[str, Published],
    hidden: Mapping[str, Hidden],
    *,
    protection: float,
) -> list[Finding]:
    """What can be inferred of each hidden figure from everything published (all groupings,
    all publications together); ``protection``: the share width required on each side."""
    atoms = {a for p in published.values() for a in p.atoms}
    atoms |= {a for h in hidden.values() for a in h.atoms}
    model = _Model(atoms, published.values())
    findings = []
    for name, figure in sorted(hidden.items()):
        n_row = model.sum_row(figure.atoms, part="n")
        n_low = model.extreme(n_row, maximise=False)
        n_high = model.extreme(n_row, maximise=True)
        if n_low is None or n_high is None:
            raise ValueError("the published figures contradict each other")
        n_range = (n_low, n_high)
        low, high = _share_range(model, figure, n_range)
        true = figure.share
        below, above = min(protection, true), min(protection, 1.0 - true)
        protected = true - low >= below - 1e-9 and high - true >= above - 1e-9
        findings.append(Finding(name, n_range, (low, high), true, protected))
    return findings
