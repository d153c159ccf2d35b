"""Which employments count in employment outcomes: the methodology's counting states (default
confirmed and verified), kept, validated and announced with each version; the registry's state
changes reach the projection and mark the cohort for rescoring."""

from datetime import date

import pytest
from quality.domain.index import DEFAULT_METHODOLOGY, Methodology
from quality.domain.methodology import DEFAULT_CONTENT, from_json, next_version, to_json
from quality.entrypoints.consumers import HANDLERS
from quality.entrypoints.schemas import MethodologyChange, MethodologyPublic
from quality.service_layer import methodology, registry_events
from quality.service_layer.scoreboard import compute_scorecards

from shared.contracts.catalogue import registry
from shared.contracts.catalogue.quality import MethodologyPublished
from shared.platform.auth import Identity
from shared.platform.errors import RuleViolation
from tests.unit.quality.fakes import FakeQualityUnitOfWork

MINISTRY = Identity(sub="m", role="ministry")
FIELD = "counting_employment_states"


def test_by_default_confirmed_and_verified_employments_count() -> None:
    assert DEFAULT_METHODOLOGY.counting_employment_states == ("confirmed", "verified")
    assert DEFAULT_CONTENT[FIELD] == ["confirmed", "verified"]


def test_the_counting_states_survive_the_stored_form() -> None:
    chosen = Methodology(
        version=2, weights={"employed_12m": 1.0}, counting_employment_states=("verified",)
    )
    content = to_json(chosen, alert_index_below=50.0)

    assert content[FIELD] == ["verified"]
    assert from_json(content).counting_employment_states == ("verified",)


def test_a_version_stored_before_employment_states_counts_the_default_ones() -> None:
    stored = {k: v for k, v in DEFAULT_CONTENT.items() if k != FIELD}

    assert from_json(stored).counting_employment_states == ("confirmed", "verified")


@pytest.mark.parametrize(
    ("states", "says"),
    [
        ((), "at least one"),
        (("confirmed", "confirmed"), "more than once"),
        (("confirmed", "hired"), "'hired'"),
        (("confirmed", "rejected"), "rejected"),
    ],
)
def test_inconsistent_counting_states_are_refused(states, says) -> None:
    with pytest.raises(ValueError, match=FIELD) as refused:
        Methodology(version=2, weights={"a": 1.0}, counting_employment_states=states)
    assert says in str(refused.value)


def test_a_rejected_employment_can_never_be_made_to_count_and_the_refusal_names_the_field() -> None:
    with pytest.raises(RuleViolation) as refused:
        next_version(DEFAULT_CONTENT, {FIELD: ["confirmed", "rejected"]}, latest=1)

    assert refused.value.field == FIELD
    assert list(refused.value.loc or ()) == ["body", FIELD]
    assert "rejected" in str(refused.value)


async def test_the_ministry_publishes_counting_states_and_announces_them() -> None:
    uow = FakeQualityUnitOfWork()
    await methodology.ensure_default(lambda: uow)

    content = await methodology.publish(
        uow,
        MINISTRY,
        MethodologyChange(counting_employment_states=["verified"]).model_dump(exclude_none=True),
    )
    await uow.commit()

    assert content[FIELD] == ["verified"]
    announced = [p for p in uow.published if isinstance(p, MethodologyPublished)]
    assert [p.counting_employment_states for p in announced] == [
        ["confirmed", "verified"],
        ["verified"],
    ]
    assert MethodologyPublic.model_validate(content).counting_employment_states == ["verified"]


def test_older_methodology_events_and_stored_versions_read_as_the_default() -> None:
    older = MethodologyPublished.model_validate(
        {"version": 1, "weights": {"a": 1.0}, "interval_level": 0.9, "thresholds": {}}
    )
    stored = {k: v for k, v in DEFAULT_CONTENT.items() if k != FIELD}

    assert older.counting_employment_states == ["confirmed", "verified"]
    assert MethodologyPublic.model_validate(stored).counting_employment_states == [
        "confirmed",
        "verified",
    ]


def test_a_change_naming_an_unknown_state_or_none_is_refused_at_the_field() -> None:
    for bad in (["hired"], []):
        with pytest.raises(ValueError) as refused:
            MethodologyChange.model_validate({FIELD: bad})
        assert refused.value.errors()[0]["loc"][0] == FIELD  # type: ignore[attr-defined]


async def test_scores_count_the_employments_in_the_methodologys_states() -> None:
    uow = FakeQualityUnitOfWork()
    chosen = Methodology(
        version=2, weights={"employed_12m": 1.0}, counting_employment_states=("verified",)
    )

    await compute_scorecards(uow, period=2024, pooled=False, methodology=chosen)

    assert uow.queries.counted_states == [("verified",)]


def employment(state: registry.EmploymentStatus, **extra) -> dict:
    return {
        "employment_id": "em1",
        "graduate_id": "g1",
        "institution_id": "i1",
        "program_id": "p1",
        "employer_id": "e1",
        "start_date": date(2023, 9, 1),
        "end_date": None,
        "isco_code": "2512",
        "in_field": True,
        "state": state,
        **extra,
    }


async def test_an_employment_state_change_updates_the_projection_and_marks_the_cohort() -> None:
    uow = FakeQualityUnitOfWork()
    graduate = registry.GraduateRegistered(
        graduate_id="g1", institution_id="i1", program_id="p1", graduation_year=2023, active=True
    )
    await registry_events.graduate_changed(uow, graduate)
    await registry_events.employment_changed(
        uow, registry.EmploymentRecorded(**employment("claimed"))
    )
    await uow.marks.clear(await uow.marks.take())

    changed = registry.EmploymentStateChanged(
        **employment("confirmed", previous_state="claimed", changed_by="institution")
    )
    await registry_events.employment_changed(uow, changed)

    assert uow.projection.employments["em1"]["state"] == "confirmed"
    assert [(p, period) for p, period, _ in await uow.marks.take()] == [("p1", 2023)]
    assert registry.EmploymentStateChanged.event_type in HANDLERS
