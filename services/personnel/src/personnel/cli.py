from __future__ import annotations

from pathlib import Path

from personnel.app import create_app
from personnel.config import PersonnelSettings
from personnel.graphql.schema import build_schema
from servicekit.cli import ServiceCommands

commands = ServiceCommands(
    name="personnel",
    service_root=Path(__file__).resolve().parents[2],
    settings=PersonnelSettings,
    app=create_app,
    schema=lambda dev: build_schema(dev=dev),
    seed_demo=None,  # no demo data: foreign persons are entered by the demo enterprise's users
)


def main() -> None:
    commands.main()


if __name__ == "__main__":
    main()
