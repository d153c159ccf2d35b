"""Fair sending to webhook receivers: a few attempts at a time per target, and a circuit breaker
per target that opens after failures in a row, cools down (doubling, capped), lets one trial
through and closes again on a success."""

import pytest
from gateway.domain.deliveries import DueDelivery
from gateway.domain.subscriptions import normalised_url, target_of
from gateway.domain.targets import TargetLimits, Targets

LIMITS = TargetLimits(per_target=2, failures_to_open=3, cooldown_s=10.0, cooldown_cap_s=25.0)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def due(n: int, url: str, subscription: str | None = None) -> DueDelivery:
    return DueDelivery(
        id=n,
        subscription_id=subscription or url,
        url=url,
        secret="s",
        event_id=f"e{n}",
        payload={},
        attempt=1,
    )


SLOW, FAST = "https://slow.example/hooks", "https://fast.example/hooks"


@pytest.mark.parametrize(
    ("url", "normal", "target"),
    [
        ("HTTPS://Ministry.Example.ORG/hooks", "https://ministry.example.org/hooks", None),
        ("https://ministry.example.org:443/hooks", "https://ministry.example.org/hooks", None),
        ("http://ministry.example.org:80", "http://ministry.example.org/", None),
        ("http://Ministry.example.org:8080/a?b=C", "http://ministry.example.org:8080/a?b=C", None),
        ("http://[::1]:80/x", "http://[::1]/x", "http://[::1]:80"),
    ],
)
def test_urls_are_compared_with_scheme_and_host_in_lower_case_and_no_default_port(
    url, normal, target
):
    assert normalised_url(url) == normal
    if target is not None:
        assert target_of(url) == target


def test_a_target_is_its_scheme_host_and_port():
    assert target_of("https://Slow.example/a") == target_of("https://slow.example:443/b")
    assert target_of("http://127.0.0.1:8001/a") != target_of("http://127.0.0.1:8002/a")


def test_no_target_gets_more_than_its_share_of_attempts_at_once_and_others_are_picked_past_it():
    targets = Targets(LIMITS, clock=Clock())
    candidates = [due(1, SLOW), due(2, SLOW), due(3, SLOW), due(4, SLOW), due(5, FAST)]
    picked = targets.pick(candidates, limit=4)
    assert [d.id for d in picked] == [1, 2, 5]
    targets.start(picked)
    # While the slow target's two attempts run, its subscriptions are left out of the claim.
    assert targets.blocked_subscriptions() == {SLOW}
    assert [d.id for d in targets.pick([due(3, SLOW), due(6, FAST)], limit=4)] == [6]
    targets.finished(target_of(SLOW), trouble=False)
    assert targets.blocked_subscriptions() == set()
    assert [d.id for d in targets.pick([due(3, SLOW), due(4, SLOW)], limit=4)] == [3]


def test_the_global_limit_caps_what_is_picked():
    targets = Targets(LIMITS, clock=Clock())
    assert len(targets.pick([due(n, f"https://h{n}.example/") for n in range(9)], limit=5)) == 5


def test_failures_in_a_row_open_the_circuit_for_a_cooldown_that_doubles_up_to_the_cap():
    clock = Clock()
    targets = Targets(LIMITS, clock=clock)
    target = target_of(SLOW)

    def fail() -> None:
        targets.start([due(0, SLOW)])
        targets.finished(target, trouble=True)

    fail(), fail()
    assert targets.pick([due(1, SLOW)], limit=1)  # two failures: still closed
    fail()
    assert targets.pick([due(1, SLOW)], limit=1) == []  # open: left pending, not attempted
    assert targets.blocked_subscriptions() == {SLOW}
    assert targets.pick([due(2, FAST)], limit=1)  # other targets go on
    clock.now += 9.9
    assert targets.pick([due(1, SLOW)], limit=1) == []

    clock.now += 0.1  # half-open: one trial at a time
    assert [d.id for d in targets.pick([due(1, SLOW), due(3, SLOW)], limit=5)] == [1]
    fail()  # the trial failed: open again, twice as long
    clock.now += 19.9
    assert targets.pick([due(1, SLOW)], limit=1) == []
    clock.now += 0.1
    fail()  # and again: 40 s, capped at 25 s
    clock.now += 24.9
    assert targets.pick([due(1, SLOW)], limit=1) == []
    clock.now += 0.1
    trial = targets.pick([due(1, SLOW)], limit=1)
    targets.start(trial)
    targets.finished(target, trouble=False)  # a success closes it: the full share again
    assert len(targets.pick([due(1, SLOW), due(3, SLOW), due(4, SLOW)], limit=5)) == 2
    fail(), fail()
    assert targets.pick([due(1, SLOW)], limit=1)  # the count started again from nothing
    fail()
    clock.now += 10.0  # the first cooldown again, not the doubled one
    assert targets.pick([due(1, SLOW)], limit=1)


def test_a_healthy_idle_target_is_forgotten():
    targets = Targets(LIMITS, clock=Clock())
    targets.start([due(1, FAST)])
    targets.finished(target_of(FAST), trouble=False)
    assert targets.tracked == 0
