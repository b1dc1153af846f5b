"""`serve --role api|worker|all`: what each process runs, checked on a small service wired with
the real runtime against real PostgreSQL and a real broker. A Kubernetes API Deployment runs
`api`, the worker Deployment runs `worker`; an event written by the one is delivered by the
other."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import grpc
import pytest
import strawberry
from grpc_health.v1 import health_pb2, health_pb2_grpc
from pydantic_settings import SettingsConfigDict
from sqlalchemy import Column, Integer, String, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from devstack.infra import Broker, Postgres, free_port
from devstack.testing import graphql, running
from servicekit.auth import JwksVerifier
from servicekit.cli import ServiceCommands
from servicekit.db import Database, make_engine, new_metadata
from servicekit.events import CloudEvent
from servicekit.graphql import ServiceContext, SubgraphSchema
from servicekit.inbox import inbox_table
from servicekit.outbox import Outbox, OutboxPruner, outbox_table
from servicekit.runtime import ServiceParts, WorkerLoops, build_app
from servicekit.settings import KafkaSettings, ProcessRole, ServiceSettings

pytestmark = pytest.mark.integration

EVENT_TYPE = "identity.account.approved"  # any topic the test broker has

metadata = new_metadata()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
# Not unique on purpose: a second delivery that got past the inbox would show as a second row.
effects = Table(
    "effects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False),
)


class KitSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="KIT_", extra="ignore")


class Sweeper:
    """A background loop that only says whether it was started."""

    def __init__(self) -> None:
        self.started = 0

    async def start(self) -> None:
        self.started += 1

    async def stop(self) -> None:
        pass


@pytest.fixture(scope="module")
async def database_url(postgres: Postgres) -> str:
    url = await postgres.ensure_database(f"roles_{uuid.uuid4().hex[:8]}", fresh=True)
    database = Database(make_engine(url, 2))
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    await database.dispose()
    return url


def kit_parts(
    role: ProcessRole, database_url: str, broker: Broker, name: str, sweeper: Sweeper
) -> ServiceParts:
    """One process of a service that publishes `EVENT_TYPE` from a mutation and consumes it
    into `effects`; each call is a separate process (its own engine and commit listeners)."""
    settings = KitSettings(
        process_role=role,
        database_url=database_url,
        grpc_port=free_port(),
        outbox_poll_seconds=0.2,
        kafka=KafkaSettings(bootstrap_servers=broker.bootstrap),
    )
    db = Database(make_engine(database_url, 2))
    events = Outbox(outbox, f"/services/{name}")
    verifier = JwksVerifier("http://127.0.0.1:9/jwks.json", "issuer", "audience")

    @strawberry.type
    class Query:
        @strawberry.field
        def ping(self) -> str:
            return "pong"

    @strawberry.type
    class Mutation:
        @strawberry.mutation
        async def record(self, subject: str) -> str:
            async with db.unit_of_work() as session:
                event = await events.record(session, EVENT_TYPE, subject, {"accountId": subject})
            return event.id

    async def handle(session: AsyncSession, event: CloudEvent) -> None:
        await session.execute(effects.insert().values(event_id=event.id))

    return ServiceParts(
        name=name,
        settings=settings,
        db=db,
        verifier=verifier,
        register_grpc=lambda server: [],
        schema=SubgraphSchema(query=Query, mutation=Mutation),
        context=lambda: ServiceContext(verifier),
        outbox=outbox,
        inbox=inbox,
        handlers={EVENT_TYPE: handle},
        background=[sweeper],
    )


_ALREADY_RUNNING: set[asyncio.Task[object]] = set()


@pytest.fixture(autouse=True)
async def _ignore_other_apps_tasks() -> None:
    """Other suites' apps may share this event loop (session fixtures): only tasks started
    during this test count."""
    _ALREADY_RUNNING.clear()
    _ALREADY_RUNNING.update(asyncio.all_tasks())


def event_path_tasks() -> set[str]:
    return {
        task.get_name()
        for task in asyncio.all_tasks() - _ALREADY_RUNNING
        if task.get_name().startswith(("consumer:", "outbox-relay"))
    }


async def grpc_serving(port: int) -> bool:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        try:
            reply = await health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(), timeout=2
            )
        except grpc.aio.AioRpcError:
            return False
    return bool(reply.status == health_pb2.HealthCheckResponse.SERVING)


async def row_of(database_url: str, event_id: str) -> tuple[Any, int]:
    """The outbox row's `sent_at` and the number of effects of the event."""
    db = Database(make_engine(database_url, 1))
    try:
        async with db.unit_of_work() as session:
            sent_at = await session.scalar(
                select(outbox.c.sent_at).where(outbox.c.event_id == event_id)
            )
            count = await session.scalar(
                select(func.count()).select_from(effects).where(effects.c.event_id == event_id)
            )
    finally:
        await db.dispose()
    return sent_at, int(count or 0)


