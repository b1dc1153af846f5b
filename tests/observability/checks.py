"""What "one trace" means for the requests of `test_gateway_tracing.py`, as checks that collect
every problem, so that one failure lists all of them above the trees of the spans involved."""

from __future__ import annotations

from collections.abc import Callable

from .otlp import Span, render

SUBMIT_METHOD = "identity.v1.Accounts/GetAccount"


def is_(service: str, kind: str, name: str) -> Callable[[Span], bool]:
    return lambda s: (s.service, s.kind, s.name) == (service, kind, name)


def gateway_operation(spans: list[Span], operation: str) -> Span | None:
    """The gateway's `graphql.operation <name>` span of the named operation."""
    return next(
        (
            s
            for s in spans
            if s.service == "gateway"
            and s.attributes.get("hive.graphql") is True  # the operation's own span
            and s.attributes.get("graphql.operation.name") == operation
        ),
        None,
    )


class Trace:
    """A request's trace among the received spans.

    A span of the request outside its trace ("stray") is one that started after the request was
    sent, in another trace that either began then (a lost parent starts a new trace) or is older
    but holds work of the same name as the request's (a stale context continued). Late spans of
    traces begun before the request (a relay publishing the setup's events a little late) are
    neither."""

    def __init__(
        self, received: list[Span], sent_ns: int, trace_id: str, failures: list[str]
    ) -> None:
        self.failures = failures  # exports the receiver could not read
        self.trace_id = trace_id
        self.spans = [s for s in received if s.trace_id == trace_id]
        older = {s.trace_id for s in received if s.start_ns < sent_ns}
        work = {(s.service, s.name) for s in self.spans}
        self.strays = [
            s
            for s in received
            if s.trace_id != trace_id
            and s.start_ns >= sent_ns
            and (s.trace_id not in older or (s.service, s.name) in work)
        ]
        self.problems: list[str] = []

    def one(self, what: str, match: Callable[[Span], bool]) -> Span | None:
        found = [s for s in self.spans if match(s)]
        if len(found) != 1:
            listed = "".join(f"\n    {s.describe()}" for s in found)
            self.problems.append(f"{what}: {len(found)} spans in the trace, expected 1{listed}")
        return found[0] if found else None

    def child_of(self, child: Span | None, parent: Span | None) -> None:
        if child is not None and parent is not None and child.parent_id != parent.span_id:
            self.problems.append(
                f"{child.describe()}: parent {child.parent_id}, expected {parent.describe()}"
            )

    def linked(self, root_parent: str | None) -> None:
        """One root (its parent `root_parent`: None, or the client's span); every other span's
        parent is a span of the trace; no span of the request in another trace."""
        ids = {s.span_id for s in self.spans}
        roots = [s for s in self.spans if s.parent_id not in ids]
        if len(roots) != 1 or roots[0].parent_id != root_parent:
            self.problems.append(
                f"roots (parent not in the trace): {[(s.describe(), s.parent_id) for s in roots]}"
                f", expected one, with parent {root_parent}"
            )
        if self.strays:
            self.problems.append(
                f"spans of the request in another trace: {[s.describe() for s in self.strays]}"
            )
        if self.failures:
            self.problems.append(f"exports the receiver could not read: {self.failures}")

    def report(self) -> str:
        return "\n".join(
            [*self.problems, "", render([*self.spans, *self.strays], highlight=self.trace_id)]
        )


def check_submission(trace: Trace, operation: str) -> None:
    """gateway request > operation > … > subgraph.execute (filing) > http.fetch > filing's
    POST /graphql > graphql.mutation submitFiling > {gRPC client > identity's gRPC server,
    publish filing.enterprise.v1 > identity's consume filing.enterprise.submitted}."""
    request = trace.one("gateway request", is_("gateway", "SERVER", "POST /graphql"))
    start = trace.one(
        f"gateway operation {operation}", lambda s: gateway_operation([s], operation) is s
    )
    trace.child_of(start, request)
    call = trace.one(
        "gateway's call to filing",
        lambda s: (
            is_("gateway", "CLIENT", "subgraph.execute (filing)")(s)
            and s.attributes.get("hive.gateway.upstream.subgraph.name") == "filing"
        ),
    )
    fetch = trace.one("gateway's HTTP fetch", is_("gateway", "CLIENT", "http.fetch"))
    trace.child_of(fetch, call)
    # filing's subgraph: its HTTP server span continues the gateway's fetch span
    served = trace.one("filing's HTTP request", is_("filing", "SERVER", "POST /graphql"))
    trace.child_of(served, fetch)
    mutation = trace.one(
        "filing's operation", is_("filing", "INTERNAL", "graphql.mutation submitFiling")
    )
    trace.child_of(mutation, served)
    # gRPC filing -> identity
    grpc_client = trace.one("filing's gRPC call", is_("filing", "CLIENT", SUBMIT_METHOD))
    grpc_server = trace.one("identity's gRPC server", is_("identity", "SERVER", SUBMIT_METHOD))
    trace.child_of(grpc_client, mutation)
    trace.child_of(grpc_server, grpc_client)
    # outbox -> relay -> Kafka -> identity's consumer
    publish = trace.one("filing's relay", is_("filing", "PRODUCER", "publish filing.enterprise.v1"))
    consume = trace.one(
        "identity's consumer", is_("identity", "CONSUMER", "consume filing.enterprise.submitted")
    )
    trace.child_of(publish, mutation)  # the event was recorded inside the operation
    trace.child_of(consume, publish)  # continued from the Kafka header
    trace.linked(root_parent=None)  # the client sent no traceparent: the gateway starts it


def check_continued(trace: Trace, client_span: str, services: tuple[str, ...]) -> None:
    """The gateway's request span continues the client's span, and each subgraph's request span
    continues one of the gateway's `http.fetch` spans (not the client's span, forwarded raw)."""
    request = trace.one("gateway request", is_("gateway", "SERVER", "POST /graphql"))
    if request is not None and request.parent_id != client_span:
        trace.problems.append(f"gateway request: parent {request.parent_id}, not {client_span}")
    fetches = {s.span_id for s in trace.spans if is_("gateway", "CLIENT", "http.fetch")(s)}
    for service in services:
        served = trace.one(f"{service}'s HTTP request", is_(service, "SERVER", "POST /graphql"))
        if served is not None and served.parent_id not in fetches:
            trace.problems.append(f"{served.describe()}: parent is not a gateway http.fetch span")
    trace.linked(root_parent=client_span)
