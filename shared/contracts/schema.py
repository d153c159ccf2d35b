"""JSON Schema of every catalogue event: the CloudEvents envelope with its typed ``data``."""

import json
from pathlib import Path
from typing import Any

from shared.platform.messaging.payloads import EventPayload, registered_types

CATALOGUE_MODULE_PREFIX = "shared.contracts.catalogue."


def catalogue() -> dict[str, type[EventPayload]]:
    """The published event types (payloads declared in shared.contracts.catalogue, not in tests)."""
    import shared.contracts.catalogue  # noqa: F401  (declares the types)

    return {
        name: model
        for name, model in registered_types().items()
        if model.__module__.startswith(CATALOGUE_MODULE_PREFIX)
    }


def event_schema(
    event_type: str, model: type[EventPayload], *, data: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The CloudEvents envelope of ``event_type`` around ``data`` (default: the model's schema)."""
    data = data if data is not None else model.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://educluster.org/schemas/events/{event_type}.json",
        "title": event_type,
        "description": (model.__doc__ or "").strip(),
        "type": "object",
        "required": ["specversion", "id", "source", "type", "time", "datacontenttype", "data"],
        "properties": {
            "specversion": {"const": "1.0"},
            "id": {"type": "string", "format": "uuid"},
            "source": {"type": "string", "pattern": "^/educluster/[a-z]+$"},
            "type": {"const": event_type},
            "time": {"type": "string", "format": "date-time"},
            "subject": {"type": "string"},
            "datacontenttype": {"const": "application/json"},
            "data": data,
            # The CloudEvents distributed-tracing extension: the W3C trace context of the span
            # the event was written in, when tracing is on (shared/platform/tracing.py).
            "traceparent": {
                "type": "string",
                "pattern": "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$",
                "description": "W3C Trace Context traceparent of the span that wrote the event",
            },
            "tracestate": {"type": "string", "description": "W3C Trace Context tracestate"},
        },
        "x-kafka-topic": model.topic,
    }


def render_schemas() -> dict[str, str]:
    """File name → JSON text, for every catalogue type."""
    return {
        f"{name}.json": json.dumps(event_schema(name, model), indent=2, sort_keys=True) + "\n"
        for name, model in catalogue().items()
    }


def write_schemas(out_dir: str | Path) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, text in render_schemas().items():
        path = out / file_name
        path.write_text(text)
        written.append(path)
    return written
