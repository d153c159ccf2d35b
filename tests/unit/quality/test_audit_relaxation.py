"""The audit's extremes are those of integer counts, found by the linear relaxation where its
optimum falls on integers (a figure is a sum of counts: most do) and by an integer programme
where it does not."""

from quality.domain.audit import Hidden, Published, Solutions, audit

PROTECTION = 0.10


def test_an_extreme_the_relaxation_reaches_at_integers_needs_no_integer_programme():
    # Pool of years a and b: 12 answers, 7 successes; year b: 8 answers, 6 successes. Year a's
    # 4 answers and 1 success follow by subtraction; a linear programme finds them at integers.
    published = {
        "pool": Published(frozenset("ab"), n=(12, 12), k=(7, 7)),
        "b": Published(frozenset("b"), n=(8, 8), k=(6, 6)),
        "parent": Published(frozenset("abcd"), n=(30, 30), k=(15, 15)),
        "c": Published(frozenset("c"), n=(9, 9)),
    }
    hidden = {"a": Hidden(frozenset("a"), n=4, k=1), "c": Hidden(frozenset("c"), n=9, k=4)}
    solutions = Solutions()

    findings = {
        f.figure: f for f in audit(published, hidden, protection=PROTECTION, solutions=solutions)
    }

    assert findings["a"].share_range == (0.25, 0.25)
    assert findings["c"].share_range == (0.0, 8 / 9)  # c and d share 8 successes
    assert solutions.linear_programs > 0
    assert solutions.integer_programs == 0


def test_where_the_relaxation_stops_between_integers_the_integer_programme_decides():
    # Three atoms of one answer each, any two of them with at most one success between them:
    # the relaxation puts half a success in each (1.5 in all); whole answers allow one.
    one = {atom: Published(frozenset(atom), n=(1, 1)) for atom in "abc"}
    pairs = {pair: Published(frozenset(pair), n=(2, 2), k=(0, 1)) for pair in ("ab", "bc", "ac")}
    hidden = {"abc": Hidden(frozenset("abc"), n=3, k=1)}
    solutions = Solutions()

    (finding,) = audit({**one, **pairs}, hidden, protection=PROTECTION, solutions=solutions)

    assert finding.share_range == (0.0, 1 / 3)
    assert solutions.integer_programs >= 1


def test_an_n_whose_relaxation_cannot_beat_the_share_found_needs_no_integer_programme():
    # As above, but each atom holds one to three answers, so the hidden figure's n is 3 to 9.
    # Its highest share: n = 3 gives 1/3 by integer programme; n = 4's relaxation allows
    # 1.5/4, so its integer programme runs (1/4); from n = 5 on the relaxation itself (1.5/n)
    # stays below 1/3, and no integer programme is needed (one an n before).
    few = {atom: Published(frozenset(atom), n=(1, 3)) for atom in "abc"}
    pairs = {pair: Published(frozenset(pair), n=(2, 6), k=(0, 1)) for pair in ("ab", "bc", "ac")}
    hidden = {"abc": Hidden(frozenset("abc"), n=3, k=1)}
    solutions = Solutions()

    (finding,) = audit({**few, **pairs}, hidden, protection=PROTECTION, solutions=solutions)

    assert finding.n_range == (3, 9)
    assert finding.share_range == (0.0, 1 / 3)
    assert solutions.integer_programs <= 2
