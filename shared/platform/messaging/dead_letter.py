"""Dead-letter records: the original event plus where it came from and why it failed."""

from collections.abc import Sequence
from datetime import UTC, datetime

from aiokafka.structs import ConsumerRecord

from shared.platform.logging import described

ORIGINAL_TOPIC = "x-educluster-original-topic"
ORIGINAL_PARTITION = "x-educluster-original-partition"
ORIGINAL_OFFSET = "x-educluster-original-offset"
CONSUMER_GROUP = "x-educluster-consumer-group"
ERROR = "x-educluster-error"
ATTEMPTS = "x-educluster-attempts"
FAILED_AT = "x-educluster-failed-at"
_OUR_HEADERS = {
    ORIGINAL_TOPIC,
    ORIGINAL_PARTITION,
    ORIGINAL_OFFSET,
    CONSUMER_GROUP,
    ERROR,
    ATTEMPTS,
    FAILED_AT,
}
_MAX_ERROR_BYTES = 2000


def dead_letter_headers(
    record: ConsumerRecord, *, group_id: str, error: BaseException, attempts: int
) -> list[tuple[str, bytes]]:
    """The record's own headers followed by the dead-letter facts."""
    message = described(error).encode()[:_MAX_ERROR_BYTES]
    return [
        *(h for h in (record.headers or ()) if h[0] not in _OUR_HEADERS),
        (ORIGINAL_TOPIC, record.topic.encode()),
        (ORIGINAL_PARTITION, str(record.partition).encode()),
        (ORIGINAL_OFFSET, str(record.offset).encode()),
        (CONSUMER_GROUP, group_id.encode()),
        (ERROR, message),
        (ATTEMPTS, str(attempts).encode()),
        (FAILED_AT, datetime.now(UTC).isoformat().encode()),
    ]


def original_headers(headers: Sequence[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The headers the event had before it was dead-lettered (for re-driving it)."""
    return [h for h in headers if h[0] not in _OUR_HEADERS]


def header_text(headers: Sequence[tuple[str, bytes]], name: str) -> str | None:
    for key, value in headers:
        if key == name:
            return value.decode(errors="replace")
    return None
