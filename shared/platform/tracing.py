"""Distributed tracing with OpenTelemetry: off unless an OTLP collector is configured.

The SDK's standard environment variables turn it on and tune it, and the SDK reads them
itself: ``OTEL_EXPORTER_OTLP_ENDPOINT`` (OTLP over HTTP, e.g. ``http://collector:4318``; or
``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``, the whole URL), ``OTEL_SERVICE_NAME`` (default: the
service's name), ``OTEL_TRACES_SAMPLER`` / ``OTEL_TRACES_SAMPLER_ARG`` (default: follow the
caller's decision, sample every new trace), ``OTEL_SDK_DISABLED``. Spans leave in batches from
a background thread (BatchSpanProcessor): a slow or unreachable collector costs spans, never a
request's time or its answer.

Traced: each request a service serves (a SERVER span continuing the caller's ``traceparent``),
the gateway's call to a service (it passes its own span on as ``traceparent``), each event a
consumer applies (a CONSUMER span whose parent is the span the event was created in: each
event carries it, envelope.new_event, and the outbox stores it with the event). One trace thus
goes client → gateway → service → event → each consuming service, and on to the events that
consumer writes. The runtime (create_service_app) starts tracing and instruments the app and
the consumers.
"""

from collections.abc import Sequence

from opentelemetry import propagate, trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from pydantic_settings import BaseSettings, SettingsConfigDict

# Not traced: probes and scrapes every few seconds would bury the traces worth reading.
UNTRACED_PATHS = r"/(healthz|readyz|metrics)$"


class TracingSettings(BaseSettings):
    """Whether to trace, from the SDK's own variables (which configure everything else)."""

    model_config = SettingsConfigDict(env_prefix="OTEL_", extra="ignore")

    sdk_disabled: bool = False
    exporter_otlp_endpoint: str = ""
    exporter_otlp_traces_endpoint: str = ""

    @property
    def enabled(self) -> bool:
        endpoint = self.exporter_otlp_traces_endpoint or self.exporter_otlp_endpoint
        return bool(endpoint) and not self.sdk_disabled


class _Tracing:
    provider: TracerProvider | None = None


_tracing = _Tracing()


def start_tracing(service: str, settings: TracingSettings | None = None) -> bool:
    """Trace this process's work from now on if configured; True when tracing. Once per
    process: the first service's provider stays (a process runs one service)."""
    settings = settings if settings is not None else TracingSettings()
    if _tracing.provider is None and settings.enabled:
        resource = Resource.create()  # OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES
        if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
            resource = resource.merge(Resource({SERVICE_NAME: service}))
        provider = TracerProvider(resource=resource)  # the sampler from OTEL_TRACES_SAMPLER
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        trace.set_tracer_provider(provider)
        install(provider)
    return _tracing.provider is not None


def install(provider: TracerProvider) -> None:
    """Trace with ``provider`` (start_tracing installs the exporting one; tests, their own)."""
    _tracing.provider = provider


def uninstall() -> None:
    """Stop tracing what starts from now on (apps already instrumented keep their spans)."""
    _tracing.provider = None


def tracer_provider() -> TracerProvider | None:
    """The provider to trace with (the runtime instruments the app and the consumers with
    it); None while tracing is off."""
    return _tracing.provider


def propagated_headers(headers: Sequence[tuple[str, str]]) -> Sequence[tuple[str, str]]:
    """``headers`` for a call to another service, with the caller's trace headers replaced by
    the active span's; unchanged while tracing is off (a client's ``traceparent`` goes on)."""
    if _tracing.provider is None:
        return headers
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    if not carrier:
        return headers
    replaced = {name.lower() for name in carrier}
    return [(n, v) for n, v in headers if n.lower() not in replaced] + list(carrier.items())
