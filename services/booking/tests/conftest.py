from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from booking.app import create_app
from booking.config import BookingSettings
from booking.demo import seed_demo
from devstack.infra import Broker, Postgres, free_port
from devstack.testing import TestIssuer, migrated_database, running
from servicekit.db import Database, make_engine
from servicekit.settings import KafkaSettings

from .doubles import Doubles


@pytest.fixture(scope="session")
async def doubles() -> AsyncIterator[Doubles]:
    value = Doubles()
    await value.start()
    yield value
    await value.stop()


@pytest.fixture(scope="session")
def booking_settings(
    postgres: Postgres, broker: Broker, issuer: TestIssuer, doubles: Doubles
) -> BookingSettings:
    return BookingSettings(
        app_env="test",
        database_url=migrated_database(postgres, "booking"),
        jwks_url=issuer.url,
        grpc_port=free_port(),
        kafka=KafkaSettings(bootstrap_servers=broker.bootstrap),
        outbox_poll_seconds=0.2,
        filing_grpc_target=doubles.target("filing"),
        personnel_grpc_target=doubles.target("personnel"),
        documents_grpc_target=doubles.target("documents"),
        offer_sweep_seconds=0.2,
    )


@pytest.fixture(scope="session")
async def booking(booking_settings: BookingSettings) -> AsyncIterator[httpx.AsyncClient]:
    await seed_demo(booking_settings)
    app = create_app(booking_settings)
    async with running(app) as client:
        yield client


@pytest.fixture(scope="session")
async def booking_db(booking_settings: BookingSettings) -> AsyncIterator[Database]:
    """Direct access for arranging data (past appointments, expired offers) and checking it."""
    db = Database(make_engine(booking_settings.database_url, 2))
    yield db
    await db.dispose()
