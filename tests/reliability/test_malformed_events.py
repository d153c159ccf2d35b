"""Malformed events on a topic go to the consumer's dead-letter topic; the consumer keeps going."""

import json

from shared.platform.messaging import dead_letter
from shared.platform.messaging.envelope import encode, new_event
from shared.platform.names import dead_letter_topic
from tests.integration.ledger import EntryAdded, kafka_settings, world
from tests.integration.test_consumer_delivery import produce_raw
from tests.integration.topic_reader import read_topic
from tests.support import eventually


def entry_value(**changes) -> bytes:
    """A well-formed entry event from the registry, with ``changes`` made to its envelope."""
    event = new_event(EntryAdded(account="a", seq=9), service="registry")
    return encode(event.model_copy(update=changes))


def without(value: bytes, field: str) -> bytes:
    raw = json.loads(value)
    del raw[field]
    return json.dumps(raw).encode()


MALFORMED = [
    (b"{not json", "not JSON"),
    (entry_value(data={"account": "a", "seq": "nine"}), "seq"),
    (without(entry_value(), "time"), "time"),
    (entry_value(type="educluster.testing.entry.added.v9"), "version"),
    (entry_value(source="/educluster/quality"), "/educluster/quality"),
]


async def test_each_malformed_event_is_dead_lettered_with_its_reason_and_the_next_is_applied(
    make_database_url, broker
):
    async with world(make_database_url, broker) as w:
        for value, _ in MALFORMED:
            await produce_raw(broker.bootstrap_servers, value=value, key=b"a")
        good = await w.commit_entries([EntryAdded(account="a", seq=1)])
        await eventually(w.applied, until=lambda rows: len(rows) == 1, what="good event applied")
        letters = await eventually(
            lambda: read_topic(
                kafka_settings(broker.bootstrap_servers), dead_letter_topic("quality")
            ),
            until=lambda rs: len(rs) >= len(MALFORMED),
            what="every malformed event dead-lettered",
        )
        assert [row[2] for row in await w.applied()] == [good[0].id]
    letters.sort(key=lambda r: int(dead_letter.header_text(r.headers, dead_letter.ORIGINAL_OFFSET)))
    assert [r.value for r in letters] == [value for value, _ in MALFORMED]
    for letter, (_, reason) in zip(letters, MALFORMED, strict=True):
        assert reason in dead_letter.header_text(letter.headers, dead_letter.ERROR)
