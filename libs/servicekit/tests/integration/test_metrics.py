"""Every Prometheus metric the services export appears and moves, against real components."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import strawberry
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from grpc_health.v1 import health_pb2, health_pb2_grpc
from prometheus_client import REGISTRY
from strawberry.fastapi import GraphQLRouter

from devstack.infra import Broker, Postgres, ensure_topics, free_port
from servicekit import errors, rpc, tracing
from servicekit.db import Database, make_engine, new_metadata
from servicekit.dlq import dlq_sizes, replay, watch_dlq_sizes
from servicekit.events import CloudEvent
from servicekit.graphql import SubgraphSchema
from servicekit.http import create_http_app
from servicekit.inbox import EventConsumer, inbox_table
from servicekit.outbox import Outbox, OutboxRelay, outbox_table
from servicekit.settings import KafkaSettings

metadata = new_metadata()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

HEALTH_CHECK = "/grpc.health.v1.Health/Check"


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def until(condition: object, timeout: float = 20) -> None:
    """Waits for a condition (not a timed assertion: the deadline only stops a hung test)."""
    async with asyncio.timeout(timeout):
        while not condition():  # type: ignore[operator]
            await asyncio.sleep(0.05)


@pytest.fixture(scope="module")
async def db(postgres: Postgres) -> AsyncIterator[Database]:
    url = await postgres.ensure_database(f"metrics_{uuid.uuid4().hex[:8]}", fresh=True)
    database = Database(make_engine(url, 5))
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield database
    await database.dispose()


@pytest.fixture(scope="module")
async def grpc_target() -> AsyncIterator[str]:
    server, port = await rpc.start_server("127.0.0.1", 0, lambda _server: [])
    yield f"127.0.0.1:{port}"
    await server.stop(grace=None)


def subgraph() -> httpx.AsyncClient:
    @strawberry.type
    class Query:
        @strawberry.field
        def ping(self) -> str:
            return "pong"

        @strawberry.field
        def missing(self) -> str:
            raise errors.NotFound()

    schema = SubgraphSchema(query=Query)
    tracing.instrument_schema(schema)

    @contextlib.asynccontextmanager
    async def lifespan(_app: object) -> AsyncIterator[None]:
        yield

    app = create_http_app("metrics-test", lifespan, {})
    app.include_router(GraphQLRouter(schema), prefix="/graphql")
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://subgraph")


async def test_requests_and_graphql_operations_are_counted_with_bounded_labels() -> None:
    ok = ("graphql_operations_total", {"operation": "ping", "type": "query", "outcome": "ok"})
    failed = ("graphql_errors_total", {"operation": "missing", "code": "NOT_FOUND"})
    invalid = ("graphql_errors_total", {"operation": "unknown", "code": "GRAPHQL_VALIDATION"})
    http_ok = ("http_requests_total", {"path": "/graphql", "status": "200"})
    unmatched = ("http_requests_total", {"path": "unmatched", "status": "404"})
    before = {
        name + str(labels): value(name, **labels)
        for name, labels in (ok, failed, invalid, http_ok, unmatched)
    }

    async with subgraph() as client:
        await client.post(
            "/graphql", json={"query": "query Mine { ping }", "operationName": "Mine"}
        )
        await client.post("/graphql", json={"query": "{ missing }"})
        # A client-chosen field name must not become a label value.
        await client.post("/graphql", json={"query": "{ user_12345678 }"})
        await client.get(f"/enterprise/{uuid.uuid4()}")  # ids in paths stay out of labels
        scraped = (await client.get("/metrics")).text

    for name, labels in (ok, failed, invalid, unmatched):
        assert value(name, **labels) == before[name + str(labels)] + 1, (name, labels)
    assert value(*http_ok[:1], **http_ok[1]) == before[http_ok[0] + str(http_ok[1])] + 3
    assert value("graphql_operation_seconds_count", operation="ping") >= 1
    assert "user_12345678" not in scraped
    assert "/enterprise/" not in scraped
    for name in ("http_request_seconds", "graphql_operations_total", "graphql_errors_total"):
        assert name in scraped


async def test_grpc_calls_are_counted_on_both_sides_by_method_and_status(grpc_target: str) -> None:
    stub = rpc.LazyStub(grpc_target, health_pb2_grpc.HealthStub)
    client_ok = value("grpc_client_calls_total", method=HEALTH_CHECK, status="OK")
    server_ok = value("grpc_server_calls_total", method=HEALTH_CHECK, status="OK")
    client_missing = value("grpc_client_calls_total", method=HEALTH_CHECK, status="NOT_FOUND")
    try:
        await rpc.call(stub.stub.Check, health_pb2.HealthCheckRequest(), timeout=3)
        with pytest.raises(errors.NotFound):  # a service the health servicer does not know
            await rpc.call(
                stub.stub.Check, health_pb2.HealthCheckRequest(service="nope.v1.X"), timeout=3
            )
    finally:
        await stub.close()
    assert value("grpc_client_calls_total", method=HEALTH_CHECK, status="OK") == client_ok + 1
    assert value("grpc_server_calls_total", method=HEALTH_CHECK, status="OK") == server_ok + 1
    assert (
        value("grpc_client_calls_total", method=HEALTH_CHECK, status="NOT_FOUND")
        == client_missing + 1
    )
    assert value("grpc_server_call_seconds_count", method=HEALTH_CHECK) >= 2


async def test_outbox_lag_grows_while_the_broker_is_away_and_drains_after(
    db: Database, broker: Broker
) -> None:
    events = Outbox(outbox, "/metrics-test")
    async with db.unit_of_work() as session:
        for _ in range(3):
            await events.record(session, "metrics.thing.done", str(uuid.uuid4()), {})
    failures = value("outbox_relay_failures_total")
    published = value("outbox_events_published_total")

    away = OutboxRelay(
        db,
        outbox,
        KafkaSettings(bootstrap_servers=f"127.0.0.1:{free_port()}"),
        max_backoff_seconds=0.2,
    )
    task = asyncio.create_task(away.run())
    try:
        await until(lambda: value("outbox_relay_failures_total") > failures)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert value("outbox_pending_events") == 3
    assert value("outbox_oldest_pending_age_seconds") > 0

    await ensure_topics(broker.bootstrap, ["metrics.thing.v1"])
    relay = OutboxRelay(db, outbox, KafkaSettings(bootstrap_servers=broker.bootstrap))
    task = asyncio.create_task(relay.run())
    try:
        await until(lambda: value("outbox_pending_events") == 0)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert value("outbox_oldest_pending_age_seconds") == 0
    assert value("outbox_events_published_total") == published + 3


async def test_consumer_lag_is_end_offset_minus_position_and_falls_to_zero(
    db: Database, broker: Broker
) -> None:
    topic = f"metrics.lag{uuid.uuid4().hex[:6]}.v1"
    event_type = topic.removesuffix(".v1") + ".done"
    await ensure_topics(broker.bootstrap, [topic], partitions=1)
    await _produce(broker.bootstrap, topic, [_event(event_type) for _ in range(5)])
    handled: list[str] = []

    async def handler(session, event: CloudEvent) -> None:  # type: ignore[no-untyped-def]
        handled.append(event.id)

    group = f"lag-{uuid.uuid4().hex}"
    consumer = EventConsumer(
        db,
        inbox,
        KafkaSettings(bootstrap_servers=broker.bootstrap),
        group_id=group,
        handlers={event_type: handler},
    )
    # One record read, four waiting: what the gauge reports after a partial batch.
    reader = AIOKafkaConsumer(
        bootstrap_servers=broker.bootstrap, auto_offset_reset="earliest", fetch_max_wait_ms=20
    )
    await reader.start()
    try:
        reader.assign([TopicPartition(topic, 0)])
        async with asyncio.timeout(20):
            while not await reader.getmany(timeout_ms=500, max_records=1):
                pass
        await consumer._record_lag(reader)
    finally:
        await reader.stop()
    assert value("consumer_lag_messages", group=group, topic=topic, partition="0") == 4

    task = asyncio.create_task(consumer.run())
    try:
        await until(lambda: len(handled) == 5)
        await until(
            lambda: (
                REGISTRY.get_sample_value(
                    "consumer_lag_messages", {"group": group, "topic": topic, "partition": "0"}
                )
                == 0
            )
        )
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_dlq_size_counts_what_is_waiting_for_replay(broker: Broker) -> None:
    topic = f"metrics.dead{uuid.uuid4().hex[:6]}.v1"
    dlq = f"{topic}.dlq"
    await ensure_topics(broker.bootstrap, [topic], partitions=1)
    assert await dlq_sizes(broker.bootstrap, [dlq, "never.created.v1.dlq"]) == {
        dlq: 0,
        "never.created.v1.dlq": 0,
    }
    headers = [("original-topic", topic.encode())]
    await _produce(broker.bootstrap, dlq, [_event("x.y.z"), _event("x.y.z")], headers)

    watcher = asyncio.create_task(watch_dlq_sizes(broker.bootstrap, [dlq], interval=0.1))
    try:
        await until(lambda: value("dlq_messages", topic=dlq) == 2)
        assert await replay(broker.bootstrap, dlq, idle_seconds=1.0) == 2
        await until(lambda: value("dlq_messages", topic=dlq) == 0)
    finally:
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)


def _event(event_type: str) -> bytes:
    return CloudEvent(type=event_type, source="/metrics-test", subject="s", data={}).to_json()


async def _produce(
    bootstrap: str,
    topic: str,
    values: list[bytes],
    headers: list[tuple[str, bytes]] | None = None,
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        for raw in values:
            await producer.send_and_wait(topic, raw, key=b"s", headers=headers)
    finally:
        await producer.stop()
