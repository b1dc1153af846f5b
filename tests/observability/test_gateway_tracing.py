"""One user action through the real gateway is one trace, from the gateway's span to the span of
the consumer in another service that handles the event the action caused.

The action: a liaison submits a filing (`submitFiling`). The gateway sends it to filing; filing
asks identity over gRPC whether the liaison passed the exam (`identity.v1.Accounts/GetAccount`)
and records `filing.enterprise.submitted` in its outbox; filing's relay publishes it to
`filing.enterprise.v1` and identity's consumer handles it (the submission notice). The chain
checked is in `checks.py`."""

from __future__ import annotations

import random
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.e2e.filing_steps import (
    NEW_FILING_FILES,
    attach_all,
    complete_filing,
    liaison_with_exam,
)
from tests.e2e.test_slice import ask, save_until_linked

from .checks import Trace, check_continued, check_submission, gateway_operation
from .otlp import OtlpReceiver, Span, render

# The first test's setup starts the whole stack and files a liaison's complete filing (about
# 150 s on 2 busy cores): more than the project's default of 300 s per test would be risky.
pytestmark = pytest.mark.timeout(600)

SPANS_TIMEOUT = 30.0  # seconds for a request's spans to arrive (batches every 200 ms)
SETTLE = 2.0  # then this long without a new span: late exports of the request are in


@dataclass
class Liaison:
    token: str
    filing_id: str


@pytest.fixture(scope="module")
async def liaison(gateway: httpx.AsyncClient, otlp: OtlpReceiver) -> Liaison:
    """A liaison who passed the exam, with a complete filing ready to submit (the e2e suite's
    steps), once the spans of all that have been exported."""
    phone, token = await liaison_with_exam(gateway)
    await save_until_linked(gateway, token, complete_filing(phone, random.randint(10**6, 10**9)))
    mine = await ask(gateway, "{ myEnterprise { currentFiling { id } } }", token=token)
    filing_id = mine["data"]["myEnterprise"]["currentFiling"]["id"]
    await attach_all(gateway, token, filing_id, NEW_FILING_FILES)
    otlp.wait_for(lambda spans: True, timeout=SPANS_TIMEOUT, settle=SETTLE)
    return Liaison(token, filing_id)


async def post(
    gateway: httpx.AsyncClient,
    operation: str,
    query: str,
    variables: dict[str, object],
    **headers: str,
) -> dict[str, Any]:
    response = await gateway.post(
        "/graphql",
        json={"query": query, "operationName": operation, "variables": variables},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body


async def test_a_submission_is_one_trace_from_the_gateway_through_grpc_and_kafka_to_the_consumer(
    gateway: httpx.AsyncClient, otlp: OtlpReceiver, liaison: Liaison
) -> None:
    operation = f"TracedSubmit{uuid.uuid4().hex[:8]}"
    sent = time.time_ns()
    body = await post(
        gateway,
        operation,
        f"mutation {operation}($id: ID!) {{ submitFiling(id: $id) {{ status }} }}",
        {"id": liaison.filing_id},
        authorization=f"Bearer {liaison.token}",
    )
    assert body["data"] == {"submitFiling": {"status": "BRANCH_REVIEW"}}

    def complete(spans: list[Span]) -> bool:
        start = gateway_operation(spans, operation)
        return start is not None and any(
            s.trace_id == start.trace_id and s.kind == "CONSUMER" for s in spans
        )

    spans = otlp.wait_for(complete, timeout=SPANS_TIMEOUT, settle=SETTLE)
    start = gateway_operation(spans, operation)
    assert start is not None, (
        f"no gateway span for {operation} within {SPANS_TIMEOUT} s; received since the request:\n"
        + render(s for s in spans if s.start_ns >= sent)
    )
    trace = Trace(spans, sent, start.trace_id, otlp.failures)
    check_submission(trace, operation)
    assert not trace.problems, trace.report()


async def test_the_gateway_continues_the_clients_traceparent_into_every_subgraph(
    gateway: httpx.AsyncClient, otlp: OtlpReceiver, liaison: Liaison
) -> None:
    """`me { enterprise }` asks identity, then filing for the enterprise entity."""
    client_trace, client_span = secrets.token_hex(16), secrets.token_hex(8)
    operation = f"TracedMe{uuid.uuid4().hex[:8]}"
    sent = time.time_ns()
    body = await post(
        gateway,
        operation,
        f"query {operation} {{ me {{ id enterprise {{ name }} }} }}",
        {},
        authorization=f"Bearer {liaison.token}",
        traceparent=f"00-{client_trace}-{client_span}-01",
    )
    assert body["data"]["me"]["enterprise"] is not None, body

    def complete(spans: list[Span]) -> bool:
        servers = {(s.service, s.kind) for s in spans if s.trace_id == client_trace}
        return {("gateway", "SERVER"), ("identity", "SERVER"), ("filing", "SERVER")} <= servers

    spans = otlp.wait_for(complete, timeout=SPANS_TIMEOUT, settle=SETTLE)
    trace = Trace(spans, sent, client_trace, otlp.failures)
    check_continued(trace, client_span, ("identity", "filing"))
    assert not trace.problems, trace.report()


async def test_probes_are_not_traced(
    gateway: httpx.AsyncClient, otlp: OtlpReceiver, liaison: Liaison
) -> None:
    """An orchestrator polls the probes every few seconds: a trace each would bury the real ones.
    The stack's start polled `/readiness` many times; the request here makes sure an export
    happened after those polls (the gateway's exporter batches)."""
    for path in ("/readiness", "/healthcheck"):
        assert (await gateway.get(path)).status_code == 200
    operation = f"AfterProbes{uuid.uuid4().hex[:8]}"
    await post(
        gateway,
        operation,
        f"query {operation} {{ me {{ id }} }}",
        {},
        authorization=f"Bearer {liaison.token}",
    )

    def exported(spans: list[Span]) -> bool:
        return any(operation in s.name for s in spans if s.service == "gateway")

    spans = otlp.wait_for(exported, timeout=SPANS_TIMEOUT, settle=SETTLE)

    def is_probe(span: Span) -> bool:
        described = [span.name, *map(str, span.attributes.values())]
        return any(probe in text for text in described for probe in ("/readiness", "/healthcheck"))

    probes = [span.describe() for span in spans if span.service == "gateway" and is_probe(span)]
    assert probes == [], probes
