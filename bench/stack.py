"""The stack every benchmark starts, and signing in to it."""

from __future__ import annotations

from bench.loadgen import check_graphql
from devstack.stack import ROOT, Ports, Stack

LOGIN = 'mutation($u: String!) { login(username: $u, password: "Dev-Password-1") { accessToken } }'


def bench_stack(name: str) -> Stack:
    """Fresh databases in `var/<name>`, free ports, quiet logs, and the gateway's request
    deduplication off (it would answer identical concurrent requests once and flatter the
    figures)."""
    return Stack(
        var_dir=ROOT / "var" / name,
        ports=Ports.free(),
        fresh_databases=True,
        extra_env={"GATEWAY_DEDUPE": "0", "LOG_LEVEL": "WARNING", "GATEWAY_LOG_LEVEL": "warn"},
        progress=lambda line: print(f"  {line}", flush=True),
    )


def bearer(stack: Stack, username: str = "admin") -> dict[str, str]:
    """The headers of a signed-in demo user (password Dev-Password-1, seeded ones included)."""
    answer = check_graphql(stack.gateway_url, {"query": LOGIN, "variables": {"u": username}}, {})
    return {"authorization": f"Bearer {answer['data']['login']['accessToken']}"}
