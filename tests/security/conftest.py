"""The platform as the e2e suite starts it, but with every real limit kept (the e2e suite lifts
the per-address code limit), and the world the security tests attack."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from devstack.stack import ROOT, Ports, Stack

from .world import World, build_world


@pytest.fixture(scope="session")
def secure_stack() -> Iterator[Stack]:
    platform = Stack(
        var_dir=ROOT / "var" / "test" / "security",
        ports=Ports.free(),
        app_env="dev",  # dev only for devMessages/devExamAnswers, which build the world
        fresh_databases=True,
        progress=lambda line: None,
    )
    for old_log in platform.log_dir.glob("*.log"):  # the log test reads this run's only
        old_log.unlink()
    try:
        platform.start()
        yield platform
    finally:
        platform.stop()


@pytest.fixture(scope="session")
async def gw(secure_stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=secure_stack.gateway_url.removesuffix("/graphql"), timeout=60
    ) as client:
        yield client


@pytest.fixture(scope="session")
async def world(gw: httpx.AsyncClient) -> World:
    return await build_world(gw)
