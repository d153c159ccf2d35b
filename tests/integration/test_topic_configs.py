"""Topics the platform creates carry explicit configs, and a marker that vanished (its record
expired) is replaced instead of stopping publishing for good."""

from shared.platform.messaging.epoch import holds_a_record
from shared.platform.messaging.kafka import ensure_topics, new_admin, topic_configs
from shared.platform.names import EPOCH_TOPIC, all_topics
from shared.platform.settings import KafkaSettings

DAY_MS = 86_400_000


def test_the_epoch_topic_never_expires_and_data_topics_outlive_the_outbox():
    # Found: topics got the broker's defaults (7 days); outside Strimzi the one-record epoch
    # topic expired, after which the relay could never read its marker again.
    settings = KafkaSettings(topic_retention_days=45, replication_factor=3)
    epoch = topic_configs(EPOCH_TOPIC, settings)
    assert epoch["retention.ms"] == "-1" and epoch["retention.bytes"] == "-1"
    for topic in all_topics():
        configs = topic_configs(topic, settings)
        assert configs["retention.ms"] == str(45 * DAY_MS)
        assert configs["min.insync.replicas"] == "2"
    assert topic_configs(all_topics()[0], KafkaSettings())["min.insync.replicas"] == "1"


async def test_the_broker_accepts_the_topics_with_their_configs(broker):
    settings = KafkaSettings(bootstrap_servers=broker.bootstrap_servers)
    created = await ensure_topics(settings)
    assert set(created) == {*all_topics(), EPOCH_TOPIC}
    admin = new_admin(settings)
    await admin.start()
    try:
        assert {*all_topics(), EPOCH_TOPIC} <= set(await admin.list_topics())
    finally:
        await admin.close()


def test_a_partition_whose_marker_expired_holds_no_marker():
    # Records expired: the partition's first offset moved up to its end. Reading the marker
    # then waited for a record that never came, and /readyz stayed 503; now the partition
    # counts as empty, so a new marker is written (a new epoch: relays re-publish, which the
    # inboxes absorb). (The bundled broker cannot delete records, so the rule is tested alone.)
    assert not holds_a_record(start=1, end=1)
    assert not holds_a_record(start=0, end=0)
    assert holds_a_record(start=0, end=1) and holds_a_record(start=3, end=5)
