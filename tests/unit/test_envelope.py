"""The CloudEvents envelope: what new_event builds, what encode writes and what decode accepts."""

import json
import re
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from shared.platform.messaging.envelope import CloudEvent, InvalidEvent, decode, encode, new_event
from shared.platform.messaging.payloads import EventPayload

RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$")


class BookShelved(EventPayload):
    event_type = "educluster.testing.book.shelved.v1"

    book_id: str
    shelf: int


def shelved(**overrides) -> CloudEvent:
    return new_event(BookShelved(book_id="b-1", shelf=3), service="registry", **overrides)


def attributes(event: CloudEvent) -> dict:
    return json.loads(encode(event))


def test_new_event_wraps_the_payload_in_a_cloudevent_from_the_service():
    event = shelved(subject="books/b-1")

    assert event.specversion == "1.0"
    assert UUID(event.id).version == 4
    assert event.source == "/educluster/registry"
    assert event.type == "educluster.testing.book.shelved.v1"
    assert event.subject == "books/b-1"
    assert event.datacontenttype == "application/json"
    assert event.data == {"book_id": "b-1", "shelf": 3}
    assert event.time.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - event.time) < timedelta(minutes=1)


def test_two_new_events_never_share_an_id():
    assert shelved().id != shelved().id


def test_encoded_time_is_rfc3339_in_utc_and_an_absent_subject_is_left_out():
    written = attributes(shelved())

    assert RFC3339_UTC.match(written["time"]), written["time"]
    assert "subject" not in written
    assert written["specversion"] == "1.0"


def test_decoding_an_encoded_event_gives_back_the_same_event():
    event = shelved(subject="books/b-1")

    assert decode(encode(event)) == event


def test_decode_keeps_extension_attributes_and_converts_an_offset_time_to_utc():
    written = attributes(shelved()) | {"time": "2024-05-01T12:00:00+02:00", "traceparent": "t"}

    event = decode(json.dumps(written).encode())

    assert event.time == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert event.time.utcoffset() == timedelta(0)
    assert attributes(event)["traceparent"] == "t"


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        (b"", "empty"),
        (None, "empty"),
        (b"{not json", "not JSON"),
        (b"\xff\xfe\x00", "not JSON"),
        (b'[{"id": "1"}]', "not a JSON object"),
        (b'"just a string"', "not a JSON object"),
    ],
)
def test_decode_rejects_a_value_that_is_not_a_json_object(value, complaint):
    with pytest.raises(InvalidEvent, match=complaint):
        decode(value)


@pytest.mark.parametrize("missing", ["id", "source", "type", "time", "data"])
def test_decode_rejects_an_event_missing_a_required_attribute_and_names_it(missing):
    written = attributes(shelved())
    del written[missing]

    with pytest.raises(InvalidEvent, match=rf"not a CloudEvent \({missing}\)"):
        decode(json.dumps(written).encode())


@pytest.mark.parametrize(
    ("attribute", "value"),
    [("specversion", "0.3"), ("id", ""), ("datacontenttype", "text/xml"), ("data", [1, 2])],
)
def test_decode_rejects_an_attribute_with_a_value_the_envelope_does_not_allow(attribute, value):
    written = attributes(shelved()) | {attribute: value}

    with pytest.raises(InvalidEvent, match=attribute):
        decode(json.dumps(written).encode())


def test_decode_rejects_a_time_without_an_offset():
    written = attributes(shelved()) | {"time": "2024-05-01T12:00:00"}

    with pytest.raises(InvalidEvent, match=r"(?s)\(time\).*UTC offset"):
        decode(json.dumps(written).encode())


@pytest.mark.parametrize("timestamp", [0, 1700000000, "1700000000", 1.5])
def test_decode_rejects_a_unix_timestamp_because_cloudevents_time_is_rfc3339_text(timestamp):
    written = attributes(shelved()) | {"time": timestamp}

    with pytest.raises(InvalidEvent, match="time"):
        decode(json.dumps(written).encode())


def test_payload_returns_the_typed_payload_of_the_event():
    payload = decode(encode(shelved())).payload()

    assert payload == BookShelved(book_id="b-1", shelf=3)
    assert isinstance(payload, BookShelved)


def test_payload_of_an_unknown_type_raises_invalid_event():
    event = shelved().model_copy(update={"type": "educluster.testing.book.burned.v1"})

    with pytest.raises(InvalidEvent, match="unknown event type"):
        event.payload()


@pytest.mark.parametrize(
    "data",
    [
        {"book_id": "b-1"},
        {"book_id": "b-1", "shelf": "top"},
        {"book_id": "b-1", "shelf": 3, "colour": "red"},
    ],
)
def test_payload_that_does_not_fit_its_type_raises_invalid_event(data):
    event = shelved().model_copy(update={"data": data})

    with pytest.raises(InvalidEvent, match="educluster.testing.book.shelved.v1"):
        event.payload()
