"""The disclosure audit of means: a hidden mean rating is a sum of 1..5 ratings, recovered by the
same subtractions as a share (pool − years, parent − children), up to what rounding leaves."""

import pytest
from quality.domain.audit import RATING_SCALE, SATISFIED, Hidden, Published, audit

MEAN_PROTECTION = 0.5


def exact(atoms: str, n: int, total: int | None = None) -> Published:
    """A figure published with its n and, unless None, its mean exactly (``total``: Σ ratings)."""
    return Published(frozenset(atoms), n=(n, n), k=None if total is None else (total, total))


def hidden(atoms: str, n: int, total: int) -> Hidden:
    return Hidden(frozenset(atoms), n=n, k=total)


def finding(published, secret, name):
    findings = audit(published, secret, protection=MEAN_PROTECTION, scale=RATING_SCALE)
    (result,) = [f for f in findings if f.figure == name]
    return result


def test_a_hidden_years_mean_is_its_pool_less_the_other_published_years():
    # Years a, b, c: the pool (12 ratings, Σ 44) and years b (5, Σ 20) and c (3, Σ 9) are
    # published; a's 4 ratings sum to 44 − 20 − 9 = 15: its mean 3.75, exactly.
    published = {"pool": exact("abc", 12, 44), "b": exact("b", 5, 20), "c": exact("c", 3, 9)}
    year = finding(published, {"a": hidden("a", 4, 15)}, "a")
    assert year.n_range == (4, 4)
    assert year.share_range == (3.75, 3.75) and year.true_share == 3.75
    assert not year.protected


def test_two_hidden_children_of_a_published_parent_are_protected_by_the_spread_of_ratings():
    # Parent: 20 ratings with mean 4.5 (Σ 90); children of 10 each, their n published. a's sum
    # is 90 − b's, and b's lies between 10 and 50: a's between 40 and 50, its mean 4.0 to 5.0.
    published = {"parent": exact("ab", 20, 90), "na": exact("a", 10), "nb": exact("b", 10)}
    secret = {"a": hidden("a", 10, 45), "b": hidden("b", 10, 45)}
    child = finding(published, secret, "a")
    assert child.share_range == (4.0, 5.0)
    assert child.protected  # 0.5 either side of 4.5
    # A true 4.8 has only 0.2 above it, all the scale leaves: protected as well.
    assert finding(published, {"a": hidden("a", 10, 48), "b": hidden("b", 10, 42)}, "a").protected


def test_a_parent_near_the_top_of_the_scale_leaves_its_children_too_little_room():
    # Parent mean 4.8 (Σ 96 of 20): a's sum at least 96 − 50 = 46, its mean from 4.6 to 5.0;
    # a true 4.9 can be told to within 0.3 below.
    published = {"parent": exact("ab", 20, 96), "na": exact("a", 10), "nb": exact("b", 10)}
    child = finding(published, {"a": hidden("a", 10, 49), "b": hidden("b", 10, 47)}, "a")
    assert child.share_range == (4.6, 5.0) and not child.protected


def test_rounding_widens_the_range_of_a_mean_recovered_by_subtraction():
    # Pool of 40 ratings published as 3.5 to one decimal (3.45 to 3.55: Σ 138 to 142); year b
    # exactly (30 ratings, Σ 100). Year a (10 ratings) sums 38 to 42: its mean 3.8 to 4.2, where
    # an exact pool (Σ 140) would pin it at 4.0.
    rounded = Published(frozenset("ab"), n=(40, 40), share=(3.45, 3.55))
    secret = {"a": hidden("a", 10, 40)}
    year = finding({"pool": rounded, "b": exact("b", 30, 100)}, secret, "a")
    assert year.share_range == pytest.approx((3.8, 4.2))
    assert not year.protected  # ±0.2 is narrower than ±0.5
    pinned = finding({"pool": exact("ab", 40, 140), "b": exact("b", 30, 100)}, secret, "a")
    assert pinned.share_range == (4.0, 4.0)


def satisfied(atoms: str, n: int, count: int) -> Published:
    """A share satisfied published exactly: ``count`` of the ``n`` ratings at 4 or above."""
    return Published(frozenset(atoms), n=(n, n), k=(count, count), of=SATISFIED)


def joint(published, secret, name):
    findings = audit(
        published,
        secret,
        protection=MEAN_PROTECTION,
        scale=RATING_SCALE,
        satisfied_from=4,
        satisfied_protection=0.1,
    )
    (result,) = [f for f in findings if f.figure == name]
    return result


def test_a_parents_mean_and_share_satisfied_less_a_siblings_pin_two_hidden_means():
    # a and b: six 4s each (hidden, their n published); c: ten 3s and ten 5s (mean 4.00, 50 %
    # satisfied). The parent less c is twelve ratings summing 48, all satisfied: twelve 4s, so
    # a's mean is 4.00 exactly, though its sum alone (48 less b's 6..30) leaves 3 to 5.
    published = {
        "parent": exact("abc", 32, 128),
        "parent satisfied": satisfied("abc", 32, 22),
        "c": exact("c", 20, 80),
        "c satisfied": satisfied("c", 20, 10),
        "na": exact("a", 6),
        "nb": exact("b", 6),
    }
    secret = {"a": hidden("a", 6, 24), "b": hidden("b", 6, 24)}
    means = {name: figure for name, figure in published.items() if figure.of != SATISFIED}
    assert finding(means, secret, "a").share_range == (3.0, 5.0)  # the means alone

    pinned = joint(published, secret, "a")

    assert pinned.share_range == (4.0, 4.0) and not pinned.protected


def test_a_hidden_share_satisfied_is_audited_beside_the_means():
    # The parent's 15 of 20 satisfied less nothing else: a's share lies anywhere from 5 to 10
    # of 10; its mean, 4.2, bounds it no further than its own ratings do.
    published = {
        "parent": exact("ab", 20, 85),
        "parent satisfied": satisfied("ab", 20, 15),
        "na": exact("a", 10),
        "nb": exact("b", 10),
    }
    secret = {
        "a": Hidden(frozenset("a"), n=10, k=8, of=SATISFIED),
        "b": Hidden(frozenset("b"), n=10, k=7, of=SATISFIED),
    }
    share = joint(published, secret, "a")
    assert share.share_range == (0.5, 1.0) and share.true_share == 0.8 and share.protected
