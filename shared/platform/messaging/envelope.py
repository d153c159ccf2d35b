"""CloudEvents 1.0 envelope, structured content mode, JSON, on Kafka.

The whole event is the Kafka value; the ``content-type`` header says
``application/cloudevents+json``. ``source`` + ``id`` identify an event for deduplication.
An event created while a span is active carries its W3C trace context as the ``traceparent``
and ``tracestate`` attributes of the CloudEvents distributed-tracing extension, inside the
JSON like every other attribute: the consumer's span continues that trace.
"""

import json
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import uuid4

from opentelemetry.context import Context
from opentelemetry.trace import get_current_span
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from shared.platform.messaging.payloads import EventPayload, payload_model

CONTENT_TYPE = "application/cloudevents+json"
CONTENT_TYPE_HEADER = "content-type"
# The distributed-tracing extension's attributes are W3C Trace Context, whatever the HTTP
# propagators are set to (OTEL_PROPAGATORS).
_TRACE_CONTEXT = TraceContextTextMapPropagator()
_TRACE_ATTRIBUTES = ("traceparent", "tracestate")


class InvalidEvent(ValueError):
    """A Kafka record that is not a well-formed EduCluster CloudEvent."""


class CloudEvent(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(min_length=1)
    source: str = Field(min_length=1)
    type: str = Field(min_length=1)
    time: datetime
    subject: str | None = None
    datacontenttype: Literal["application/json"] = "application/json"
    data: dict[str, Any]

    @field_validator("time", mode="before")
    @classmethod
    def _rfc3339_text(cls, value: object) -> object:
        # pydantic would also take a Unix timestamp; CloudEvents requires RFC 3339 text.
        if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
            raise ValueError("time must be an RFC 3339 timestamp")
        return value

    @field_validator("time")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("time must carry a UTC offset (RFC 3339)")
        return value.astimezone(UTC)

    def payload(self) -> EventPayload:
        """The typed payload for this event's ``type``; raises InvalidEvent if it does not fit."""
        model = payload_model(self.type)
        if model is None:
            raise InvalidEvent(f"unknown event type {self.type!r}")
        try:
            return model.model_validate(self.data)
        except ValidationError as error:
            raise InvalidEvent(f"{self.type}: {error}") from error


def new_event(payload: EventPayload, *, service: str, subject: str | None = None) -> CloudEvent:
    """Wrap a payload in a fresh envelope from ``/educluster/<service>``, with the active span's
    trace context (``traceparent``, and ``tracestate`` if any; none without an active span)."""
    trace_attributes: dict[str, str] = {}
    _TRACE_CONTEXT.inject(trace_attributes)
    return CloudEvent(
        id=str(uuid4()),
        source=f"/educluster/{service}",
        type=payload.event_type,
        time=datetime.now(UTC),
        subject=subject,
        data=payload.model_dump(mode="json"),
        **trace_attributes,
    )


def trace_context(event: CloudEvent) -> Context | None:
    """The trace the event was written in, to continue; None when it carries none (events from
    before tracing) or one that is not valid W3C Trace Context (ignored, never refused)."""
    extra = event.model_extra or {}
    carrier = {k: v for k in _TRACE_ATTRIBUTES if isinstance(v := extra.get(k), str)}
    if "traceparent" not in carrier:
        return None
    context = _TRACE_CONTEXT.extract(carrier)
    return context if get_current_span(context).get_span_context().is_valid else None


def encode(event: CloudEvent) -> bytes:
    return event.model_dump_json(exclude_none=True).encode()


def kafka_headers() -> list[tuple[str, bytes]]:
    return [(CONTENT_TYPE_HEADER, CONTENT_TYPE.encode())]


def decode(value: bytes | None) -> CloudEvent:
    """Parse a structured-mode value; raises InvalidEvent naming what is wrong."""
    if not value:
        raise InvalidEvent("empty record value")
    try:
        raw = json.loads(value)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidEvent(f"value is not JSON: {error}") from error
    if not isinstance(raw, dict):
        raise InvalidEvent("value is not a JSON object")
    try:
        return CloudEvent.model_validate(raw)
    except ValidationError as error:
        fields = ", ".join(".".join(map(str, e["loc"])) or "event" for e in error.errors())
        raise InvalidEvent(f"not a CloudEvent ({fields}): {error}") from error
