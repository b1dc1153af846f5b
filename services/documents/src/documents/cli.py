from __future__ import annotations

from pathlib import Path

from documents.app import create_app
from documents.config import DocumentsSettings
from documents.graphql.schema import build_schema
from servicekit.cli import ServiceCommands

commands = ServiceCommands(
    name="documents",
    service_root=Path(__file__).resolve().parents[2],
    settings=DocumentsSettings,
    app=create_app,
    schema=lambda dev: build_schema(dev=dev),
    seed_demo=None,  # no demo documents: they are rendered from other services' data
)


def main() -> None:
    commands.main()


if __name__ == "__main__":
    main()
