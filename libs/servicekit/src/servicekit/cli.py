"""The command line every service shares: serve, migrate, seed-demo, export-schema."""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from fastapi import FastAPI

from servicekit.graphql import SubgraphSchema
from servicekit.logs import configure_logging
from servicekit.runtime import migrate, serve
from servicekit.settings import ProcessRole, ServiceSettings

Settings = TypeVar("Settings", bound=ServiceSettings)


@dataclass
class ServiceCommands(Generic[Settings]):
    name: str
    service_root: Path  # services/<name>/ (holds alembic.ini and migrations/)
    settings: Callable[[], Settings]
    app: Callable[[Settings], FastAPI]
    schema: Callable[[bool], SubgraphSchema]  # (dev) -> schema
    seed_demo: Callable[[Settings], Coroutine[Any, Any, None]] | None = None

    def main(self, argv: list[str] | None = None) -> None:
        parser = argparse.ArgumentParser(prog=self.name)
        commands = parser.add_subparsers(dest="command", required=True)
        serve_command = commands.add_parser(
            "serve", help="run HTTP (GraphQL), gRPC, relay and consumers"
        )
        serve_command.add_argument(
            "--role",
            choices=[role.value for role in ProcessRole],
            help="api: requests only; worker: relay, consumers, sweepers; all (default): both. "
            "Overrides <SERVICE>_PROCESS_ROLE.",
        )
        commands.add_parser("migrate", help="apply database migrations")
        commands.add_parser("seed-demo", help="insert demo data (idempotent)")
        export = commands.add_parser("export-schema", help="print the subgraph SDL")
        export.add_argument("--url", help="routing URL written as the first-line comment")
        args = parser.parse_args(argv)
        settings = self.settings()
        configure_logging(self.name, settings.log_level)
        if args.command == "serve":
            if args.role:
                settings = settings.model_copy(update={"process_role": ProcessRole(args.role)})
            serve(self.app(settings), settings)
        elif args.command == "migrate":
            migrate(settings.service_root or self.service_root, settings.database_url)
            logging.getLogger(self.name).info("%s database migrated", self.name)
        elif args.command == "seed-demo":
            if self.seed_demo is not None:
                asyncio.run(self.seed_demo(settings))
        elif args.command == "export-schema":
            url = args.url or f"http://{settings.http_host}:{settings.http_port}/graphql"
            print(f"# url: {url}")
            print(self.schema(True).as_str())
