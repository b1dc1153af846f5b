from __future__ import annotations

from pathlib import Path

from booking.app import create_app
from booking.config import BookingSettings
from booking.demo import seed_demo
from booking.graphql.schema import build_schema
from servicekit.cli import ServiceCommands

commands = ServiceCommands(
    name="booking",
    service_root=Path(__file__).resolve().parents[2],
    settings=BookingSettings,
    app=create_app,
    schema=lambda dev: build_schema(dev=dev),
    seed_demo=seed_demo,
)


def main() -> None:
    commands.main()


if __name__ == "__main__":
    main()
