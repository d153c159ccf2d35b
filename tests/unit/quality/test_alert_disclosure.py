"""An alert cites only values its scorecards publish now (channel 8 of the publication issue)."""

from quality.domain.alerts import WITHHELD, as_published, dropped
from quality.domain.scorecard import ONE_CATEGORY_REASON

SHOWN = {"value": 0.5, "ci_low": 0.4, "ci_high": 0.6, "n": 40, "suppressed": False}
HIDDEN = {"value": None, "ci_low": None, "ci_high": None, "n": 9, "suppressed": True}
DROP = {
    "indicator": "employer_satisfaction",
    "value": 0.5,
    "ci_low": 0.4,
    "ci_high": 0.6,
    "previous_value": 0.8,
    "previous_ci_low": 0.7,
    "previous_ci_high": 0.9,
}
GAP = {"competency": "t.one", "importance": 4.5, "performance": 2.9, "gap": 1.6}


def card(satisfaction=SHOWN, mean=SHOWN, index=70.0):
    return {
        "index": {"value": index},
        "indicators": {"employer_satisfaction": satisfaction},
        "competencies": {"t.one": {"mean": mean}},
    }


def test_a_drop_keeps_its_values_while_both_years_publish_them():
    assert as_published("significant_drop", DROP, card=card(), last_year=card()) == DROP


def test_a_drop_withholds_every_value_once_either_year_hides_its_figure():
    for now, then in ((card(HIDDEN), card()), (card(), card(HIDDEN)), (card(), None)):
        redacted = as_published("significant_drop", DROP, card=now, last_year=then)
        assert redacted["indicator"] == "employer_satisfaction"
        assert redacted["withheld"] == WITHHELD
        assert all(redacted[k] is None for k in DROP if k != "indicator")


def test_a_competency_gap_withholds_its_performance_once_the_mean_is_hidden():
    assert as_published("competency_gap", GAP, card=card(), last_year=None) == GAP
    redacted = as_published("competency_gap", GAP, card=card(mean=HIDDEN), last_year=None)
    assert (redacted["competency"], redacted["importance"]) == ("t.one", 4.5)
    assert redacted["performance"] is None and redacted["gap"] is None


def test_an_alert_whose_scorecard_is_gone_cites_nothing():
    redacted = as_published("index_below_threshold", {"index": 40.0}, card=None, last_year=None)
    assert redacted == {"index": None, "withheld": WITHHELD}


def test_a_drop_from_a_year_stated_only_as_a_bound_is_still_raised():
    # Last year 12 of 12 (published as its interval only); this year 3 of 12.
    def card(figure: dict) -> dict:
        return {"indicators": {"employer_satisfaction": figure}}

    bound = {
        "value": None,
        "ci_low": 0.80,
        "ci_high": 1.0,
        "n": 12,
        "suppressed": True,
        "reason": ONE_CATEGORY_REASON,
    }
    low = {
        "value": 0.25,
        "ci_low": 0.1,
        "ci_high": 0.5,
        "n": 12,
        "suppressed": False,
        "reason": None,
    }
    detail = dropped(card(low), card(bound))
    assert detail is not None and detail["previous_value"] is None
    assert detail["previous_ci_low"] == 0.80
    assert dropped(card(bound), card(low)) is None  # a rise
