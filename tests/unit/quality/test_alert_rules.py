"""Alerts that mean what they say: a drop is significant by the Newcombe interval of the
difference, and an index alert is raised once per scope and period however often it wavers."""

import random

from quality.domain.alerts import (
    benjamini_hochberg,
    drop_p_value,
    dropped,
    gap_details,
    index_crossed,
    successes,
)
from quality.domain.intervals import wilson_interval
from quality.service_layer.alerts import raise_alerts

from shared.contracts.catalogue.quality import AlertRaised
from tests.unit.quality.fakes import FakeQualityUnitOfWork
from tests.unit.quality.test_scoring_handlers import PERIOD, card


def satisfaction(x: int, n: int) -> dict:
    low, high = wilson_interval(x, n, 0.90)
    figure = {"value": round(x / n, 2), "ci_low": low, "ci_high": high, "n": n}
    return {"indicators": {"employer_satisfaction": figure | {"suppressed": False}}}


def test_a_drop_whose_intervals_overlap_is_still_significant_by_the_difference():
    # Found: 34/40 → 26/40 has overlapping 90 % Wilson intervals (0.73–0.92, 0.52–0.76), so no
    # alert was raised, though the Newcombe interval of the difference lies below zero.
    detail = dropped(satisfaction(26, 40), satisfaction(34, 40))
    assert detail is not None
    assert detail["difference_ci_high"] < 0
    assert dropped(satisfaction(30, 40), satisfaction(34, 40)) is None  # not significant
    assert dropped(satisfaction(34, 40), satisfaction(26, 40)) is None  # a rise


def test_the_count_behind_a_rounded_share_is_recovered():
    for x in range(41):
        figure = satisfaction(x, 40)["indicators"]["employer_satisfaction"]
        assert successes(figure) == x
    bound = {"value": None, "ci_low": 0.8, "ci_high": 1.0, "n": 12}
    assert successes(bound) == 12 and successes(bound | {"ci_low": 0.0, "ci_high": 0.2}) == 0


async def test_an_index_wavering_around_the_threshold_alerts_once_per_scope_and_period():
    # Found: every re-crossing raised another alert, though the docs said once.
    uow = FakeQualityUnitOfWork()
    key = ("program", "p1")
    for now, before in ((42.0, 61.0), (55.0, 42.0), (44.0, 55.0), (41.0, 52.0)):
        await raise_alerts(
            uow,
            key,
            period=PERIOD,
            card=card(now),
            before=card(before),
            last_year=None,
            threshold=50,
        )
    await uow.commit()
    assert [type(e) for e in uow.published] == [AlertRaised]
    await raise_alerts(
        uow, key, period=PERIOD + 1, card=card(42.0), before=None, last_year=None, threshold=50
    )
    await uow.commit()
    assert len(uow.published) == 2  # another period: another alert


def test_an_index_alert_needs_its_whole_interval_below_the_threshold():
    # Found: an index of 48 alerted at a threshold of 50 though its interval (40–56) said it
    # could as well be above; the alert now needs P(below) ≥ 95 % (a 90 % interval wholly below).
    assert index_crossed(card(48.0, half_width=8.0), card(61.0), threshold=50) is None
    detail = index_crossed(card(45.0, half_width=4.0), card(61.0), threshold=50)
    assert detail == {
        "index": 45.0,
        "ci_low": 41.0,
        "ci_high": 49.0,
        "threshold": 50,
        "previous_index": 61.0,
    }


def test_an_index_already_surely_below_does_not_alert_again_and_one_without_interval_never():
    # Hysteresis: still surely below after a change is nothing new to say.
    assert index_crossed(card(40.0), card(44.0), threshold=50) is None
    # Below, but no longer surely so before: that is a crossing.
    assert index_crossed(card(40.0), card(48.0), threshold=50) is not None
    # A card scored before the index had an interval makes no claim of confidence.
    legacy = {"index": {"value": 30.0}, "indicators": {}}
    assert index_crossed(legacy, None, threshold=50) is None


def gap(importance: float, performance: float, ci_high: float, quadrant="concentrate_here"):
    return {
        "importance": importance,
        "performance": performance,
        "performance_ci_high": ci_high,
        "gap": importance - performance,
        "quadrant": quadrant,
    }


def test_a_gap_alert_needs_a_material_and_significant_gap_not_only_a_quadrant():
    # Found: a cluster rated 4.90 and 4.95 got gap alerts, the crosshairs being data-centred.
    gaps = {
        "tiny": gap(5.0, 4.90, 4.97),
        "unsure": gap(4.5, 3.8, 4.6),  # 0.7 short, but its interval reaches the importance
        "real": gap(4.5, 2.9, 3.3),
        "fine": gap(4.5, 2.9, 3.3, quadrant="keep_up_the_good_work"),
    }
    assert [d["competency"] for d in gap_details(gaps, known=set())] == ["real"]
    assert gap_details(gaps, known={"real"}) == []


def test_benjamini_hochberg_keeps_the_smallest_p_values_under_the_step_up_line():
    # m = 5, q = 0.10: thresholds 0.02, 0.04, 0.06, 0.08, 0.10; p_(3) = 0.05 ≤ 0.06 is the
    # largest that passes, so the three smallest survive (p_(2) = 0.045 > 0.04 does not matter).
    p = {"a": 0.01, "b": 0.045, "c": 0.05, "d": 0.2, "e": 0.9}
    assert benjamini_hochberg(p, q=0.10) == {"a", "b", "c"}
    assert benjamini_hochberg({}, q=0.10) == set()


def test_the_drop_p_value_agrees_with_the_difference_interval():
    p = drop_p_value(satisfaction(26, 40), satisfaction(34, 40))
    assert p is not None and 0.01 < p < 0.10  # significant at 90 %, not at 99 %
    assert dropped(satisfaction(26, 40), satisfaction(34, 40), level=1 - p * 1.05) is not None
    assert dropped(satisfaction(26, 40), satisfaction(34, 40), level=1 - p * 0.95) is None
    assert drop_p_value(satisfaction(34, 40), satisfaction(26, 40)) is None  # a rise


def test_across_many_units_without_real_drops_few_alerts_survive():
    # 300 units whose satisfaction did not change: at 90 % about 5 % would "drop" by chance
    # one at a time; false-discovery-rate control keeps (nearly) none.
    rng = random.Random(3)
    cards = {}
    for unit in range(300):
        n = rng.randint(20, 120)
        this, last = (sum(rng.random() < 0.75 for _ in range(n)) for _ in range(2))
        cards[unit] = (satisfaction(this, n), satisfaction(last, n))
    one_at_a_time = sum(dropped(now, then) is not None for now, then in cards.values())
    p_values = {
        unit: p for unit, (now, then) in cards.items() if (p := drop_p_value(now, then)) is not None
    }
    assert one_at_a_time >= 5
    assert len(benjamini_hochberg(p_values, q=0.10)) <= 1