async def wait_for(check: Callable[[], Any], guard_seconds: float = 30) -> None:
    """Polls until `check()` is true; the guard only stops a hung test, it asserts no speed."""
    async with asyncio.timeout(guard_seconds):
        while not await check():
            await asyncio.sleep(0.1)


async def test_api_process_serves_requests_and_grpc_but_runs_no_relay_consumer_or_sweeper(
    database_url: str, broker: Broker
) -> None:
    sweeper = Sweeper()
    parts = kit_parts(ProcessRole.API, database_url, broker, f"kit-{uuid.uuid4().hex[:6]}", sweeper)
    async with running(build_app(parts)) as client:
        body = await graphql(client, 'mutation { record(subject: "s-api") }')
        event_id = body["data"]["record"]
        assert await grpc_serving(parts.settings.grpc_port)
        assert event_path_tasks() == set()
        assert sweeper.started == 0
        assert (await client.get("/readyz")).json() == {"ready": True, "failures": {}}
        sent_at, effect_count = await row_of(database_url, event_id)
    assert sent_at is None  # nothing in this process publishes: the worker will
    assert effect_count == 0


async def test_worker_process_runs_the_event_path_behind_probes_and_metrics_only(
    database_url: str, broker: Broker
) -> None:
    sweeper = Sweeper()
    name = f"kit-{uuid.uuid4().hex[:6]}"
    parts = kit_parts(ProcessRole.WORKER, database_url, broker, name, sweeper)
    async with running(build_app(parts)) as client:
        assert event_path_tasks() == {f"consumer:{name}", "outbox-relay"}
        assert sweeper.started == 1
        assert (await client.post("/graphql", json={"query": "{ ping }"})).status_code == 404
        assert (await client.get("/healthz")).status_code == 200
        ready = (await client.get("/readyz")).json()
        assert ready == {"ready": True, "failures": {}}
        assert "outbox_pending_events" in (await client.get("/metrics")).text
        assert not await grpc_serving(parts.settings.grpc_port)


async def test_all_process_runs_everything_as_dev_and_tests_do(
    database_url: str, broker: Broker
) -> None:
    sweeper = Sweeper()
    name = f"kit-{uuid.uuid4().hex[:6]}"
    parts = kit_parts(ProcessRole.ALL, database_url, broker, name, sweeper)
    async with running(build_app(parts)) as client:
        assert (await graphql(client, "{ ping }"))["data"] == {"ping": "pong"}
        assert await grpc_serving(parts.settings.grpc_port)
        assert event_path_tasks() == {f"consumer:{name}", "outbox-relay"}
        assert sweeper.started == 1


async def test_a_service_split_into_api_and_worker_delivers_an_event_once_end_to_end(
    database_url: str, broker: Broker
) -> None:
    name = f"kit-{uuid.uuid4().hex[:6]}"
    api = kit_parts(ProcessRole.API, database_url, broker, name, Sweeper())
    worker = kit_parts(ProcessRole.WORKER, database_url, broker, name, Sweeper())
    async with running(build_app(worker)), running(build_app(api)) as client:
        body = await graphql(client, 'mutation { record(subject: "s-split") }')
        event_id = body["data"]["record"]

        async def handled() -> bool:
            return (await row_of(database_url, event_id))[1] > 0

        await wait_for(handled)  # the worker's relay found the row by polling, not by a wake-up
        await asyncio.sleep(0.5)  # a duplicate effect, if any, would land now
        sent_at, effect_count = await row_of(database_url, event_id)
    assert sent_at is not None
    assert effect_count == 1


async def test_a_worker_prunes_sent_outbox_rows_unless_retention_is_zero(
    database_url: str, broker: Broker
) -> None:
    parts = kit_parts(ProcessRole.WORKER, database_url, broker, "kit-prune", Sweeper())
    (pruner,) = [t for t in WorkerLoops(parts).background if isinstance(t, OutboxPruner)]
    assert pruner.retention == timedelta(days=7) and pruner.interval == 3600
    parts.settings.outbox_retention_days = 0
    assert not [t for t in WorkerLoops(parts).background if isinstance(t, OutboxPruner)]
    await parts.db.dispose()


def test_serve_role_flag_overrides_the_process_role_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    served: list[ProcessRole] = []
    monkeypatch.setattr(
        "servicekit.cli.serve", lambda app, settings: served.append(settings.process_role)
    )
    monkeypatch.setenv("KIT_PROCESS_ROLE", "api")
    # `main` installs the service's JSON log handler on stdout, here pytest's capture stream,
    # which is closed by the time exit handlers log: the session keeps its own handlers.
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", root.handlers[:])
    monkeypatch.setattr(root, "level", root.level)
    commands = ServiceCommands(
        name="kit",
        service_root=Path("."),
        settings=KitSettings,
        app=lambda settings: None,  # type: ignore[arg-type, return-value]
        schema=lambda dev: None,  # type: ignore[arg-type, return-value]
    )
    commands.main(["serve"])
    commands.main(["serve", "--role", "worker"])
    assert served == [ProcessRole.API, ProcessRole.WORKER]
