"""Runs one service: the FastAPI app (GraphQL subgraph + probes), the gRPC server, the outbox
relay and the inbox consumers, started and stopped together by the app's lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import uvicorn
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from sqlalchemy import Table, text
from strawberry.fastapi import GraphQLRouter

import servicekit.rpc as rpc
from servicekit.auth import JwksVerifier
from servicekit.db import Database
from servicekit.graphql import ServiceContext, SubgraphSchema
from servicekit.http import create_http_app
from servicekit.inbox import EventConsumer, Handler
from servicekit.outbox import OutboxRelay
from servicekit.settings import ServiceSettings

log = logging.getLogger(__name__)


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
    on_start: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    on_stop: list[Callable[[], Awaitable[None]]] = field(default_factory=list)


def build_app(parts: ServiceParts) -> FastAPI:
    settings = parts.settings
    relay = (
        None
        if parts.outbox is None
        else OutboxRelay(
            parts.db, parts.outbox, settings.kafka, poll_seconds=settings.outbox_poll_seconds
        )
    )
    consumers = []
    if parts.handlers:
        assert parts.inbox is not None, "an inbox table is needed to consume events"
        consumers.append(
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

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        server, port = await rpc.start_server(
            settings.grpc_host, settings.grpc_port, parts.register_grpc
        )
        log.info("%s gRPC listening on %s:%d", parts.name, settings.grpc_host, port)
        for hook in parts.on_start:
            await hook()
        tasks = [
            asyncio.create_task(consumer.run(), name=f"consumer:{consumer.group_id}")
            for consumer in consumers
        ]
        if relay is not None:
            tasks.append(asyncio.create_task(relay.run(), name="outbox-relay"))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await server.stop(grace=2)
            for hook in parts.on_stop:
                await hook()
            await parts.verifier.aclose()
            await parts.db.dispose()

    async def database_ready() -> None:
        async with parts.db.engine.connect() as connection:
            await connection.execute(text("select 1"))

    async def context_getter() -> ServiceContext:  # async: FastAPI runs sync ones in a thread
        return parts.context()

    app = create_http_app(parts.name, lifespan, {"database": database_ready})
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
    return app


def serve(app: FastAPI, settings: ServiceSettings) -> None:
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        lifespan="on",
    )


def migrate(service_root: Path, database_url: str) -> None:
    """Applies the service's Alembic migrations up to head."""
    config = Config(str(service_root / "alembic.ini"))
    config.set_main_option("script_location", str(service_root / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url)
    command.upgrade(config, "head")
