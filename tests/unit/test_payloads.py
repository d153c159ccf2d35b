"""Payload classes name their CloudEvents type by the naming rule and register once."""

import pytest

from shared.platform.messaging.payloads import EventPayload, payload_model, registered_types


class LessonPlanned(EventPayload):
    event_type = "educluster.testing.lesson.planned.v1"

    lesson_id: str


class LessonCancelled(EventPayload):
    event_type = "educluster.testing.lesson.cancelled.v2"

    lesson_id: str
    reason: str


@pytest.mark.parametrize(
    "bad_type",
    [
        "com.example.lesson.planned.v1",
        "educluster.testing.lesson.planned",
        "educluster.testing.lesson.planned.1",
        "educluster.Testing.lesson.planned.v1",
        "educluster.testing.lesson-plan.planned.v1",
        "educluster.testing.v1",
        "educluster.testing.lesson.v1",
        " educluster.testing.lesson.planned.v1",
    ],
)
def test_a_payload_whose_type_breaks_the_naming_rule_is_refused_at_class_creation(bad_type):
    with pytest.raises(TypeError, match="naming rule"):

        class Misnamed(EventPayload):
            event_type = bad_type

    assert payload_model(bad_type) is None


def test_declaring_the_same_type_twice_is_refused_and_keeps_the_first_declaration():
    with pytest.raises(TypeError, match="declared twice"):

        class AnotherLessonPlanned(EventPayload):
            event_type = "educluster.testing.lesson.planned.v1"

            lesson_id: str

    assert payload_model("educluster.testing.lesson.planned.v1") is LessonPlanned


def test_a_class_without_its_own_type_is_abstract_and_not_registered():
    before = registered_types()

    class LessonBase(EventPayload):
        lesson_id: str

    assert registered_types() == before


def test_registered_types_lists_every_declared_payload_by_type_in_order():
    types = registered_types()

    assert types["educluster.testing.lesson.planned.v1"] is LessonPlanned
    assert types["educluster.testing.lesson.cancelled.v2"] is LessonCancelled
    assert list(types) == sorted(types)


def test_registered_types_is_a_copy_the_caller_cannot_use_to_change_the_registry():
    registered_types().pop("educluster.testing.lesson.planned.v1")

    assert payload_model("educluster.testing.lesson.planned.v1") is LessonPlanned
