"""The disclosure audit finds every hidden figure an attacker can pin down from what was
published — across groupings and publications — and no narrower range than the truth allows."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from quality.domain.audit import Hidden, Published, audit

PROTECTION = 0.10


def exact(atoms: str, n: int, k: int | None = None) -> Published:
    return Published(frozenset(atoms), n=(n, n), k=None if k is None else (k, k))


def hidden(atoms: str, n: int, k: int) -> Hidden:
    return Hidden(frozenset(atoms), n=n, k=k)


def finding(published, secret, name):
    (result,) = [f for f in audit(published, secret, protection=PROTECTION) if f.figure == name]
    return result


def test_a_year_hidden_beside_its_published_pool_and_other_years_is_recovered_exactly():
    # Years a, b, c of one program; the 3-year pool and two years are published.
    published = {"pool": exact("abc", 12, 8), "b": exact("b", 5, 3), "c": exact("c", 3, 2)}
    year = finding(published, {"a": hidden("a", 4, 3)}, "a")
    assert year.n_range == (4, 4) and year.share_range == (0.75, 0.75)
    assert not year.protected


def test_a_year_is_protected_when_its_pool_is_hidden_too():
    published = {"b": exact("b", 5, 3), "c": exact("c", 3, 2)}
    secret = {"a": hidden("a", 4, 3), "pool": hidden("abc", 12, 8)}
    assert all(f.protected for f in audit(published, secret, protection=PROTECTION))


def test_the_difference_of_two_nested_clusters_is_recovered_exactly():
    # K1 = {A, B, C} and K2 = {A, B} are both published: C = K1 − K2.
    published = {"K1": exact("ABC", 30, 21), "K2": exact("AB", 24, 19)}
    member = finding(published, {"C": hidden("C", 6, 2)}, "C")
    assert member.share_range == (2 / 6, 2 / 6) and not member.protected


def test_a_complement_of_one_protects_nothing_when_counts_are_shown():
    # Parent 60 (40 satisfied); child A published; B (n = 1) hides C (n = 49) "as a pair".
    published = {
        "P": exact("ABC", 60, 40),
        "A": exact("A", 10, 5),
        "nB": exact("B", 1),
        "nC": exact("C", 49),
    }
    big = finding(published, {"B": hidden("B", 1, 1), "C": hidden("C", 49, 34)}, "C")
    assert big.share_range == (34 / 49, 35 / 49)
    assert not big.protected


def test_a_change_between_two_publications_is_a_figure_like_any_other():
    # The same institution published before and after one new assessment arrived.
    published = {"before": exact("ab", 80, 55), "after": exact("abx", 83, 56)}
    new = finding(published, {"x": hidden("x", 3, 1)}, "x")
    assert new.share_range == (1 / 3, 1 / 3) and not new.protected


def test_rounding_widens_what_is_published_and_the_audit_takes_it_into_account():
    rounded = Published(frozenset("ab"), n=(10, 14), share=(0.45, 0.55))
    published = {"ab": rounded, "b": exact("b", 6, 3)}
    year = finding(published, {"a": hidden("a", 6, 3)}, "a")
    # n_ab from 10 to 14 with a rounded share: a's n from 4 to 8, its share from 2/5 to 3/5.
    assert year.n_range == (4, 8)
    assert year.share_range == (0.4, 0.6) and year.protected


# --- against a brute-force attacker --------------------------------------------------------

ATOMS = "abc"


def _brute_force(published: dict[str, Published], figure: Hidden, total_n: int):
    """Every integer count vector consistent with what was published: the hidden figure's n
    range and share range, as an attacker enumerating them all would find."""
    cells = [(n, k) for n in range(total_n + 1) for k in range(n + 1)]
    ns, shares = set(), set()
    for counts in itertools.product(cells, repeat=len(ATOMS)):
        world = dict(zip(ATOMS, counts, strict=True))

        def total(atoms, part, world=world):
            return sum(world[a][part] for a in atoms)

        if all(
            p.n[0] <= total(p.atoms, 0) <= p.n[1]
            and (p.k is None or p.k[0] <= total(p.atoms, 1) <= p.k[1])
            for p in published.values()
        ):
            n = total(figure.atoms, 0)
            ns.add(n)
            if n:
                shares.add(total(figure.atoms, 1) / n)
    return (min(ns), max(ns)), (min(shares), max(shares)) if shares else (0.0, 1.0)


groupings = st.lists(
    st.sets(st.sampled_from(ATOMS), min_size=1).map(frozenset), min_size=1, max_size=4
)


@settings(max_examples=40, deadline=None)
@given(
    truth=st.lists(
        st.integers(0, 2).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))),
        min_size=3,
        max_size=3,
    ),
    shown=groupings,
    secret=st.sets(st.sampled_from(ATOMS), min_size=1).map(frozenset),
    counts_only=st.booleans(),
)
def test_the_audit_finds_exactly_what_a_brute_force_attacker_finds(
    truth, shown, secret, counts_only
):
    world = dict(zip(ATOMS, truth, strict=True))
    total_n = sum(n for n, _ in truth)

    def of(atoms):
        return sum(world[a][0] for a in atoms), sum(world[a][1] for a in atoms)

    # The national total is always published: it bounds every count, as in the platform.
    published = {"all": exact(ATOMS, *of(ATOMS))}
    for i, atoms in enumerate(shown):
        n, k = of(atoms)
        published[f"g{i}"] = exact("".join(sorted(atoms)), n, None if counts_only else k)
    n, k = of(secret)
    if n == 0:
        return
    figure = Hidden(secret, n=n, k=k)

    (found,) = audit(published, {"secret": figure}, protection=PROTECTION)

    n_range, share_range = _brute_force(published, figure, total_n)
    assert found.n_range == n_range
    assert abs(found.share_range[0] - share_range[0]) < 1e-9
    assert abs(found.share_range[1] - share_range[1]) < 1e-9


def test_a_bound_is_protected_while_nothing_narrows_it_below_what_it_states():
    # 62 of 62 satisfied is published as a bound, its lower end (Wilson) 0.942: the bound itself
    # states the share within 6 points, which hiding its neighbours cannot widen. It is
    # protected while nothing pins it further (a sibling subtracted from an exact parent would).
    bound = Published(frozenset("a"), n=(62, 62), share=(0.942, 1.0))
    secret = {"a": Hidden(frozenset("a"), n=62, k=62, stated=(59 / 62, 1.0))}
    alone = finding({"a": bound}, secret, "a")
    assert alone.share_range == (59 / 62, 1.0) and alone.protected

    undone = {"a": bound, "parent": exact("ab", 74, 70), "b": exact("b", 12, 8)}
    assert not finding(undone, secret, "a").protected
