"""The audit solves each hidden figure over only the part of the constraints that can move it —
what is left once figures published exactly have fixed their cells and totals implied by their
parts are set aside — and remembers what it solved: the ranges are those of the whole problem,
found with fewer and smaller integer programs."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from quality.domain.audit import Hidden, Published, Solutions, _ranges, _whole, audit

PROTECTION = 0.10
HALF_WIDTH = 0.005  # shares published to whole percent


def _world(seed: int, *, regions: int = 2, institutions: int = 3, programs: int = 2):
    """A small country: programs of institutions in regions, two years each; every figure of
    the hierarchy (and a cluster per region, and the two-year pool) published with its n and
    its share rounded (as a bound when all are in one category), or hidden when it is small
    (sometimes its n too); the national total always shown."""
    rng = random.Random(seed)
    truth: dict[str, tuple[int, int]] = {}
    scopes: dict[str, set[str]] = {"nation": set()}
    for r in range(regions):
        region_atoms: set[str] = set()
        members = []
        for i in range(institutions):
            institution: set[str] = set()
            for p in range(programs):
                for year in (1, 2):
                    atom = f"r{r}i{i}p{p}y{year}"
                    n = rng.choice((0, 1, 2, 3, 4, 6, 9, 14, 30))
                    truth[atom] = (n, rng.randint(0, n))
                    scopes[f"program r{r}i{i}p{p} {year}"] = {atom}
                    institution.add(atom)
                scopes[f"program r{r}i{i}p{p} pool"] = {f"r{r}i{i}p{p}y{year}" for year in (1, 2)}
            scopes[f"institution r{r}i{i}"] = institution
            region_atoms |= institution
            if rng.random() < 0.5:
                members.append(institution)
        scopes[f"cluster r{r}"] = set().union(*members) if members else set()
        scopes[f"region r{r}"] = region_atoms
        scopes["nation"] |= region_atoms
    published: dict[str, Published] = {}
    hidden: dict[str, Hidden] = {}
    for name, atoms in scopes.items():
        if not atoms:
            continue
        n = sum(truth[a][0] for a in atoms)
        k = sum(truth[a][1] for a in atoms)
        frozen = frozenset(atoms)
        if n < 5 and name != "nation":
            if rng.random() < 0.8:  # else not even its n is published
                published[name] = Published(frozen, n=(n, n))
            if n:
                hidden[name] = Hidden(frozen, n=n, k=k)
            continue
        if k in (0, n) and name != "nation":  # one category: stated as a bound only
            published[name] = Published(
                frozen, n=(n, n), share=(0.0, 0.2) if k == 0 else (0.8, 1.0)
            )
            continue
        value = round(k / n, 2)
        low = max(0, math.ceil(n * (value - HALF_WIDTH) - 1e-9))
        high = min(n, math.floor(n * (value + HALF_WIDTH) + 1e-9))
        published[name] = Published(frozen, n=(n, n), k=(low, high))
    return published, hidden, truth


def _whole_problem(published, hidden):
    """The ranges as the audit found them before: every figure over every constraint at once."""
    atoms = {a for p in published.values() for a in p.atoms}
    atoms |= {a for h in hidden.values() for a in h.atoms}
    system = _whole(atoms, published.values())
    solutions = Solutions()
    ranges = {
        name: _ranges(
            system,
            n_columns=[system.columns.index((a, "n")) for a in figure.atoms],
            k_columns=[system.columns.index((a, "k")) for a in figure.atoms],
            solutions=solutions,
        )
        for name, figure in hidden.items()
    }
    return ranges, solutions


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_solving_each_figure_over_its_own_part_gives_the_ranges_of_the_whole_problem(seed):
    published, hidden, _ = _world(seed)
    expected, _ = _whole_problem(published, hidden)

    found = {f.figure: f for f in audit(published, hidden, protection=PROTECTION)}

    assert set(found) == set(expected)
    for name, (n_range, share_range) in expected.items():
        assert found[name].n_range == n_range, name
        assert abs(found[name].share_range[0] - share_range[0]) < 1e-9, name
        assert abs(found[name].share_range[1] - share_range[1]) < 1e-9, name


def test_the_decomposed_audit_solves_fewer_and_smaller_integer_programs():
    published, hidden, _ = _world(3, regions=4, institutions=4, programs=3)
    assert len(hidden) >= 10
    _, whole = _whole_problem(published, hidden)

    solutions = Solutions()
    audit(published, hidden, protection=PROTECTION, solutions=solutions)

    assert solutions.integer_programs < whole.integer_programs / 2
    assert solutions.largest <= whole.largest / 4


def test_a_repeated_audit_solves_only_what_its_changed_constraints_can_move():
    published, hidden, truth = _world(3, regions=4, institutions=4, programs=3)
    solutions = Solutions()
    first = audit(published, hidden, protection=PROTECTION, solutions=solutions)
    solved = solutions.integer_programs

    assert audit(published, hidden, protection=PROTECTION, solutions=solutions) == first
    assert solutions.integer_programs == solved, "nothing changed: nothing solved again"

    # One more figure in region r1: two of its hidden figures together, rounded.
    names = [f.figure for f in first if "r1" in f.figure and f.share_range[0] < f.share_range[1]]
    atoms = hidden[names[0]].atoms | hidden[names[1]].atoms
    n, k = (sum(truth[a][part] for a in atoms) for part in (0, 1))
    grown = {**published, "pair": Published(atoms, n=(n, n), k=(max(0, k - 1), min(n, k + 1)))}
    known = len(solutions.ranges)
    findings = audit(grown, hidden, protection=PROTECTION, solutions=solutions)

    in_region = {name for name in hidden if "r1" in name}
    assert 0 < len(solutions.ranges) - known <= len(in_region), "region r1's figures at most"
    assert [f for f in findings if f.figure not in in_region] == [
        f for f in first if f.figure not in in_region
    ]


def test_figures_that_contradict_each_other_anywhere_are_an_error_while_a_figure_is_hidden():
    # The service leaves earlier publications out when their figures no longer fit today's
    # structure: a contradiction far from every hidden figure must still be found.
    published = {
        "P": Published(frozenset("ab"), n=(10, 10), k=(5, 5)),
        "a": Published(frozenset("a"), n=(4, 4)),
        "X": Published(frozenset("xyz"), n=(9, 9), k=(3, 4)),
        "xy": Published(frozenset("xy"), n=(5, 5), k=(5, 5)),
        "z": Published(frozenset("z"), n=(4, 4), k=(4, 4)),
    }
    with pytest.raises(ValueError):
        audit(published, {"b": Hidden(frozenset("b"), n=6, k=3)}, protection=PROTECTION)
    assert audit(published, {}, protection=PROTECTION) == []
