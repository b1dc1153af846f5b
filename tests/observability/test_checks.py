"""The checks and the receiver of this suite fail when they should: a gateway that does not
propagate, a consumer that loses the header, a client span forwarded raw (no stack needed)."""

from __future__ import annotations

import base64
import dataclasses
import http.client
import json
from collections.abc import Iterator

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.trace.v1.trace_pb2 import Span as ProtoSpan

from .checks import SUBMIT_METHOD, Trace, check_continued, check_submission
from .otlp import OtlpReceiver, Span

T, SENT = "a" * 32, 1_000


def span(
    service: str,
    kind: str,
    name: str,
    span_id: str,
    parent: str | None,
    attributes: dict[str, object] | None = None,
) -> Span:
    return Span(T, span_id, parent, name, kind, service, attributes or {}, start_ns=SENT + 1)


OPERATION = "TracedSubmit1"
NAMED: dict[str, object] = {"hive.graphql": True, "graphql.operation.name": OPERATION}
TO_FILING: dict[str, object] = {"hive.gateway.upstream.subgraph.name": "filing"}
SUBMISSION = [
    span("gateway", "SERVER", "POST /graphql", "01", None),
    span("gateway", "INTERNAL", f"graphql.operation {OPERATION}", "02", "01", NAMED),
    span("gateway", "INTERNAL", "graphql.execute", "03", "02"),
    span("gateway", "CLIENT", "subgraph.execute (filing)", "04", "03", TO_FILING),
    span("gateway", "CLIENT", "http.fetch", "05", "04"),
    span("filing", "SERVER", "POST /graphql", "06", "05"),
    span("filing", "INTERNAL", "graphql.mutation submitFiling", "07", "06"),
    span("filing", "CLIENT", SUBMIT_METHOD, "08", "07"),
    span("identity", "SERVER", SUBMIT_METHOD, "09", "08"),
    span("filing", "PRODUCER", "publish filing.enterprise.v1", "10", "07"),
    span("identity", "CONSUMER", "consume filing.enterprise.submitted", "11", "10"),
]


def problems(spans: list[Span]) -> list[str]:
    trace = Trace(spans, SENT, T, [])
    check_submission(trace, OPERATION)
    return trace.problems


def moved(spans: list[Span], first: str, parent: str | None) -> list[Span]:
    """The spans from `first` on in a new trace, `first` under `parent` (a lost context)."""
    at = [s.span_id for s in spans].index(first)
    tail = [dataclasses.replace(s, trace_id="b" * 32) for s in spans[at:]]
    return [*spans[:at], dataclasses.replace(tail[0], parent_id=parent), *tail[1:]]


def test_the_whole_chain_passes() -> None:
    assert problems(SUBMISSION) == []


def test_a_gateway_that_does_not_propagate_fails() -> None:
    found = problems(moved(SUBMISSION, "06", None))
    assert any(p.startswith("filing's HTTP request: 0 spans") for p in found)
    assert any("another trace" in p for p in found)


def test_a_consumer_that_loses_the_header_fails() -> None:
    found = problems(moved(SUBMISSION, "11", None))
    assert any(p.startswith("identity's consumer: 0 spans") for p in found)
    assert any("another trace" in p for p in found)


def test_a_missing_parent_fails() -> None:
    broken = [
        dataclasses.replace(s, parent_id="ff") if s.span_id == "03" else s for s in SUBMISSION
    ]
    assert any(p.startswith("roots (parent not in the trace)") for p in problems(broken))


def test_a_client_span_forwarded_raw_fails() -> None:
    client = "c" * 16
    spans = [
        span("gateway", "SERVER", "POST /graphql", "01", client),
        span("gateway", "CLIENT", "http.fetch", "02", "01"),
        span(
            "identity", "SERVER", "POST /graphql", "03", client
        ),  # the client's, not the gateway's
    ]
    trace = Trace(spans, SENT, T, [])
    check_continued(trace, client, ("identity",))
    assert any("not a gateway http.fetch span" in p for p in trace.problems)


@pytest.fixture
def receiver() -> Iterator[OtlpReceiver]:
    value = OtlpReceiver()
    yield value
    value.close()


def post(receiver: OtlpReceiver, body: bytes, content_type: str, *, chunked: bool) -> int:
    host, port = receiver.endpoint.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request(
        "POST",
        "/v1/traces",
        body=iter([body[:10], body[10:]]) if chunked else body,
        headers={"content-type": content_type},
        encode_chunked=chunked,
    )
    status = connection.getresponse().status
    connection.close()
    return status


def test_the_receiver_reads_protobuf_and_chunked_json_with_hex_ids(receiver: OtlpReceiver) -> None:
    ids = {"traceId": T, "spanId": "0102030405060708", "parentSpanId": "1112131415161718"}
    resource = {"attributes": [{"key": "service.name", "value": {"stringValue": "gateway"}}]}
    as_json = {
        "resourceSpans": [
            {"resource": resource, "scopeSpans": [{"spans": [{**ids, "name": "j", "kind": 2}]}]}
        ]
    }
    assert post(receiver, json.dumps(as_json).encode(), "application/json", chunked=True) == 200
    as_proto = ExportTraceServiceRequest()
    proto_span = as_proto.resource_spans.add().scope_spans.add().spans.add()
    proto_span.trace_id, proto_span.span_id = bytes.fromhex(T), base64.b16decode("0A" * 8)
    proto_span.name, proto_span.kind = "p", ProtoSpan.SPAN_KIND_CONSUMER
    assert (
        post(receiver, as_proto.SerializeToString(), "application/x-protobuf", chunked=False) == 200
    )
    assert post(receiver, b"{}", "text/plain", chunked=False) == 400
    got = {s.name: s for s in receiver.spans()}
    assert (got["j"].trace_id, got["j"].span_id, got["j"].parent_id) == (
        T,
        ids["spanId"],
        ids["parentSpanId"],
    )
    assert (got["j"].kind, got["j"].service) == ("SERVER", "gateway")
    assert (got["p"].span_id, got["p"].parent_id, got["p"].kind) == ("0a" * 8, None, "CONSUMER")
    assert receiver.failures == ["text/plain: ValueError: unexpected content type 'text/plain'"]
