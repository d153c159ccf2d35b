"""One trace from a client's request through the services and their events (issue 15).

In one process: a request to the registry with a ``traceparent`` continues that trace; the
event it commits carries it on the topic, and the assessment service's span for applying the
event is a child of the registry's (the SDK's in-memory exporter is the sink). Over real HTTP:
the gateway and the registry as their own processes, tracing turned on by
OTEL_EXPORTER_OTLP_ENDPOINT alone, export to a small OTLP/HTTP receiver; the registry's span
is a child of the gateway's, and the outbox row holds the registry's trace context.
"""

import gzip
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.trace.v1.trace_pb2 import Span as OtlpSpan
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from shared.platform import tracing
from shared.platform.messaging.envelope import decode
from shared.platform.names import REGISTRY_TOPIC
from tests.integration.assessment.conftest import running_assessment
from tests.integration.gateway import conftest as over_http
from tests.integration.ledger import kafka_settings
from tests.integration.registry.conftest import MINISTRY, create_organization, running_registry
from tests.integration.topic_reader import read_topic
from tests.support import eventually

TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
CALLER_SPAN = "b7ad6b7169203331"
TRACEPARENT = f"00-{TRACE_ID}-{CALLER_SPAN}-01"


@pytest.fixture
def database_kind():
    """SQLite only: the trace context rides in the event's JSON, the same on either database."""
    return "sqlite"


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """What the services trace from now on, in memory."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.install(provider)
    try:
        yield exporter
    finally:
        tracing.uninstall()
        provider.shutdown()


@pytest.fixture
async def traced_platform(spans, make_database_url, broker):
    async with running_registry(
        await make_database_url("registry"), broker.bootstrap_servers
    ) as registry:
        async with running_assessment(
            await make_database_url("assessment"), broker.bootstrap_servers
        ) as assessment:
            yield registry, assessment


async def test_a_request_s_trace_goes_on_through_its_event_to_the_consuming_service(
    traced_platform, spans, broker
):
    registry, _assessment = traced_platform
    organization = await create_organization(registry, auth=MINISTRY | {"traceparent": TRACEPARENT})

    (request,) = [
        s
        for s in spans.get_finished_spans()
        if s.kind == SpanKind.SERVER and f"{s.context.trace_id:032x}" == TRACE_ID
    ]
    assert f"{request.parent.span_id:016x}" == CALLER_SPAN
    assert request.attributes["http.route"] == "/api/v1/organizations"

    async def registered() -> list:
        records = await read_topic(kafka_settings(broker.bootstrap_servers), REGISTRY_TOPIC)
        events = [decode(r.value) for r in records]
        return [e for e in events if e.data.get("organization_id") == organization["id"]]

    (event,) = await eventually(registered, what="the organization's event on the topic")
    assert event.model_extra["traceparent"] == f"00-{TRACE_ID}-{request.context.span_id:016x}-01"

    async def consumed() -> list:
        return [
            s
            for s in spans.get_finished_spans()
            if s.kind == SpanKind.CONSUMER and s.attributes["cloudevents.event_id"] == event.id
        ]

    (consumer,) = await eventually(consumed, what="the assessment service's span for the event")
    assert f"{consumer.context.trace_id:032x}" == TRACE_ID
    assert consumer.parent.span_id == request.context.span_id
    assert consumer.name == f"process {REGISTRY_TOPIC}"
    assert consumer.attributes["messaging.consumer.group.name"].startswith("educluster.assessment.")


class _Collector(BaseHTTPRequestHandler):
    """OTLP/HTTP (protobuf): keeps every exported span with its service's name."""

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        request = ExportTraceServiceRequest.FromString(body)
        for resource_spans in request.resource_spans:
            attributes = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    self.server.spans.append((attributes["service.name"], span))  # type: ignore[attr-defined]
        answer = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def collector() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    server.spans = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def wait_for(probe, *, what: str, timeout_s: float = 30.0):
    deadline = time.monotonic() + timeout_s
    while not (found := probe()):
        assert time.monotonic() < deadline, f"{what} not seen in {timeout_s:.0f} s"
        time.sleep(0.1)
    return found


@pytest.mark.slow
def test_over_http_the_service_s_span_is_a_child_of_the_gateway_s_and_a_lost_collector_costs_nothing(
    tmp_path, monkeypatch
):
    with collector() as sink:
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", f"http://127.0.0.1:{sink.server_port}")
        monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "100")  # ms: export soon
        monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)
        with (
            over_http.running_registry(tmp_path) as registry,
            over_http.running_gateway(tmp_path, registry_url=registry.url) as gateway,
            httpx.Client(base_url=gateway.url, headers=over_http.MINISTRY, timeout=10) as client,
        ):
            created = client.post(
                "/api/v1/organizations",
                headers={"traceparent": TRACEPARENT},
                json={
                    "kind": "education",
                    "subtype": "university",
                    "name": "Traced university",
                    "region_code": "UZ-SA",
                    "tax_id": over_http.fresh_tax_id(),
                },
            )
            assert created.status_code == 201, created.text

            def server_span(service: str) -> OtlpSpan | None:
                return next(
                    (
                        span
                        for name, span in list(sink.spans)
                        if name == service
                        and span.kind == OtlpSpan.SPAN_KIND_SERVER
                        and span.trace_id.hex() == TRACE_ID
                    ),
                    None,
                )

            at_gateway = wait_for(lambda: server_span("gateway"), what="the gateway's span")
            at_registry = wait_for(lambda: server_span("registry"), what="the registry's span")
            assert at_gateway.parent_span_id.hex() == CALLER_SPAN
            assert at_registry.parent_span_id == at_gateway.span_id

            with sqlite3.connect(tmp_path / "registry.db") as db:
                (value,) = db.execute(
                    "SELECT value FROM outbox WHERE event_type LIKE '%organization.registered%'"
                ).fetchone()
            assert json.loads(value)["traceparent"] == (
                f"00-{TRACE_ID}-{at_registry.span_id.hex()}-01"
            )

            sink.shutdown()
            sink.server_close()
            started = time.monotonic()
            for _ in range(3):
                answer = client.get("/api/v1/regions/UZ-SA", headers={"traceparent": TRACEPARENT})
                assert answer.status_code == 200, answer.text
            assert time.monotonic() - started < 3.0  # no request waits for the collector
