"""Runs one service: the FastAPI app (GraphQL subgraph + probes), the gRPC server, the outbox
relay and the inbox consumers, started and stopped together by the app's lifespan.

The process role (`ServiceSettings.process_role`) splits them: an `api` process serves requests
only, a `worker` process runs the relay, the consumers and the background loops behind an HTTP
server that answers probes and `/metrics` only, and `all` (the default) runs everything."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Protocol

import grpc
import uvicorn
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from sqlalchemy import Table, text
from strawberry.fastapi import GraphQLRouter

import servicekit.rpc as rpc
import servicekit.tracing as tracing
from servicekit.auth import JwksVerifier
from servicekit.db import Database
from servicekit.graphql import ServiceContext, SubgraphSchema
from servicekit.http import ReadinessCheck, create_http_app
from servicekit.inbox import EventConsumer, Handler
from servicekit.outbox import OutboxPruner, OutboxRelay
from servicekit.settings import ServiceSettings

log = logging.getLogger(__name__)


class BackgroundTask(Protocol):
    """A loop the service runs besides requests and events (e.g. a sweeper): started in worker
    processes only, so that adding API replicas does not add sweepers."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass
class ServiceParts:
    """What `inject.py` wires for one service."""

    name: str
    settings: ServiceSettings
    db: Database
    verifier: JwksVerifier
    register_grpc: Callable[[grpc.aio.Server], Iterable[str]]
    schema: SubgraphSchema
    context: Callable[[], ServiceContext]  # one per request: verified actor, DataLoaders
    routes: Callable[[FastAPI], None] | None = None  # HTTP routes besides /graphql
    outbox: Table | None = None  # the relay publishes its rows
    inbox: Table | None = None
    handlers: Mapping[str, Handler] = field(default_factory=dict)  # event type → inbox handler
    # Set-up run by every process before it serves (e.g. registering a signing key); loops
    # belong in `background`.
    on_start: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    on_stop: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    background: list[BackgroundTask] = field(default_factory=list)  # worker loops (sweepers)


class WorkerLoops:
    """The event path of one service: the outbox relay, the inbox consumers and the background
    loops. Built before the app starts because the relay subscribes to commits."""

    def __init__(self, parts: ServiceParts) -> None:
        settings = parts.settings
        self.background: list[BackgroundTask] = list(parts.background)
        self.relay = (
            None
            if parts.outbox is None
            else OutboxRelay(
                parts.db, parts.outbox, settings.kafka, poll_seconds=settings.outbox_poll_seconds
            )
        )
        if parts.outbox is not None and settings.outbox_retention_days > 0:
            self.background.append(
                OutboxPruner(
                    parts.db,
                    parts.outbox,
                    timedelta(days=settings.outbox_retention_days),
                    settings.outbox_prune_seconds,
                )
            )
        self.consumers: list[EventConsumer] = []
        if parts.handlers:
            assert parts.inbox is not None, "an inbox table is needed to consume events"
            self.consumers.append(
                EventConsumer(
                    parts.db,
                    parts.inbox,
                    settings.kafka,
                    group_id=parts.name,
                    handlers=parts.handlers,
                    max_attempts=settings.consumer_max_attempts,
                    backoff_seconds=settings.consumer_backoff_seconds,
                )
            )
        self.tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self.tasks = [
            asyncio.create_task(consumer.run(), name=f"consumer:{consumer.group_id}")
            for consumer in self.consumers
        ]
        if self.relay is not None:
            self.tasks.append(asyncio.create_task(self.relay.run(), name="outbox-relay"))
        for task in self.background:
            await task.start()

    async def stop(self) -> None:
        for background in reversed(self.background):
            await background.stop()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    async def check_running(self) -> None:
        """Readiness: a relay or consumer that ended (it only ends by a bug) makes the process
        unready, and the worker's liveness probe (the same path) gets it restarted."""
        ended = [task.get_name() for task in self.tasks if task.done()]
        if ended:
            raise RuntimeError(f"stopped: {', '.join(ended)}")


def build_app(parts: ServiceParts) -> FastAPI:
    role = parts.settings.process_role
    loops = WorkerLoops(parts) if role.runs_workers else None

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        server = await _start_grpc(parts) if role.serves_requests else None
        for hook in parts.on_start:
            await hook()
        if loops is not None:
            await loops.start()
        log.info("%s started as %s", parts.name, role.value)
        try:
            yield
        finally:
            if loops is not None:
                await loops.stop()
            if server is not None:
                await server.stop(grace=2)
            for hook in parts.on_stop:
                await hook()
            await parts.verifier.aclose()
            await parts.db.dispose()

    async def database_ready() -> None:
        async with parts.db.engine.connect() as connection:
            await connection.execute(text("select 1"))

    checks: dict[str, ReadinessCheck] = {"database": database_ready}
    if loops is not None:
        checks["workers"] = loops.check_running
    app = create_http_app(
        parts.name, lifespan, checks, trusted_proxies=parts.settings.forwarded_allow_ips
    )
    tracing.instrument_service(parts.name, parts.schema)  # spans + GraphQL metrics
    if role.serves_requests:
        _mount_api(app, parts)
    return app


async def _start_grpc(parts: ServiceParts) -> grpc.aio.Server:
    settings = parts.settings
    server, port = await rpc.start_server(
        settings.grpc_host, settings.grpc_port, parts.register_grpc
    )
    log.info("%s gRPC listening on %s:%d", parts.name, settings.grpc_host, port)
    return server


def _mount_api(app: FastAPI, parts: ServiceParts) -> None:
    """GraphQL and the service's own routes: what only request-serving processes expose."""

    async def context_getter() -> ServiceContext:  # async: FastAPI runs sync ones in a thread
        return parts.context()

    router: GraphQLRouter[ServiceContext, None] = GraphQLRouter(
        parts.schema,
        context_getter=context_getter,
        graphql_ide="graphiql" if parts.settings.is_dev else None,
        # GraphQL multipart request spec (uploads); the gateway forwards multipart as it is.
        multipart_uploads_enabled=True,
    )
    app.include_router(router, prefix="/graphql")
    if parts.routes is not None:
        parts.routes(app)


KEEP_ALIVE_SECONDS = 75


def serve(app: FastAPI, settings: ServiceSettings) -> None:
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        lifespan="on",
        # Longer than any client keeps an idle connection (Node's agent, hence the gateway: 5 s;
        # ingresses: 60 s), so the client always closes first. With uvicorn's default of 5 s both
        # sides closed together and the gateway now and then sent a request on a connection the
        # service had just closed: `read ECONNRESET`, an error for the user (seen in ./dev bench).
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        proxy_headers=False,  # the app's ProxyHeadersMiddleware does it (create_http_app)
    )


def migrate(service_root: Path, database_url: str) -> None:
    """Applies the service's Alembic migrations up to head."""
    config = Config(str(service_root / "alembic.ini"))
    config.set_main_option("script_location", str(service_root / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url)
    command.upgrade(config, "head")
