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
from scipy import sparse
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
    """Integer variables n_a, k_a per atom (0 ≤ k_a ≤ n_a) under the published constraints.

    Rows are sparse: a figure touches only its own atoms, and the country has thousands."""

    def __init__(self, atoms: Iterable[Atom], published: Iterable[Published]) -> None:
        self.atoms = sorted(set(atoms))
        self.index = {atom: i for i, atom in enumerate(self.atoms)}
        m = len(self.atoms)
        self.width = 2 * m  # [n_0 … n_m, k_0 … k_m]
        # The matrix as (row, column, value) triplets, built once.
        entries: list[tuple[int, int, float]] = []
        self.low: list[float] = []
        self.high: list[float] = []

        def add(coefficients: Iterable[tuple[int, float]], low: float, high: float) -> None:
            row = len(self.low)
            entries.extend((row, column, value) for column, value in coefficients)
            self.low.append(low)
            self.high.append(high)

        for i in range(m):  # k_a − n_a ≤ 0
            add(((i, -1.0), (m + i, 1.0)), -inf, 0.0)
        for figure in published:
            columns = [self.index[a] for a in figure.atoms]
            add(((c, 1.0) for c in columns), *figure.n)
            if figure.k is not None:
                add(((m + c, 1.0) for c in columns), *figure.k)
            if figure.share is not None:  # s_lo·n ≤ k ≤ s_hi·n, linear in (n, k)
                for share, low, high in ((figure.share[0], 0.0, inf), (figure.share[1], -inf, 0.0)):
                    add(
                        [*((c, -share) for c in columns), *((m + c, 1.0) for c in columns)],
                        low,
                        high,
                    )
        rows, cols, values = zip(*entries, strict=True) if entries else ((), (), ())
        self.matrix = (
            sparse.csr_array((values, (rows, cols)), shape=(len(self.low), self.width))
            if self.low
            else None
        )

    def sum_row(self, atoms: Iterable[Atom], *, part: str) -> sparse.csr_array:
        offset = 0 if part == "n" else len(self.atoms)
        columns = sorted(offset + self.index[a] for a in atoms)
        values = np.ones(len(columns))
        return sparse.csr_array(
            (values, (np.zeros(len(columns), dtype=int), columns)), shape=(1, self.width)
        )

    def extreme(
        self,
        objective: sparse.csr_array,
        *,
        maximise: bool,
        extra: Sequence[tuple[sparse.csr_array, float]] = (),
    ) -> float | None:
        """The min (or max) of objective·x over the integer points; None if there are none,
        ±inf when unbounded."""
        blocks = ([self.matrix] if self.matrix is not None else []) + [row for row, _ in extra]
        low = [*self.low, *(value for _, value in extra)]
        high = [*self.high, *(value for _, value in extra)]
        constraints = (
            [LinearConstraint(sparse.vstack(blocks, format="csr"), low, high)] if blocks else []
        )
        integrality = np.ones(self.width)
        bounds = Bounds(0, inf)
        sign = -1.0 if maximise else 1.0
        cost = sign * objective.toarray().ravel()
        result = milp(cost, constraints=constraints, integrality=integrality, bounds=bounds)
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
    if not shares:  # not even the true counts fit
        raise ValueError("the published figures contradict each other")
    return (min(shares), max(shares))


def _n_range(model: _Model, figure: Hidden) -> Interval:
    n_row = model.sum_row(figure.atoms, part="n")
    n_low = model.extreme(n_row, maximise=False)
    n_high = model.extreme(n_row, maximise=True)
    if n_low is None or n_high is None:
        raise ValueError("the published figures contradict each other")
    return (n_low, n_high)


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
    # A figure whose own n is stated exactly needs no program for its n range.
    stated_n = {p.atoms: p.n for p in published.values() if p.n[0] == p.n[1]}
    findings = []
    for name, figure in sorted(hidden.items()):
        n_range = stated_n.get(figure.atoms) or _n_range(model, figure)
        low, high = _share_range(model, figure, n_range)
        true = figure.share
        below, above = min(protection, true), min(protection, 1.0 - true)
        protected = true - low >= below - 1e-9 and high - true >= above - 1e-9
        findings.append(Finding(name, n_range, (low, high), true, protected))
    return findings
