"""The disclosure audit: what an attacker can still learn about each hidden figure.

Every published figure is a set of *atoms* (the finest cells, e.g. one program's assessments of
one year) with a count ``n`` and a number of successes ``k`` (for a share such as employer
satisfaction) or, for a mean, the sum ``k`` of its n ratings. Each observation lies on a scale
(0..1 for a success, 1..5 for a rating), so lo·n ≤ k ≤ hi·n in every atom: a share is the case
lo = 0, hi = 1 of a mean. A figure is published as intervals — exact, or widened by rounding —
on its ``n`` and its ``k`` (or on its share or mean k/n, lo·n ≤ k ≤ hi·n in the figure).
Ratings can also be counted at a threshold and above (a competency's share satisfied): each atom
then has a third count t, its ratings at the threshold T or above, tied to its sum as every
rating below T is lo..T−1 and every other T..hi: lo·(n−t) + T·t ≤ k ≤ (T−1)·(n−t) + hi·t (every
integer sum between is some set of ratings). A figure states its n and either its k or its t
(``of``); a mean and its share satisfied together bound more than either alone (twelve ratings
summing 48, all satisfied, are twelve 4s).
Whatever is published, across every grouping and every earlier publication, constrains the
hidden atoms jointly: a year is a pool minus the other years, a cluster minus an overlapping
one is their difference, a parent minus its visible children is the rest.

For each hidden figure the audit computes, by integer linear programming over all those
constraints at once (HiGHS through scipy), the range of its ``n`` and of its share (or mean) that
every count vector consistent with the publications allows — exactly what an attacker who
enumerated them all would know. A figure is protected when that range reaches at least the
protection width below and above its true share or mean (where the scale leaves room: a share
of 1 cannot be exceeded; for a figure published as a bound, as far as its bound states). Pure:
no database, no service; the publication flow feeds it.

"All constraints at once" is solved in parts, with the same result. First, what the
constraints fix outright is substituted (bounds propagated through every row: a figure
published with exact n and k fixes its atoms' counts, and then its parent's rest), and rows
then satisfied by every point within the bounds are dropped. Then a row that the rows inside
it already imply (a linear programme's range of it over them lies within its own) is dropped:
the national and regional totals, whose parts are published, tie every figure together while
adding nothing. What is left falls apart into connected parts, and each hidden figure is solved
over the parts holding its free counts only. Each such problem is remembered by its content
(``Solutions``), so an audit repeated with a few more figures hidden solves only the parts
those figures touch.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from math import inf

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components

Atom = str
Interval = tuple[float, float]
Column = tuple[Atom, str]  # an atom's "n", "k" or "t" (SATISFIED)
SATISFIED = "t"  # an atom's count of ratings at the satisfaction threshold or above
SHARE_SCALE: Interval = (0.0, 1.0)  # a success counts 0 or 1
RATING_SCALE: Interval = (1.0, 5.0)  # a rating

# The n values of a hidden figure checked one by one for its share range; past this many, the
# n range itself is wide enough that the figure's size is not disclosed, and the share range
# is taken as what any n allows (reported as such).
MAX_N_ENUMERATED = 64
# Rows over at least this many free counts are tested for being implied by the rows inside
# them (a linear programme each); smaller ones join little.
SPLIT_AT = 4
_TOLERANCE = 1e-6  # the solver's own feasibility tolerance
_PASSES = 50  # of bound propagation; stopping early only leaves more to the solver
_INFEASIBLE = 2  # scipy.optimize.milp's status when no point satisfies the constraints


@dataclass(frozen=True)
class Published:
    """What one publication said of a figure: intervals on n and on k or on the share (or
    mean) k/n."""

    atoms: frozenset[Atom]
    n: Interval
    k: Interval | None = None
    share: Interval | None = None
    of: str = "k"  # the count that k and the share are of: "k", or SATISFIED


@dataclass(frozen=True)
class Hidden:
    """A figure that was not published, with its true counts (known to the auditor only):
    ``k`` its successes, or the sum of its ratings, or (``of`` SATISFIED) its ratings at the
    threshold or above."""

    atoms: frozenset[Atom]
    n: int
    k: int
    of: str = "k"
    # A figure published as a bound (every answer in one category): the share range its bound
    # itself states (in whole counts), which it is protected within as well as by the width.
    stated: Interval | None = None

    @property
    def share(self) -> float:
        return self.k / self.n if self.n else 0.0


@dataclass(frozen=True)
class Finding:
    """What can be inferred of a hidden figure; ``share_range`` and ``true_share`` are its
    mean's on a rating scale."""

    figure: str
    n_range: Interval
    share_range: Interval
    true_share: float
    protected: bool


