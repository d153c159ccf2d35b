"""Every cluster's intensity table protected together: one cluster's total less an overlapping
cluster's gives no hidden cohort back (domain/intensity_release.py)."""

from quality.domain.intensity_release import Table, release
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
