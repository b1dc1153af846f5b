"""OpenTelemetry traces across HTTP, GraphQL, gRPC and Kafka, on top of the W3C `traceparent`
the platform already carries (`servicekit.logs.traceparent_var`).

Every span this module starts also sets `traceparent_var` to the span's own context, so code that
forwards the variable (gRPC metadata, CloudEvents written to the outbox, logs) forwards the right
parent without knowing about OpenTelemetry. Spans are exported by OTLP/HTTP only when
`OTEL_EXPORTER_OTLP_ENDPOINT` is set; without a collector they still exist (ids in logs and
headers) and are dropped at the end, so nothing fails or waits when no collector runs.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator, Mapping
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, OperationType
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from prometheus_client import Counter, Histogram
from pydantic_settings import BaseSettings, SettingsConfigDict
from strawberry.extensions import SchemaExtension

from servicekit.errors import AppError
from servicekit.logs import traceparent_var

log = logging.getLogger(__name__)

PROPAGATOR = TraceContextTextMapPropagator()  # W3C trace context, what the gateway sends
_TRACER_NAME = "servicekit"


class TracingSettings(BaseSettings):
    """The standard OpenTelemetry variables (no service prefix: one collector per platform)."""

    model_config = SettingsConfigDict(env_prefix="OTEL_", extra="ignore")

    exporter_otlp_endpoint: str | None = None
    service_name: str | None = None


def configure_tracing(
    service: str, *, processor: SpanProcessor | None = None, settings: TracingSettings | None = None
) -> TracerProvider:
    """Installs the process's tracer provider once; later calls (several services or tests in one
    process) reuse it and only add `processor`. The OTLP exporter is added when an endpoint is
    configured; it batches in a background thread and drops spans it cannot send."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        settings = settings or TracingSettings()
        name = settings.service_name or service
        provider = TracerProvider(resource=Resource.create({"service.name": name}))
        if settings.exporter_otlp_endpoint:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            # The exporter reads OTEL_EXPORTER_OTLP_* itself and appends /v1/traces.
            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
            log.info("exporting traces to %s", settings.exporter_otlp_endpoint)
        trace.set_tracer_provider(provider)
        provider = trace.get_tracer_provider()
        assert isinstance(provider, TracerProvider)
    if processor is not None:
        provider.add_span_processor(processor)
    return provider


def tracer() -> trace.Tracer:
    return trace.get_tracer(_TRACER_NAME)


def context_of(traceparent: str | None) -> otel_context.Context | None:
    """The remote parent described by a W3C `traceparent` value; None when absent or invalid."""
    if not traceparent:
        return None
    extracted = PROPAGATOR.extract({"traceparent": traceparent})
    if not trace.get_current_span(extracted).get_span_context().is_valid:
        return None
    return extracted


def traceparent_of(span: Span) -> str | None:
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, trace.set_span_in_context(span))
    return carrier.get("traceparent")


def current_traceparent() -> str | None:
    """What to forward downstream: the current span's context, else whatever came in."""
    span = trace.get_current_span()
    if span.get_span_context().is_valid:
        return traceparent_of(span)
    return traceparent_var.get()


@contextlib.contextmanager
def start_span(
    name: str,
    kind: SpanKind,
    *,
    parent: str | None = None,
    attributes: Mapping[str, Any] | None = None,
) -> Iterator[Span]:
    """A current span, child of `parent` (a remote `traceparent`) when given, else of the current
    context; `traceparent_var` follows it for the span's duration. Exceptions mark it as failed."""
    remote = context_of(parent)
    with tracer().start_as_current_span(
        name, context=remote, kind=kind, attributes=dict(attributes or {})
    ) as span:
        token = traceparent_var.set(traceparent_of(span))
        try:
            yield span
        finally:
            traceparent_var.reset(token)


def mark_error(span: Span, description: str) -> None:
    span.set_status(Status(StatusCode.ERROR, description))


# --- GraphQL operations ---------------------------------------------------------------------

GRAPHQL_OPERATIONS = Counter(
    "graphql_operations_total", "GraphQL operations", ["operation", "type", "outcome"]
)
GRAPHQL_ERRORS = Counter("graphql_errors_total", "GraphQL errors by code", ["operation", "code"])
GRAPHQL_LATENCY = Histogram("graphql_operation_seconds", "GraphQL operation latency", ["operation"])

_UNKNOWN_OPERATION = "unknown"  # unparsable or invalid documents: never a client-chosen label


def error_code(error: GraphQLError) -> str:
    """The `extensions.code` the client will see (AppErrorExtension maps them the same way)."""
    original = error.original_error
    if isinstance(original, AppError):
        return original.code.value
    if error.path is None and isinstance(original, GraphQLError):
        return "VALIDATION_FAILED"  # a variable its type refuses (as graphql.is_invalid_variable)
    return "GRAPHQL_VALIDATION" if original is None else "INTERNAL"


class TelemetryExtension(SchemaExtension):
    """One span per GraphQL operation and the operation metrics.

    The metric label is the operation's first root field when the schema has it (a bounded set);
    the client-chosen operation name goes on the span only, cut to 100 characters."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        self._label, self._type = _UNKNOWN_OPERATION, "unknown"
        with start_span("graphql", SpanKind.INTERNAL) as span:
            self._span = span
            yield
            errors = getattr(self.execution_context.result, "errors", None) or []
            for error in errors:
                GRAPHQL_ERRORS.labels(self._label, error_code(error)).inc()
            if errors:
                span.set_attribute("graphql.error.codes", sorted({error_code(e) for e in errors}))
                mark_error(span, "graphql errors")
        GRAPHQL_OPERATIONS.labels(self._label, self._type, "error" if errors else "ok").inc()
        GRAPHQL_LATENCY.labels(self._label).observe(time.perf_counter() - started)

    def on_execute(self) -> Iterator[None]:
        """Runs after parsing and validation passed: the root field is one the schema has."""
        self._label, self._type = self._root_field()
        name = self.execution_context.operation_name or ""
        self._span.update_name(f"graphql.{self._type} {self._label}")
        self._span.set_attribute("graphql.operation.type", self._type)
        if name:
            self._span.set_attribute("graphql.operation.name", name[:100])
        yield

    def _root_field(self) -> tuple[str, str]:
        document = self.execution_context.graphql_document
        if document is None:
            return _UNKNOWN_OPERATION, "unknown"
        wanted = self.execution_context.operation_name
        for definition in document.definitions:
            if not isinstance(definition, OperationDefinitionNode):
                continue
            if wanted and (definition.name is None or definition.name.value != wanted):
                continue
            kind = definition.operation.value
            for selection in definition.selection_set.selections:
                field = getattr(selection, "name", None)
                if field is not None and self._schema_has(kind, field.value):
                    return field.value, kind
            return _UNKNOWN_OPERATION, kind
        return _UNKNOWN_OPERATION, "unknown"

    def _schema_has(self, kind: str, field: str) -> bool:
        schema = self.execution_context.schema._schema  # the graphql-core schema
        root = schema.get_root_type(OperationType(kind))
        return root is not None and field in root.fields


def instrument_schema(schema: Any) -> None:
    """Adds the telemetry extension to a Strawberry schema (once). It runs inside the error
    mapping, so it sees the raw errors and counts them by the code the client receives."""
    if TelemetryExtension not in schema.extensions:
        schema.extensions = (*schema.extensions, TelemetryExtension)  # read per request


def instrument_service(service: str, schema: Any) -> None:
    """What a service needs at start: the tracer provider and GraphQL telemetry."""
    configure_tracing(service)
    instrument_schema(schema)