@dataclass
class Solutions:
    """What audits solved, by the content of the problem that determined it (the same
    problem gives the same answer in any audit), and how many programs that took."""

    ranges: dict[Hashable, tuple[Interval, Interval]] = field(default_factory=dict)
    implied: dict[Hashable, bool] = field(default_factory=dict)
    feasible: set[Hashable] = field(default_factory=set)
    integer_programs: int = 0
    linear_programs: int = 0
    largest: int = 0  # the most variables in one integer program


@dataclass(frozen=True)
class _System:
    """Rows low ≤ matrix·x ≤ high over integer columns lower ≤ x ≤ upper, named."""

    columns: list[Column]
    matrix: sparse.csr_array
    low: np.ndarray
    high: np.ndarray
    lower: np.ndarray
    upper: np.ndarray

    def part(self, columns: np.ndarray, rows: np.ndarray) -> "_System":
        return _System(
            [self.columns[c] for c in columns],
            sparse.csr_array(self.matrix[rows][:, columns]),
            self.low[rows],
            self.high[rows],
            self.lower[columns],
            self.upper[columns],
        )

    @cached_property
    def row_keys(self) -> list[Hashable]:
        """Each row by its content: its terms (named) and bounds."""
        keys: list[Hashable] = []
        for row in range(len(self.low)):
            start, end = self.matrix.indptr[row], self.matrix.indptr[row + 1]
            terms = zip(self.matrix.indices[start:end], self.matrix.data[start:end], strict=True)
            named = frozenset((self.columns[c], float(v)) for c, v in terms)
            keys.append((named, float(self.low[row]), float(self.high[row])))
        return keys

    def bounds_key(self, columns: Iterable[int]) -> Hashable:
        return tuple((self.columns[c], float(self.lower[c]), float(self.upper[c])) for c in columns)


def _whole(
    atoms: Iterable[Atom],
    published: Iterable[Published],
    scale: Interval = SHARE_SCALE,
    satisfied_from: int | None = None,
) -> _System:
    """Integer counts n_a, k_a per atom (lo·n_a ≤ k_a ≤ hi·n_a), and t_a with ``satisfied_from``,
    under the published constraints.

    Rows are sparse: a figure touches only its own atoms, and the country has thousands."""
    ordered = sorted(set(atoms))
    index = {atom: i for i, atom in enumerate(ordered)}
    m = len(ordered)
    counts = ["n", "k"] + ([SATISFIED] if satisfied_from is not None else [])
    block = {count: i * m for i, count in enumerate(counts)}
    # Row by row: the columns (n_0…n_m, then k_0…k_m, then any t_0…t_m) and coefficients.
    columns: list[int] = []
    coefficients: list[float] = []
    lengths: list[int] = []
    low: list[float] = []
    high: list[float] = []

    def add(at: list[int], weights: list[float], lowest: float, highest: float) -> None:
        columns.extend(at)
        coefficients.extend(weights)
        lengths.append(len(at))
        low.append(lowest)
        high.append(highest)

    lowest_one, highest_one = scale
    for i in range(m):  # k_a − hi·n_a ≤ 0, and k_a − lo·n_a ≥ 0 (k_a ≥ 0 is its bound)
        add([i, m + i], [-highest_one, 1.0], -inf, 0.0)
        if lowest_one:
            add([i, m + i], [-lowest_one, 1.0], 0.0, inf)
        if satisfied_from is not None:  # lo·(n−t) + T·t ≤ k ≤ (T−1)·(n−t) + hi·t, and t ≤ n
            at, below = [i, m + i, 2 * m + i], satisfied_from - 1
            add(at, [-lowest_one, 1.0, lowest_one - satisfied_from], 0.0, inf)
            add(at, [-below, 1.0, below - highest_one], -inf, 0.0)
            add([i, 2 * m + i], [-1.0, 1.0], -inf, 0.0)
    for figure in published:
        own = [index[a] for a in figure.atoms]
        ones = [1.0] * len(own)
        add(own, ones, *figure.n)
        counted = [block[figure.of] + c for c in own]
        if figure.k is not None:
            add(counted, ones, *figure.k)
        if figure.share is not None:  # s_lo·n ≤ k ≤ s_hi·n, linear in (n, k) (s: share or mean)
            both = own + counted
            for share, lowest, highest in (
                (figure.share[0], 0.0, inf),
                (figure.share[1], -inf, 0.0),
            ):
                add(both, [-share] * len(own) + ones, lowest, highest)
    rows = np.repeat(np.arange(len(lengths)), lengths)
    values = np.array(coefficients)
    kept = values != 0  # a share bound of 0 puts no n in its row
    matrix = (values[kept], (rows[kept], np.array(columns, dtype=np.int64)[kept]))
    return _System(
        [(a, count) for count in counts for a in ordered],
        sparse.csr_array(matrix, shape=(len(low), len(counts) * m)),
        np.array(low, dtype=float),
        np.array(high, dtype=float),
        np.zeros(len(counts) * m),
        np.full(len(counts) * m, inf),
    )


