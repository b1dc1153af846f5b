"""One request through a subgraph that calls gRPC and publishes an event is one trace, from the
gateway's span to the consumer's, over a real PostgreSQL, a real broker and a real gRPC server."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import jwt
import pytest
import strawberry
from aiokafka import AIOKafkaProducer
from grpc_health.v1 import health_pb2, health_pb2_grpc
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy import Column, Integer, String, Table, select
from strawberry.fastapi import GraphQLRouter

from devstack.infra import Broker, Postgres, ensure_topics
from servicekit import rpc, tracing
from servicekit.auth import JwksVerifier
from servicekit.db import Database, make_engine, new_metadata
from servicekit.errors import Unauthenticated
from servicekit.events import CloudEvent
from servicekit.graphql import SubgraphSchema
from servicekit.http import create_http_app
from servicekit.inbox import EventConsumer, inbox_table
from servicekit.outbox import Outbox, OutboxRelay, outbox_table
from servicekit.settings import KafkaSettings

metadata = new_metadata()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
effects = Table(
    "effects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", String(64)),
    Column("traceparent", String(64)),
)

EVENT = "kittrace.thing.done"
TOPIC = "kittrace.thing.v1"
GATEWAY_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
GATEWAY_SPAN = "00f067aa0ba902b7"


@pytest.fixture(scope="module")
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    tracing.configure_tracing("kit-test", processor=SimpleSpanProcessor(exporter))
    yield exporter
    exporter.shutdown()


@pytest.fixture(scope="module")
async def db(postgres: Postgres) -> AsyncIterator[Database]:
    url = await postgres.ensure_database(f"trace_{uuid.uuid4().hex[:8]}", fresh=True)
    database = Database(make_engine(url, 5))
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield database
    await database.dispose()


@pytest.fixture(scope="module")
async def grpc_target() -> AsyncIterator[str]:
    """A real gRPC server with the platform's interceptor (its health service is enough)."""
    server, port = await rpc.start_server("127.0.0.1", 0, lambda _server: [])
    yield f"127.0.0.1:{port}"
    await server.stop(grace=None)


def build_subgraph(db: Database, grpc_target: str) -> httpx.AsyncClient:
    """A subgraph shaped like the services': the mutation asks another service over gRPC, then
    records an event in the outbox in its transaction."""
    stub = rpc.LazyStub(grpc_target, health_pb2_grpc.HealthStub)
    events = Outbox(outbox, "/kit-test")

    @strawberry.type
    class Query:
        @strawberry.field
        def ping(self) -> str:
            return "pong"

    @strawberry.type
    class Mutation:
        @strawberry.mutation
        async def do_thing(self) -> str:
            reply = await rpc.call(stub.stub.Check, health_pb2.HealthCheckRequest(), timeout=3)
            async with db.unit_of_work() as session:
                event = await events.record(session, EVENT, str(uuid.uuid4()), {"ok": True})
            return f"{reply.status}:{event.id}"

    schema = SubgraphSchema(query=Query, mutation=Mutation)
    tracing.instrument_schema(schema)

    @contextlib.asynccontextmanager
    async def lifespan(_app: object) -> AsyncIterator[None]:
        yield

    app = create_http_app("kit-test", lifespan, {})
    app.include_router(GraphQLRouter(schema), prefix="/graphql")
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://subgraph")


def by_kind(found: list[ReadableSpan], kind: SpanKind, prefix: str) -> ReadableSpan:
    matching = [s for s in found if s.kind == kind and s.name.startswith(prefix)]
    assert len(matching) == 1, [(s.name, s.kind) for s in found]
    return matching[0]


