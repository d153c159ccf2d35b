"""One AsyncAPI 3.0 document of every event the services publish, generated from the catalogue.

Channels are the Kafka topics; each message is a catalogue type, its payload the CloudEvents
envelope (structured mode) around the typed ``data``. docs/asyncapi.yaml is this document
(``make schemas``), and the gateway serves it at /asyncapi.yaml; a test checks for drift.
"""

from functools import cache
from typing import Any

import yaml

from shared.contracts.schema import catalogue, event_schema
from shared.platform.names import (
    ASSESSMENT_TOPIC,
    QUALITY_LIVE_TOPIC,
    QUALITY_TOPIC,
    REGISTRY_TOPIC,
)

COMPONENT_REF = "#/components/schemas/{model}"
PUBLISHERS = {
    REGISTRY_TOPIC: "registry",
    ASSESSMENT_TOPIC: "assessment",
    QUALITY_TOPIC: "quality",
    QUALITY_LIVE_TOPIC: "quality",
}
# The ministry-only live stream gets its own channel name (the quality service publishes both).
CHANNELS = {QUALITY_LIVE_TOPIC: "quality-live"}


def _message_name(event_type: str) -> str:
    # educluster.quality.score.updated.v1 -> quality.score.updated.v1
    return event_type.removeprefix("educluster.")


def _channel_name(topic: str) -> str:
    return CHANNELS.get(topic, PUBLISHERS[topic])


def build_asyncapi() -> dict[str, Any]:
    """The AsyncAPI document as a dict (stable order, so the YAML never drifts by itself)."""
    schemas: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {
        _channel_name(topic): {
            "address": topic,
            "title": f"{service} events",
            "description": f"Published by the {service} service through its outbox.",
            "messages": {},
        }
        for topic, service in PUBLISHERS.items()
    }
    for event_type, model in catalogue().items():
        data = model.model_json_schema(mode="serialization", ref_template=COMPONENT_REF)
        schemas.update(data.pop("$defs", {}))
        envelope = event_schema(event_type, model, data=data)
        for key in ("$schema", "$id", "x-kafka-topic"):
            envelope.pop(key)
        name = _message_name(event_type)
        messages[name] = {
            "name": event_type,
            "title": model.__name__,
            "summary": (model.__doc__ or "").strip().splitlines()[0],
            "contentType": "application/cloudevents+json",
            "payload": envelope,
        }
        channel = channels[_channel_name(model.topic)]
        channel["messages"][name] = {"$ref": f"#/components/messages/{name}"}
    operations = {
        f"publish-{name}": {
            "action": "send",
            "title": f"The {PUBLISHERS[channels[name]['address']]} service publishes",
            "channel": {"$ref": f"#/channels/{name}"},
            "messages": [
                {"$ref": f"#/channels/{name}/messages/{m}"} for m in channels[name]["messages"]
            ],
        }
        for name in channels
    }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "EduCluster events",
            "version": "1.0.0",
            "description": (
                "Every event the EduCluster services publish: CloudEvents 1.0, structured "
                "content mode, JSON. The Kafka key is the id that must stay ordered (see "
                "docs/messaging.md). A breaking change is a new type version (.vN)."
            ),
        },
        "defaultContentType": "application/cloudevents+json",
        "servers": {
            "kafka": {
                "host": "localhost:9092",
                "protocol": "kafka",
                "description": "EDUCLUSTER_KAFKA_BOOTSTRAP_SERVERS",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": dict(sorted(schemas.items()))},
    }


@cache
def render_asyncapi() -> str:
    return yaml.safe_dump(build_asyncapi(), sort_keys=False, allow_unicode=True, width=100)


if __name__ == "__main__":
    print(render_asyncapi(), end="")
