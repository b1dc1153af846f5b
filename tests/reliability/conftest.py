"""The whole platform on free ports, owned by this suite alone: its tests kill and restart parts
of it (the broker, services, PostgreSQL), which no other suite must share."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from devstack.stack import ROOT, Ports, Stack

from .flow import admin_token


@pytest.fixture(scope="module")
def platform() -> Iterator[Stack]:
    stack = Stack(
        var_dir=ROOT / "var" / "test" / "reliability",
        ports=Ports.free(),
        app_env="dev",  # the demo admin imports the legacy accounts the tests count
        fresh_databases=True,
        # Clients call identity's subgraph directly: the faults are in the event path and the
        # services, and the gateway (tested by the e2e suite) adds nothing countable here.
        with_gateway=False,
        # The broker-kill test needs a broker that keeps what it acknowledged, as Kafka does.
        durable_broker=True,
        progress=lambda line: None,
        # Each imported row hashes its initial password; the suite is about events, not about
        # argon2's cost, so it is lowered to keep bursts short on 2 cores.
        extra_env={"IDENTITY_ARGON2_TIME_COST": "1", "IDENTITY_ARGON2_MEMORY_KIB": "8192"},
    )
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
async def api(platform: Stack) -> AsyncIterator[httpx.AsyncClient]:
    """The GraphQL endpoint the clients write to: identity's subgraph."""
    async with httpx.AsyncClient(base_url=platform.service_url("identity"), timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
async def admin(api: httpx.AsyncClient) -> str:
    return await admin_token(api)
