"""Every cluster's intensity table protected together: one cluster's total less an overlapping
cluster's gives no hidden cohort back (domain/intensity_release.py)."""

from quality.domain.intensity_release import Hiding, Stated, Table, release
from quality.domain.scorecard import SECONDARY_REASON
from quality.domain.suppression import SuppressionThresholds

THRESHOLDS = SuppressionThresholds(protection_width=0.05)


def test_a_nested_clusters_total_less_its_own_gives_no_hidden_cohort_back():
    # K1 holds programs p (12 graduates) and b (3, hidden); K2 ⊂ K1 holds p alone, listing
    # none of its programs (its activity reaches none). On their own, K1 shows 15 and K2 12:
    # 15 − 12 are b's 3. Together, K1's total is hidden too.
    tables = {
        "K1": Table({"p": 12, "b": 3}, frozenset({"p", "b"}), frozenset({"p", "b"})),
        "K2": Table({"p": 12}, frozenset({"p"}), frozenset()),
    }
    made = release(tables, thresholds=THRESHOLDS, width=THRESHOLDS.protection_width)
    assert made.hidden["K1"].total == SECONDARY_REASON
    assert made.hidden["K2"].total is None
    assert set(made.hidden["K1"].programs) == {"b"}  # with no total, p hides nothing
    assert made.unprotected == 0 and made.checked >= 1


def test_a_cohort_hidden_in_one_table_is_hidden_in_every_table_listing_it():
    # K2 hides q (12) to protect p (3); K1 would show q and give p back as 15 − 12.
    tables = {
        "K1": Table({"p": 3, "q": 12, "b": 11}, frozenset("pqb"), frozenset("pqb")),
        "K2": Table({"p": 3, "q": 12}, frozenset("pq"), frozenset("pq")),
    }
    made = release(tables, thresholds=THRESHOLDS, width=THRESHOLDS.protection_width)
    assert {"p", "q"} <= set(made.hidden["K1"].programs)
    assert set(made.hidden["K2"].programs) == {"p", "q"}
    assert made.unprotected == 0


def test_a_cohort_hidden_in_an_earlier_publication_of_the_year_stays_hidden():
    # Publication 1 showed K's total 35 and p's 20 and hid q (3) and r (12). Then r grew by 13:
    # on its own publication 2 hides q and p (20, now the smallest other) and shows r (25) and
    # the total (48), and 48 − 25 − 20 (p as publication 1 stated it) are q's 3.
    programs = frozenset("pqr")
    first = Table({"p": 20, "q": 3, "r": 12}, programs, programs)
    stated = Stated(first, Hiding(None, {"q": "fewer than 10 graduates", "r": SECONDARY_REASON}))
    now = {"K": Table({"p": 20, "q": 3, "r": 25}, programs, programs)}
    alone = release(now, thresholds=THRESHOLDS, width=THRESHOLDS.protection_width)
    assert (alone.hidden["K"].total, set(alone.hidden["K"].programs)) == (None, {"p", "q"})

    made = release(
        now,
        thresholds=THRESHOLDS,
        width=THRESHOLDS.protection_width,
        earlier=[{"K": stated}],
    )
    # r is hidden instead: 48 − 20 leave q + r (28), as publication 1's 35 − 20 left 15.
    assert made.hidden["K"].programs.keys() == {"q", "r"}
    assert made.hidden["K"].total is None
    assert made.unprotected == 0


def test_an_earlier_publications_hidden_cohort_is_checked_even_when_now_shown():
    # Publication 1 hid q (5) beside p (20) and r (12, its complement) under a total of 37.
    # Now q has 12 and nothing is small: on its own publication 2 shows every cohort, and
    # r's 12 (unchanged) against publication 1's 37 − 20 give q's 5 back.
    programs = frozenset("pqr")
    first = Table({"p": 20, "q": 5, "r": 12}, programs, programs)
    stated = Stated(first, Hiding(None, {"q": "fewer than 10 graduates", "r": SECONDARY_REASON}))
    now = {"K": Table({"p": 20, "q": 12, "r": 12}, programs, programs)}
    alone = release(now, thresholds=THRESHOLDS, width=THRESHOLDS.protection_width)
    assert (alone.hidden["K"].total, alone.hidden["K"].programs) == (None, {})

    made = release(
        now,
        thresholds=THRESHOLDS,
        width=THRESHOLDS.protection_width,
        earlier=[{"K": stated}],
    )
    # q and r hidden: 44 − 20 leave q + r (24); less publication 1's 17, only what q gained.
    assert made.hidden["K"].programs == {"q": SECONDARY_REASON, "r": SECONDARY_REASON}
    assert made.hidden["K"].total is None
    assert (made.checked, made.unprotected) == (1, 0)


def test_a_cohort_that_shrank_since_an_earlier_publication_starts_a_new_run_of_batches():
    # A graduate of q is no longer active: publication 2's q (4) is less than publication 1's
    # (5). Batches only add up, so q's cohort now is a run of its own, and the tables of the
    # two publications still fit together (the audit finds no contradiction).
    programs = frozenset("pqr")
    first = Table({"p": 20, "q": 5, "r": 12}, programs, programs)
    stated = Stated(first, Hiding(None, {"q": "fewer than 10 graduates", "r": SECONDARY_REASON}))
    now = {"K": Table({"p": 20, "q": 4, "r": 12}, programs, programs)}
    made = release(
        now,
        thresholds=THRESHOLDS,
        width=THRESHOLDS.protection_width,
        earlier=[{"K": stated}],
    )
    assert {"q", "r"} <= made.hidden["K"].programs.keys()
    assert made.unprotected == 0