async def test_a_request_its_grpc_call_its_event_and_the_consumer_share_one_trace(
    spans: InMemorySpanExporter, db: Database, broker: Broker, grpc_target: str
) -> None:
    await ensure_topics(broker.bootstrap, [TOPIC])
    kafka = KafkaSettings(bootstrap_servers=broker.bootstrap)

    async def handler(session, event: CloudEvent) -> None:  # type: ignore[no-untyped-def]
        await session.execute(
            effects.insert().values(event_id=event.id, traceparent=tracing.current_traceparent())
        )

    relay = OutboxRelay(db, outbox, kafka, poll_seconds=0.2)
    consumer = EventConsumer(
        db, inbox, kafka, group_id=f"trace-{uuid.uuid4().hex}", handlers={EVENT: handler}
    )
    tasks = [asyncio.create_task(relay.run()), asyncio.create_task(consumer.run())]
    spans.clear()
    try:
        async with build_subgraph(db, grpc_target) as client:
            response = await client.post(
                "/graphql",
                json={"query": "mutation Go { doThing }", "operationName": "Go"},
                headers={"traceparent": f"00-{GATEWAY_TRACE}-{GATEWAY_SPAN}-01"},
            )
        assert response.status_code == 200, response.text
        assert "errors" not in response.json(), response.json()
        event_id = response.json()["data"]["doThing"].split(":", 1)[1]
        async with asyncio.timeout(20):
            while (effect := await _effect(db, event_id)) is None:
                await asyncio.sleep(0.1)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    found = list(spans.get_finished_spans())
    http = by_kind(found, SpanKind.SERVER, "POST /graphql")  # FastAPI's own span
    operation = by_kind(found, SpanKind.INTERNAL, "graphql.mutation doThing")
    client_call = by_kind(found, SpanKind.CLIENT, "grpc.health.v1.Health/Check")
    server_call = by_kind(found, SpanKind.SERVER, "grpc.health.v1.Health/Check")
    publish = by_kind(found, SpanKind.PRODUCER, f"publish {TOPIC}")
    consume = by_kind(found, SpanKind.CONSUMER, f"consume {EVENT}")

    chain = [http, operation, client_call, server_call, publish, consume]
    assert {format(s.context.trace_id, "032x") for s in chain} == {GATEWAY_TRACE}
    assert http.parent is not None and format(http.parent.span_id, "016x") == GATEWAY_SPAN
    assert _parent(operation) == http.context.span_id
    assert _parent(client_call) == operation.context.span_id
    assert _parent(server_call) == client_call.context.span_id
    assert _parent(publish) == operation.context.span_id  # recorded inside the operation
    assert _parent(consume) == publish.context.span_id  # from the Kafka header
    assert operation.attributes is not None
    assert operation.attributes["graphql.operation.name"] == "Go"
    # What the handler forwards (events it publishes, gRPC it calls) continues the trace.
    assert effect == f"00-{GATEWAY_TRACE}-{consume.context.span_id:016x}-01"


def _parent(span: ReadableSpan) -> int | None:
    return span.parent.span_id if span.parent is not None else None


async def _effect(db: Database, event_id: str) -> str | None:
    async with db.unit_of_work() as session:
        row = (
            await session.execute(
                select(effects.c.traceparent).where(effects.c.event_id == event_id)
            )
        ).first()
    return None if row is None else (row.traceparent or "")


async def test_an_event_without_a_trace_header_continues_the_trace_in_its_envelope(
    spans: InMemorySpanExporter, db: Database, broker: Broker
) -> None:
    """Records written by something other than the relay (a replay tool, another system) carry
    only the CloudEvent `traceparent`: the consumer continues from that."""
    await ensure_topics(broker.bootstrap, [TOPIC])
    seen: list[str] = []

    async def handler(session, event: CloudEvent) -> None:  # type: ignore[no-untyped-def]
        seen.append(event.id)

    consumer = EventConsumer(
        db,
        inbox,
        KafkaSettings(bootstrap_servers=broker.bootstrap),
        group_id=f"envelope-{uuid.uuid4().hex}",
        handlers={EVENT: handler},
    )
    event = CloudEvent(
        type=EVENT,
        source="/elsewhere",
        subject="s",
        data={},
        traceparent=f"00-{GATEWAY_TRACE}-{GATEWAY_SPAN}-01",
    )
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        await producer.send_and_wait(TOPIC, event.to_json(), key=b"s")
    finally:
        await producer.stop()
    spans.clear()
    task = asyncio.create_task(consumer.run())
    try:
        async with asyncio.timeout(20):
            while event.id not in seen:
                await asyncio.sleep(0.1)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    consume = [
        s
        for s in spans.get_finished_spans()
        if s.kind == SpanKind.CONSUMER
        and s.attributes
        and s.attributes.get("messaging.message.id") == event.id
    ]
    assert len(consume) == 1
    assert format(consume[0].context.trace_id, "032x") == GATEWAY_TRACE
    assert _parent(consume[0]) == int(GATEWAY_SPAN, 16)


async def test_a_jwks_fetch_is_a_client_span_of_the_request_that_needed_it(
    spans: InMemorySpanExporter,
) -> None:
    sent: list[httpx.Request] = []

    def jwks(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"keys": []})

    http = httpx.AsyncClient(transport=httpx.MockTransport(jwks))
    verifier = JwksVerifier("http://identity/.well-known/jwks.json", "issuer", "aud", http=http)
    spans.clear()
    with (
        tracing.start_span("POST /graphql", SpanKind.SERVER) as request_span,
        pytest.raises(Unauthenticated),  # an empty key set knows no key id
    ):
        await verifier.verify(jwt.encode({"sub": "x"}, "k" * 32, headers={"kid": "nope"}))
    await verifier.aclose()

    fetch = next(span for span in spans.get_finished_spans() if span.name == "GET jwks")
    assert fetch.kind == SpanKind.CLIENT
    assert fetch.parent is not None
    assert fetch.parent.span_id == request_span.get_span_context().span_id
    assert sent and sent[0].headers["traceparent"].startswith(
        f"00-{fetch.context.trace_id:032x}-{fetch.context.span_id:016x}-"
    )