def _activity(system: _System, lower: np.ndarray, upper: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per entry, its least and most contribution to its row; per row, the sums of the finite
    ones and the number of infinite ones."""
    entries = system.matrix.tocoo()
    coefficient, column, row = entries.data, entries.col, entries.row
    with np.errstate(invalid="ignore"):  # 0·inf does not occur: coefficients are non-zero
        least = np.where(coefficient > 0, coefficient * lower[column], coefficient * upper[column])
        most = np.where(coefficient > 0, coefficient * upper[column], coefficient * lower[column])
    rows = len(system.low)
    sums = [np.bincount(row, np.where(np.isinf(p), 0.0, p), rows) for p in (least, most)]
    infinite = [np.bincount(row, np.isinf(p), rows) for p in (least, most)]
    return least, most, *sums, *infinite


def _tightened(system: _System) -> tuple[np.ndarray, np.ndarray]:
    """The columns' bounds that the rows imply, propagated row by row to a fixpoint (integer
    columns: rounded inward, with slack for float error); ValueError when rows contradict."""
    entries = system.matrix.tocoo()
    coefficient, column, row = entries.data, entries.col, entries.row
    lower, upper = system.lower.copy(), system.upper.copy()
    for _ in range(_PASSES):
        least, most, least_sum, most_sum, least_inf, most_inf = _activity(system, lower, upper)
        if np.any((least_inf == 0) & (least_sum > system.high + _TOLERANCE)) or np.any(
            (most_inf == 0) & (most_sum < system.low - _TOLERANCE)
        ):
            raise ValueError("the published figures contradict each other")
        # The rest of each entry's row, at its least and its most.
        rest_least = np.where(
            np.isinf(least),
            np.where(least_inf[row] == 1, least_sum[row], -inf),
            np.where(least_inf[row] == 0, least_sum[row] - least, -inf),
        )
        rest_most = np.where(
            np.isinf(most),
            np.where(most_inf[row] == 1, most_sum[row], inf),
            np.where(most_inf[row] == 0, most_sum[row] - most, inf),
        )
        from_high = (system.high[row] - rest_least) / coefficient
        from_low = (system.low[row] - rest_most) / coefficient
        new_upper, new_lower = upper.copy(), lower.copy()
        np.minimum.at(
            new_upper, column, np.floor(np.where(coefficient > 0, from_high, from_low) + _TOLERANCE)
        )
        np.maximum.at(
            new_lower, column, np.ceil(np.where(coefficient > 0, from_low, from_high) - _TOLERANCE)
        )
        if np.any(new_lower > new_upper):
            raise ValueError("the published figures contradict each other")
        if np.array_equal(new_lower, lower) and np.array_equal(new_upper, upper):
            break
        lower, upper = new_lower, new_upper
    return lower, upper


def _presolved(system: _System) -> tuple[_System, dict[Column, float]]:
    """The columns the rows leave free, under the rows still needed; and the fixed ones' values."""
    lower, upper = _tightened(system)
    fixed = lower == upper
    free = np.flatnonzero(~fixed)
    shift = system.matrix[:, np.flatnonzero(fixed)] @ lower[fixed]
    reduced = _System(
        [system.columns[c] for c in free],
        sparse.csr_array(system.matrix[:, free]),
        system.low - shift,
        system.high - shift,
        lower[free],
        upper[free],
    )
    _, _, least, most, least_inf, most_inf = _activity(reduced, reduced.lower, reduced.upper)
    # Rows every point within the bounds satisfies (those with no free column among them).
    needed = ~(
        (least_inf == 0)
        & (most_inf == 0)
        & (least >= reduced.low - _TOLERANCE)
        & (most <= reduced.high + _TOLERANCE)
    )
    if np.any(needed & (least_inf == 0) & (most_inf == 0) & (np.diff(reduced.matrix.indptr) == 0)):
        raise ValueError("the published figures contradict each other")
    values = {system.columns[c]: float(lower[c]) for c in np.flatnonzero(fixed)}
    return reduced.part(np.arange(len(free)), np.flatnonzero(needed)), values


