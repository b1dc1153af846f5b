"""The platform with tracing on in the gateway and in every service, all exporting to an OTLP
receiver inside the test process. Module-scoped: the stack is stopped once the module using it
is done, not kept until the end of `./dev test`."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from devstack.stack import ROOT, Ports, Stack

from .otlp import OtlpReceiver


@pytest.fixture(scope="module")
def otlp() -> Iterator[OtlpReceiver]:
    receiver = OtlpReceiver()
    yield receiver
    receiver.close()


@pytest.fixture(scope="module")
def traced_stack(otlp: OtlpReceiver) -> Iterator[Stack]:
    with pytest.MonkeyPatch.context() as env:
        # Only this suite's settings: an inherited OTEL_SERVICE_NAME would give every process
        # the same name, a signal-specific endpoint would win over ours.
        for name in [n for n in os.environ if n.startswith("OTEL_")]:
            env.delenv(name)
        platform = Stack(
            var_dir=ROOT / "var" / "test" / "observability",
            ports=Ports.free(),
            app_env="dev",  # devMessages/devExamAnswers build the liaison
            fresh_databases=True,
            progress=lambda line: None,
            extra_env={
                # What turns tracing on, in gateway.config.mjs and servicekit.tracing alike.
                "OTEL_EXPORTER_OTLP_ENDPOINT": otlp.endpoint,
                # Both SDKs' batch processors read it (default 5000 ms): spans arrive sooner.
                "OTEL_BSP_SCHEDULE_DELAY": "200",
            },
        )
        try:
            platform.start()
            yield platform
        finally:
            platform.stop()


@pytest.fixture(scope="module")
async def gateway(traced_stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=traced_stack.gateway_url.removesuffix("/graphql"), timeout=60
    ) as client:
        yield client
