"""An OTLP/HTTP trace receiver in the test process, and the spans it received.

The Python services export protobuf (`opentelemetry-exporter-otlp-proto-http`); the gateway's
`@opentelemetry/exporter-trace-otlp-http` exports OTLP/JSON, whose trace and span ids are hex
strings (not the base64 of protobuf's JSON mapping). Both arrive at `POST /v1/traces`, the path
both exporters append to `OTEL_EXPORTER_OTLP_ENDPOINT`."""

from __future__ import annotations

import base64
import gzip
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span as ProtoSpan

from devstack.infra import free_port


@dataclass(frozen=True)
class Span:
    trace_id: str  # 32 hex digits
    span_id: str  # 16 hex digits
    parent_id: str | None
    name: str
    kind: str  # SERVER, CLIENT, PRODUCER, CONSUMER, INTERNAL
    service: str  # the exporter's resource `service.name`
    attributes: dict[str, Any] = field(hash=False, compare=False)
    start_ns: int = 0
    received: int = 0  # order of arrival at the receiver (batch number)

    def describe(self) -> str:
        return f"{self.name} [{self.kind}] {self.service} {self.span_id}"


class OtlpReceiver:
    """Accepts OTLP/HTTP trace exports (protobuf or JSON, gzip or not) on a free loopback port."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._spans: list[Span] = []
        self._batches = 0
        self.failures: list[str] = []  # exports it could not decode (a broken exporter)
        self.content_types: dict[str, set[str]] = {}  # service.name -> content types seen
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self._body()
                if self.headers.get("content-encoding", "").lower() == "gzip":
                    body = gzip.decompress(body)
                content_type = self.headers.get("content-type", "").split(";")[0].strip()
                if self.path.rstrip("/") != "/v1/traces":
                    receiver._fail(f"POST {self.path} (not /v1/traces)")
                    self.send_response(404)
                    self.end_headers()
                    return
                try:
                    receiver._accept(body, content_type)
                except Exception as exc:  # reported by the test, answered like a collector
                    receiver._fail(f"{content_type}: {type(exc).__name__}: {exc}")
                    self.send_response(400)
                    self.end_headers()
                    return
                reply = ExportTraceServiceResponse()
                out = (
                    json.dumps(json_format.MessageToDict(reply)).encode()
                    if content_type == "application/json"
                    else reply.SerializeToString()
                )
                self.send_response(200)
                self.send_header("content-type", content_type or "application/x-protobuf")
                self.send_header("content-length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def _body(self) -> bytes:
                """Node's exporter streams its body: chunked, without a content-length."""
                if "chunked" not in self.headers.get("transfer-encoding", "").lower():
                    return self.rfile.read(int(self.headers.get("content-length") or 0))
                chunks = []
                while size := int(self.rfile.readline().split(b";")[0].strip(), 16):
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()  # the CRLF after each chunk
                while self.rfile.readline().strip():  # trailers up to the empty line
                    pass
                return b"".join(chunks)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def spans(self) -> list[Span]:
        with self._lock:
            return list(self._spans)

    def wait_for(
        self, found: Callable[[list[Span]], bool], timeout: float, settle: float = 0.0
    ) -> list[Span]:
        """Polls until `found(spans)` holds (or `timeout` passes), then, with `settle`, until no
        new span has arrived for that long (late exports of the same request); returns them."""
        deadline = time.monotonic() + timeout
        spans = self.spans()
        while not found(spans) and time.monotonic() < deadline:
            time.sleep(0.1)
            spans = self.spans()
        if settle and found(spans):
            quiet_since, count = time.monotonic(), len(spans)
            while time.monotonic() - quiet_since < settle and time.monotonic() < deadline:
                time.sleep(0.1)
                if len(now := self.spans()) != count:
                    quiet_since, count = time.monotonic(), len(now)
            spans = self.spans()
        return spans

    def _fail(self, what: str) -> None:
        with self._lock:
            self.failures.append(what)

    def _accept(self, body: bytes, content_type: str) -> None:
        request = ExportTraceServiceRequest()
        if content_type == "application/json":
            json_format.ParseDict(_hex_ids_as_base64(json.loads(body)), request)
        elif content_type == "application/x-protobuf":
            request.ParseFromString(body)
        else:
            raise ValueError(f"unexpected content type {content_type!r}")
        with self._lock:
            self._batches += 1
            for resource_spans in request.resource_spans:
                resource = _attributes(resource_spans.resource.attributes)
                service = str(resource.get("service.name", "?"))
                self.content_types.setdefault(service, set()).add(content_type)
                for scope_spans in resource_spans.scope_spans:
                    self._spans.extend(_span(s, service, self._batches) for s in scope_spans.spans)


def _span(span: ProtoSpan, service: str, batch: int) -> Span:
    return Span(
        trace_id=span.trace_id.hex(),
        span_id=span.span_id.hex(),
        parent_id=span.parent_span_id.hex() or None,
        name=span.name,
        kind=ProtoSpan.SpanKind.Name(span.kind).removeprefix("SPAN_KIND_"),
        service=service,
        attributes=_attributes(span.attributes),
        start_ns=span.start_time_unix_nano,
        received=batch,
    )


def _attributes(pairs: Iterable[Any]) -> dict[str, Any]:
    return {pair.key: _value(pair.value) for pair in pairs}


def _value(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    if kind == "array_value":
        return [_value(v) for v in value.array_value.values]
    if kind == "kvlist_value":
        return _attributes(value.kvlist_value.values)
    return getattr(value, kind) if kind else None


_ID_FIELDS = ("traceId", "spanId", "parentSpanId")


def _hex_ids_as_base64(body: dict[str, Any]) -> dict[str, Any]:
    """OTLP/JSON writes ids as hex; protobuf's JSON mapping reads bytes as base64."""
    for resource_spans in body.get("resourceSpans", []):
        for scope_spans in resource_spans.get("scopeSpans", []):
            for span in scope_spans.get("spans", []):
                for holder in (span, *span.get("links", [])):
                    for key in _ID_FIELDS:
                        if holder.get(key):
                            holder[key] = base64.b64encode(bytes.fromhex(holder[key])).decode()
    return body


def render(spans: Iterable[Span], highlight: str | None = None) -> str:
    """The spans as trees, one per trace (the highlighted trace first); a span whose parent was
    not received is shown as a root with `parent … MISSING`."""
    by_trace: dict[str, list[Span]] = {}
    for span in sorted(spans, key=lambda s: s.start_ns):
        by_trace.setdefault(span.trace_id, []).append(span)
    order = sorted(by_trace, key=lambda t: (t != highlight, by_trace[t][0].start_ns))
    lines: list[str] = []
    for trace_id in order:
        members = by_trace[trace_id]
        mark = "  <== the request" if trace_id == highlight else ""
        lines.append(f"trace {trace_id} ({len(members)} spans){mark}")
        lines.extend(_tree(members))
    return "\n".join(lines)


def _tree(members: list[Span]) -> list[str]:
    ids = {s.span_id for s in members}
    children: dict[str | None, list[Span]] = {}
    for span in members:
        children.setdefault(span.parent_id if span.parent_id in ids else None, []).append(span)
    lines: list[str] = []
    stack = [(root, 1) for root in reversed(children.get(None, []))]
    while stack:
        span, depth = stack.pop()
        missing = f"  (parent {span.parent_id} MISSING)" if span.parent_id not in ids else ""
        lines.append(f"{'  ' * depth}{span.describe()}{missing if span.parent_id else ''}")
        stack.extend((child, depth + 1) for child in reversed(children.get(span.span_id, [])))
    return lines
