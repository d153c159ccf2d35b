"""The W3C trace context in the CloudEvents envelope (the distributed-tracing extension's
``traceparent`` and ``tracestate`` attributes), and the trace id on log lines."""

import json
import logging

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import NonRecordingSpan, get_current_span, set_span_in_context
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from shared.platform.logging import configure_logging
from shared.platform.messaging.envelope import decode, encode, new_event, trace_context
from tests.unit.test_envelope import BookShelved

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
tracer = TracerProvider().get_tracer("tests")


def shelved():
    return new_event(BookShelved(book_id="b-1", shelf=3), service="registry")


def test_an_event_created_in_a_span_carries_its_trace_context_through_encode_and_decode():
    caller = TraceContextTextMapPropagator().extract(
        {"traceparent": CALLER, "tracestate": "vendor=opaque"}
    )
    with tracer.start_as_current_span("request", context=caller) as span:
        event = shelved()
    written = encode(event)  # later, outside the span: the event keeps the context it was made in
    attributes = json.loads(written)
    own = span.get_span_context()

    assert attributes["traceparent"] == f"00-{TRACE_ID}-{own.span_id:016x}-01"
    assert attributes["tracestate"] == "vendor=opaque"
    parent = get_current_span(trace_context(decode(written))).get_span_context()
    assert (parent.trace_id, parent.span_id, parent.is_remote) == (own.trace_id, own.span_id, True)
    assert parent.trace_state.get("vendor") == "opaque"


def test_without_an_active_span_an_event_has_no_trace_attributes_and_decodes_as_before():
    written = json.loads(encode(shelved()))

    assert "traceparent" not in written and "tracestate" not in written
    assert trace_context(decode(json.dumps(written).encode())) is None


def test_an_unusable_traceparent_is_ignored_not_refused():
    for value in ["t", "00-00000000000000000000000000000000-00f067aa0ba902b7-01", 5]:
        written = json.loads(encode(shelved())) | {"traceparent": value}

        assert trace_context(decode(json.dumps(written).encode())) is None


def test_log_lines_carry_the_trace_id_while_a_span_is_active(capsys):
    configure_logging(service="tests")
    remote = get_current_span(TraceContextTextMapPropagator().extract({"traceparent": CALLER}))
    with tracer.start_as_current_span("work", context=set_span_in_context(remote)) as span:
        logging.getLogger("tests").warning("inside")
    logging.getLogger("tests").warning("outside")
    inside, outside = (json.loads(x) for x in capsys.readouterr().err.strip().splitlines()[-2:])

    assert inside["trace_id"] == TRACE_ID
    assert inside["span_id"] == f"{span.get_span_context().span_id:016x}"
    assert "trace_id" not in outside and "span_id" not in outside
    assert isinstance(remote, NonRecordingSpan)