def _without_implied(system: _System, solutions: Solutions) -> _System:
    """The rows left once those the rows inside them imply are dropped (largest first)."""
    pattern = sparse.csr_array((system.matrix != 0).astype(np.int64))
    sizes = np.diff(pattern.indptr)
    inside = sparse.csr_array(pattern @ pattern.T)  # shared columns, row by row
    keep = np.ones(len(system.low), dtype=bool)
    sums = np.flatnonzero((sizes >= SPLIT_AT) & (np.abs(system.matrix - pattern).sum(axis=1) == 0))
    for row in sorted(sums, key=lambda r: (-sizes[r], r)):
        keep[row] = False
        start, end = inside.indptr[row], inside.indptr[row + 1]
        others = inside.indices[start:end]
        parts = others[(inside.data[start:end] == sizes[others]) & keep[others]]
        support = pattern.indices[pattern.indptr[row] : pattern.indptr[row + 1]]
        if _sums_within(system, support, parts, int(row)):
            continue  # dropped: its parts' own bounds keep it within its own
        key = (
            system.row_keys[row],
            frozenset(system.row_keys[r] for r in parts),
            system.bounds_key(support),
        )
        if key not in solutions.implied:
            solutions.implied[key] = _implied(system, int(row), parts, support, solutions)
        keep[row] = not solutions.implied[key]
    return system.part(np.arange(len(system.columns)), np.flatnonzero(keep))


def _sums_within(system: _System, support: np.ndarray, parts: np.ndarray, row: int) -> bool:
    """Whether plain sums among ``parts`` that do not overlap (largest first) cover ``row``, a
    plain sum over ``support``, with bounds that add up within its own: then the parts imply
    it without a linear programme (a parent whose children are all published, say)."""
    covered: set[int] = set()
    low = high = 0.0
    matrix = system.matrix
    spans = [(int(r), slice(matrix.indptr[r], matrix.indptr[r + 1])) for r in parts]
    plain = [(r, matrix.indices[at]) for r, at in spans if np.all(matrix.data[at] == 1.0)]
    for r, columns in sorted(plain, key=lambda part: (-len(part[1]), part[0])):
        if covered.isdisjoint(columns.tolist()):
            covered.update(columns.tolist())
            low, high = low + system.low[r], high + system.high[r]
    return (
        len(covered) == len(support)
        and low >= system.low[row] - _TOLERANCE
        and high <= system.high[row] + _TOLERANCE
    )


def _implied(
    system: _System, row: int, parts: np.ndarray, support: np.ndarray, solutions: Solutions
) -> bool:
    """Whether the rows ``parts`` (over columns within ``support``) keep ``row`` within its
    bounds: a linear programme's range, wider than the integer one, is."""
    within = system.part(support, parts)
    objective = np.ones(len(support))
    constraints = [LinearConstraint(within.matrix, within.low, within.high)] if len(parts) else []
    bounds = Bounds(within.lower, within.upper)
    for sign, bound in ((1.0, system.low[row]), (-1.0, -system.high[row])):
        if bound == -inf:
            continue
        solutions.linear_programs += 1
        result = milp(sign * objective, constraints=constraints, bounds=bounds)
        if result.status != 0 or result.fun < bound - _TOLERANCE:
            return False
    return True


