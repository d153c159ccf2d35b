"""What the outbox puts on Kafka is a CloudEvent to the official SDK, and the reverse holds too."""

from cloudevents.core.bindings.kafka import KafkaMessage, from_kafka, to_structured
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent as SdkCloudEvent

from shared.platform.messaging.envelope import decode
from shared.platform.names import REGISTRY_TOPIC
from tests.integration.ledger import EntryAdded, kafka_settings, world
from tests.integration.topic_reader import read_topic
from tests.support import eventually


async def test_an_event_published_through_the_outbox_is_read_by_the_cloudevents_sdk(
    make_database_url, broker
):
    async with world(make_database_url, broker, consumer=False) as w:
        [committed] = await w.commit_entries([EntryAdded(account="a-17", seq=4, amount=250)])
        [record] = await eventually(
            lambda: read_topic(kafka_settings(broker.bootstrap_servers), REGISTRY_TOPIC),
            until=lambda records: len(records) == 1,
            what="the event on the topic",
        )

    message = KafkaMessage(headers=dict(record.headers), key=record.key, value=record.value)
    event = from_kafka(message, JSONFormat())

    assert isinstance(event, SdkCloudEvent)
    assert event.get_specversion() == "1.0"
    assert event.get_id() == committed.id
    assert event.get_source() == "/educluster/registry"
    assert event.get_type() == "educluster.testing.entry.added.v1"
    assert event.get_time() == committed.time
    assert event.get_time().utcoffset() is not None
    assert event.get_subject() == "accounts/a-17"
    assert event.get_datacontenttype() == "application/json"
    assert event.get_data() == {"account": "a-17", "seq": 4, "amount": 250, "poison": False}
    assert event.get_extension("partitionkey") == "a-17"


def test_an_event_written_by_the_cloudevents_sdk_decodes_into_its_typed_payload():
    sdk_event = SdkCloudEvent(
        attributes={
            "type": "educluster.testing.entry.added.v1",
            "source": "/elsewhere/ledger",
            "subject": "accounts/b",
            "datacontenttype": "application/json",
        },
        data={"account": "b", "seq": 9},
    )
    message = to_structured(sdk_event, JSONFormat())

    event = decode(message.value)

    assert (event.id, event.source, event.subject) == (
        sdk_event.get_id(),
        "/elsewhere/ledger",
        "accounts/b",
    )
    assert event.time == sdk_event.get_time()
    assert event.payload() == EntryAdded(account="b", seq=9)
