"""The whole platform, started the way `./dev up` starts it, on free ports."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from devstack.stack import ROOT, Ports, Stack


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    platform = Stack(
        var_dir=ROOT / "var" / "test" / "e2e",
        ports=Ports.free(),
        app_env="dev",
        fresh_databases=True,
        progress=lambda line: None,
        # Every test user registers from 127.0.0.1: the per-address hourly limit on codes (a
        # real limit, tested in identity's suite) would stop the suite after 30 registrations.
        extra_env={"IDENTITY_CODES_PER_IP_PER_HOUR": "100000"},
    )
    try:
        platform.start()
        yield platform
    finally:
        platform.stop()


@pytest.fixture(scope="session")
async def gateway(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=stack.gateway_url.removesuffix("/graphql"), timeout=30
    ) as client:
        yield client