class _Parts:
    """The free columns' connected parts (columns sharing a row are in one), each named by its
    content so that the same part in another audit is recognised."""

    def __init__(self, system: _System) -> None:
        self.system = system
        rows, columns = len(system.low), len(system.columns)
        entries = system.matrix.tocoo()
        graph = sparse.coo_array(
            (np.ones(len(entries.row)), (entries.row, rows + entries.col)),
            shape=(rows + columns, rows + columns),
        )
        labels = connected_components(graph, directed=False)[1]
        self.of_row, self.of_column = labels[:rows], labels[rows:]
        self._keys: dict[int, Hashable] = {}

    def key(self, label: int) -> Hashable:
        if label not in self._keys:
            rows = np.flatnonzero(self.of_row == label)
            columns = np.flatnonzero(self.of_column == label)
            self._keys[label] = (
                frozenset(self.system.row_keys[r] for r in rows),
                self.system.bounds_key(columns),
            )
        return self._keys[label]

    def union(self, labels: Sequence[int]) -> _System:
        return self.system.part(
            np.flatnonzero(np.isin(self.of_column, labels)),
            np.flatnonzero(np.isin(self.of_row, labels)),
        )


@dataclass(frozen=True)
class _Relaxed:
    """The optimum of a linear relaxation: a bound on the integer optimum (its value), which is
    the integer optimum itself when the relaxation reaches it at an integer point (``exact``)."""

    value: float
    exact: bool


class _Program:
    """One extreme to find: min (or max) of objective·x over the system's integer points."""

    def __init__(
        self,
        system: _System,
        objective: np.ndarray,
        *,
        maximise: bool,
        extra: Sequence[tuple[np.ndarray, float]] = (),
    ) -> None:
        width = len(system.columns)
        blocks = [system.matrix, *(sparse.csr_array(row.reshape(1, -1)) for row, _ in extra)]
        low = [*system.low, *(value for _, value in extra)]
        high = [*system.high, *(value for _, value in extra)]
        self.constraints = (
            [LinearConstraint(sparse.vstack(blocks, format="csr"), low, high)] if low else []
        )
        self.bounds = Bounds(system.lower, system.upper)
        self.width, self.objective, self.maximise = width, objective, maximise
        self.sign = -1.0 if maximise else 1.0
        self.extra = extra

    def relaxed(self, solutions: Solutions) -> _Relaxed | None:
        """The linear relaxation's optimum (±inf when unbounded); None when it has no point,
        and so the integers have none either."""
        if not self.width:  # nothing free: only the extra rows' constants to check
            if all(abs(value) <= _TOLERANCE for _, value in self.extra):
                return _Relaxed(0.0, exact=True)
            return None
        solutions.linear_programs += 1
        result = milp(self.sign * self.objective, constraints=self.constraints, bounds=self.bounds)
        if result.status == _INFEASIBLE:
            return None
        if result.status != 0:  # unbounded: the integer programme tells
            return _Relaxed(inf if self.maximise else -inf, exact=False)
        point = np.round(result.x)
        if np.all(np.abs(result.x - point) <= _TOLERANCE):
            return _Relaxed(float(self.objective @ point), exact=True)
        return _Relaxed(float(self.sign * result.fun), exact=False)

    def integer(self, solutions: Solutions) -> float | None:
        """The integer optimum; None if there is no integer point, ±inf when unbounded."""
        integrality = np.ones(self.width)
        solutions.integer_programs += 1
        solutions.largest = max(solutions.largest, self.width)
        result = milp(
            self.sign * self.objective,
            constraints=self.constraints,
            integrality=integrality,
            bounds=self.bounds,
        )
        if result.status == 0:
            return float(self.sign * result.fun)
        # Unbounded or infeasible: a feasibility check tells them apart.
        solutions.integer_programs += 1
        feasible = milp(
            np.zeros(self.width),
            constraints=self.constraints,
            integrality=integrality,
            bounds=self.bounds,
        )
        if feasible.status != 0:
            return None
        return inf if self.maximise else -inf

    def solved(self, relaxed: _Relaxed | None, solutions: Solutions) -> float | None:
        """The integer optimum, from the relaxation's where it is exact."""
        if relaxed is None:
            return None
        return relaxed.value if relaxed.exact else self.integer(solutions)


