"""The gateway's pure rules: event filters, retry pauses, webhook signatures, who may subscribe."""

import hashlib
import hmac
import time
from datetime import UTC, datetime

import pytest
from gateway.domain.access import may_see, require_subscriber, visible_owner
from gateway.domain.deliveries import DeliveryState, Outcome, RetryPolicy, next_attempt
from gateway.domain.filters import EventFilter
from gateway.domain.quality_events import QUALITY_TYPES, full_type, region_of, short_type
from gateway.domain.signing import signature, verify

from shared.platform.auth import Identity
from shared.platform.errors import Forbidden

SCORE = QUALITY_TYPES["score.published"]
METHODOLOGY = QUALITY_TYPES["methodology.published"]


def test_short_and_full_type_names_name_the_same_event_type():
    assert full_type("score.published") == full_type(SCORE) == SCORE
    assert short_type(SCORE) == "score.published"
    assert short_type("educluster.gateway.webhook.test.v1") == "educluster.gateway.webhook.test.v1"
    with pytest.raises(ValueError):
        full_type("score.deleted")


def test_only_a_region_scope_event_names_its_region():
    assert region_of("region", "UZ-SA") == "UZ-SA"
    assert region_of("program", "p-1") is None
    assert region_of(None, None) is None


def test_a_filter_holds_every_criterion_it_names_and_an_empty_one_takes_everything():
    wanted = EventFilter.of(scope="region", region="UZ-SA", types=["score.published"])
    assert wanted.types == frozenset({SCORE})
    assert wanted.matches(event_type=SCORE, scope="region", region_code="UZ-SA")
    assert not wanted.matches(event_type=SCORE, scope="region", region_code="UZ-TO")
    assert not wanted.matches(event_type=SCORE, scope="cluster", region_code=None)
    assert not wanted.matches(event_type=METHODOLOGY, scope=None, region_code=None)
    everything = EventFilter.of(scope=None, region=None, types=[])
    assert everything == EventFilter()
    assert everything.matches(event_type=METHODOLOGY, scope=None, region_code=None)


def test_retry_pauses_double_from_the_base_up_to_the_cap_less_up_to_a_quarter():
    def policy(jitter: float) -> RetryPolicy:
        return RetryPolicy(
            max_attempts=12,
            backoff_base_s=10,
            backoff_cap_s=3600,
            disable_after_failures=5,
            disable_after_s=3600,
            jitter=lambda: jitter,
        )

    assert [policy(0.0).delay_s(n) for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert policy(0.0).delay_s(100) == 3600
    assert policy(0.999).delay_s(1) == pytest.approx(7.5, abs=0.01)


def test_an_attempt_log_entry_records_the_answer_and_an_error_is_cut_to_the_column():
    policy = RetryPolicy(
        max_attempts=2,
        backoff_base_s=1,
        backoff_cap_s=1,
        disable_after_failures=1,
        disable_after_s=1,
    )
    at = datetime(2026, 12, 1, tzinfo=UTC)
    record = next_attempt(
        DeliveryState(status="pending", attempts=1, attempt_log=[{"attempt": 1}]),
        Outcome(None, "x" * 900, 3.0),
        policy=policy,
        at=at,
    )
    assert record.final and record.status == "failed" and record.finished_at == at
    assert len(record.error or "") == 500
    assert record.attempt_log[0] == {"attempt": 1} and record.attempt_log[1]["attempt"] == 2


def test_a_signature_verifies_with_the_secret_only_and_only_while_recent():
    body = b'{"id":"e-1"}'
    header = signature("whsec-secret", body)
    assert verify("whsec-secret", body, header)
    assert not verify("another-secret", body, header)
    assert not verify("whsec-secret", body + b" ", header)
    old = signature("whsec-secret", body, timestamp=int(time.time()) - 600)
    assert not verify("whsec-secret", body, old)
    assert not verify("whsec-secret", body, "v1=abc")


def test_the_signature_is_hmac_sha256_over_the_timestamp_and_the_body():
    header = signature("whsec-secret", b"{}", timestamp=1_700_000_000)
    expected = hmac.new(b"whsec-secret", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


@pytest.mark.parametrize("role", ["ministry", "regional_authority"])
def test_the_ministry_and_regional_authorities_may_subscribe(role):
    require_subscriber(Identity(sub="x", role=role))


@pytest.mark.parametrize("role", ["institution", "employer", "operator"])
def test_other_roles_may_not_subscribe(role):
    with pytest.raises(Forbidden):
        require_subscriber(Identity(sub="x", role=role))


def test_the_ministry_sees_every_subscription_and_others_their_own():
    ministry = Identity(sub="ministry-1", role="ministry")
    authority = Identity(sub="authority-sa", role="regional_authority", region="UZ-SA")
    other = Identity(sub="authority-to", role="regional_authority", region="UZ-TO")
    assert visible_owner(ministry) is None
    assert visible_owner(authority) == authority.principal
    assert may_see(ministry, authority.principal) and may_see(authority, authority.principal)
    assert not may_see(authority, other.principal)


@pytest.mark.parametrize(
    "twin",
    [
        Identity(iss="educluster", sub="authority", role="regional_authority", region="UZ-TO"),
        Identity(iss="other-idp", sub="authority", role="regional_authority", region="UZ-SA"),
    ],
)
def test_a_subject_shared_across_regions_or_issuers_does_not_share_subscriptions(twin):
    # Found: ownership was the ``sub`` alone.
    authority = Identity(
        iss="educluster", sub="authority", role="regional_authority", region="UZ-SA"
    )
    assert visible_owner(twin) != visible_owner(authority)
    assert not may_see(twin, authority.principal)
