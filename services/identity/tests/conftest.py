from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from devstack.infra import Broker, Postgres, free_port
from devstack.testing import TestIssuer, migrated_database, running
from identity.app import create_app
from identity.config import IdentitySettings
from identity.demo import seed_demo
from servicekit.settings import KafkaSettings


@pytest.fixture(scope="session")
def identity_settings(
    postgres: Postgres, broker: Broker, issuer: TestIssuer, test_var: Path
) -> IdentitySettings:
    settings = IdentitySettings(
        app_env="test",
        database_url=migrated_database(postgres, "identity"),
        jwks_url=issuer.url,
        grpc_port=free_port(),
        jwt_private_key_file=test_var / "identity-jwt.pem",
        kafka=KafkaSettings(bootstrap_servers=broker.bootstrap),
        argon2_time_cost=1,
        argon2_memory_kib=8192,
        outbox_poll_seconds=0.2,
    )
    return settings


@pytest.fixture(scope="session")
async def identity(identity_settings: IdentitySettings) -> AsyncIterator[httpx.AsyncClient]:
    await seed_demo(identity_settings)
    app = create_app(identity_settings)
    async with running(app) as client:
        yield client