def _extreme(
    system: _System,
    objective: np.ndarray,
    *,
    maximise: bool,
    solutions: Solutions,
    extra: Sequence[tuple[np.ndarray, float]] = (),
) -> float | None:
    """The min (or max) of objective·x over the integer points; None if there are none,
    ±inf when unbounded. The linear relaxation first: no point of it means no integer point,
    and an optimum it reaches at integers is the integer optimum (most do: a figure is a sum of
    counts)."""
    program = _Program(system, objective, maximise=maximise, extra=extra)
    return program.solved(program.relaxed(solutions), solutions)


def _share_range(
    system: _System,
    *,
    n_row: np.ndarray,
    k_row: np.ndarray,
    ns: range,
    n_fixed: float,
    k_fixed: float,
    solutions: Solutions,
) -> Interval | None:
    """The least and greatest (k_fixed + k) / n over the integer points with n (its columns'
    sum plus ``n_fixed``) in ``ns``; None when none has such an n.

    Exact, with fewer integer programmes than one per n and end: each n's linear relaxations
    bound its integer extremes (never inside them), so an n whose bound cannot beat the best
    share found so far needs no integer programme (branch and bound over n)."""
    ends: dict[bool, list[tuple[int, _Program, _Relaxed]]] = {False: [], True: []}
    for n in ns:
        fixed = [(n_row, n - n_fixed)]
        low = _Program(system, k_row, maximise=False, extra=fixed)
        low_bound = low.relaxed(solutions)
        if low_bound is None:
            continue  # not even the relaxation gives this n
        high = _Program(system, k_row, maximise=True, extra=fixed)
        high_bound = high.relaxed(solutions)
        assert high_bound is not None
        ends[False].append((n, low, low_bound))
        ends[True].append((n, high, high_bound))
    found: dict[bool, float] = {}
    for maximise, candidates in ends.items():
        sign = -1.0 if maximise else 1.0  # smaller sign·share is better

        def share(n: int, k: float) -> float:
            return (k_fixed + k) / n

        best: float | None = None
        for n, program, bound in sorted(candidates, key=lambda c: sign * share(c[0], c[2].value)):
            # The bound loosened by the solver's tolerance, so a rounding error prunes nothing.
            if best is not None and sign * share(n, bound.value) - _TOLERANCE >= sign * best:
                break  # this n's bound, and every later one's, cannot beat the best
            value = program.solved(bound, solutions)
            if value is not None and (best is None or sign * share(n, value) < sign * best):
                best = share(n, value)
        if best is None:
            return None
        found[maximise] = best
    return found[False], found[True]


def _ranges(
    system: _System,
    *,
    n_columns: Sequence[int],
    k_columns: Sequence[int],
    solutions: Solutions,
    n_fixed: float = 0.0,
    k_fixed: float = 0.0,
    stated_n: Interval | None = None,
    with_shares: bool = True,
    scale: Interval = SHARE_SCALE,
) -> tuple[Interval, Interval]:
    """The n range and the share (or mean) range of a figure whose counts are its columns' sums
    plus the fixed parts ``n_fixed``, ``k_fixed`` (``with_shares`` False: the n range only)."""
    n_row, k_row = np.zeros(len(system.columns)), np.zeros(len(system.columns))
    n_row[list(n_columns)], k_row[list(k_columns)] = 1.0, 1.0
    n_range = stated_n
    if n_range is None:
        lowest = _extreme(system, n_row, maximise=False, solutions=solutions)
        highest = _extreme(system, n_row, maximise=True, solutions=solutions)
        if lowest is None or highest is None:
            raise ValueError("the published figures contradict each other")
        n_range = (n_fixed + lowest, n_fixed + highest)
    lowest_n = max(1, int(n_range[0]))
    if not with_shares or n_range[1] == inf or n_range[1] - lowest_n + 1 > MAX_N_ENUMERATED:
        return n_range, scale  # its size is not disclosed; any share or mean stays possible
    shares = _share_range(
        system,
        n_row=n_row,
        k_row=k_row,
        ns=range(lowest_n, int(n_range[1]) + 1),
        n_fixed=n_fixed,
        k_fixed=k_fixed,
        solutions=solutions,
    )
    if shares is None:  # not even the true counts fit
        raise ValueError("the published figures contradict each other")
    return n_range, shares


