from __future__ import annotations

from pathlib import Path

from filing.app import create_app
from filing.config import FilingSettings
from filing.graphql.schema import build_schema
from servicekit.cli import ServiceCommands

commands = ServiceCommands(
    name="filing",
    service_root=Path(__file__).resolve().parents[2],
    settings=FilingSettings,
    app=create_app,
    schema=lambda dev: build_schema(dev=dev),
)


def main() -> None:
    commands.main()


if __name__ == "__main__":
    main()
