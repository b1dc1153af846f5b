from __future__ import annotations

from pathlib import Path

from identity.app import create_app
from identity.config import IdentitySettings
from identity.demo import seed_demo
from identity.graphql.schema import build_schema
from servicekit.cli import ServiceCommands

commands = ServiceCommands(
    name="identity",
    service_root=Path(__file__).resolve().parents[2],
    settings=IdentitySettings,
    app=create_app,
    schema=lambda dev: build_schema(dev=dev),
    seed_demo=seed_demo,
)


def main() -> None:
    commands.main()


if __name__ == "__main__":
    main()