def audit(
    published: Mapping[str, Published],
    hidden: Mapping[str, Hidden],
    *,
    protection: float,
    solutions: Solutions | None = None,
    with_shares: bool = True,
    scale: Interval = SHARE_SCALE,
    satisfied_from: int | None = None,
    satisfied_protection: float = 0.0,
) -> list[Finding]:
    """What can be inferred of each hidden figure from everything published (all groupings,
    all publications together); ``protection``: the width of share (or mean) required on each
    side; ``solutions``: what earlier audits solved, to reuse (and count); ``with_shares`` False:
    only the range of each hidden figure's n (a count audited on its own; its share range is then
    (0, 1) and its ``protected`` not meaningful); ``scale``: the range of one observation,
    RATING_SCALE for the means of ratings (``k`` their sum); ``satisfied_from``: ratings are
    also counted at this threshold and above (figures ``of`` SATISFIED; their shares protected
    by ``satisfied_protection``)."""
    if not hidden:
        return []  # nothing to infer: the figures are not even checked against each other
    solutions = solutions if solutions is not None else Solutions()
    atoms = {a for p in published.values() for a in p.atoms}
    atoms |= {a for h in hidden.values() for a in h.atoms}
    reduced, values = _presolved(_whole(atoms, published.values(), scale, satisfied_from))
    parts = _Parts(_without_implied(reduced, solutions))
    index = {column: i for i, column in enumerate(parts.system.columns)}
    # A figure whose own n is stated exactly needs no program for its n range.
    stated = {p.atoms: p.n for p in published.values() if p.n[0] == p.n[1]}
    unchecked = set(parts.of_column.tolist())  # parts no figure's program has seen
    findings = []
    for name, figure in sorted(hidden.items()):
        own = [c for a in sorted(figure.atoms) for c in ((a, "n"), (a, figure.of)) if c in index]
        labels = sorted({int(parts.of_column[index[c]]) for c in own})
        unchecked -= set(labels)
        n_fixed = sum(values.get((a, "n"), 0.0) for a in figure.atoms)
        k_fixed = sum(values.get((a, figure.of), 0.0) for a in figure.atoms)
        stated_n = stated.get(figure.atoms)
        ratio = SHARE_SCALE if figure.of == SATISFIED else scale  # the range of its k/n
        key = (
            tuple(parts.key(label) for label in labels),
            tuple(own),
            n_fixed,
            k_fixed,
            stated_n,
            with_shares,
            ratio,
        )
        if key not in solutions.ranges:
            within = parts.union(labels)
            where = {column: i for i, column in enumerate(within.columns)}
            solutions.ranges[key] = _ranges(
                within,
                n_columns=[where[c] for c in own if c[1] == "n"],
                k_columns=[where[c] for c in own if c[1] == figure.of],
                solutions=solutions,
                n_fixed=n_fixed,
                k_fixed=k_fixed,
                stated_n=stated_n,
                with_shares=with_shares,
                scale=ratio,
            )
        n_range, (low, high) = solutions.ranges[key]
        true = figure.share
        width = satisfied_protection if figure.of == SATISFIED else protection
        lowest, highest = figure.stated or ratio
        below, above = min(width, true - lowest), min(width, highest - true)
        protected = true - low >= below - 1e-9 and high - true >= above - 1e-9
        findings.append(Finding(name, n_range, (low, high), true, protected))
    for label in sorted(unchecked):  # the rest must still fit together
        if parts.key(label) not in solutions.feasible:
            within = parts.union([label])
            origin = np.zeros(len(within.columns))
            if _extreme(within, origin, maximise=False, solutions=solutions) is None:
                raise ValueError("the published figures contradict each other")
            solutions.feasible.add(parts.key(label))
    return findings
