"""Closed-loop HTTP load: a fixed number of connections, each sending its next request as soon as
the previous one is answered, for a fixed time.

Two generators with the same shape of result:

- `autocannon` (Node, `bench/load/`): little CPU per request. On these 2-core machines the load
  generator shares the cores with what it measures, so the lighter it is, the more the figures
  describe the services. The ratios in docs/BENCHMARKS.md use it.
- `httpx_load` (Python asyncio): checks every response body for GraphQL errors; used by the
  scripts that need that, and to show how much a heavy client distorts the figures.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

AUTOCANNON = Path(__file__).resolve().parent / "load" / "node_modules" / ".bin" / "autocannon"


@dataclass(frozen=True)
class LoadResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    failures: int

    def line(self, label: str) -> str:
        failed = f"   {self.failures} failed" if self.failures else ""
        return (
            f"  {label:<30} {self.rps:8.0f} req/s   p50 {self.p50_ms:6.1f} ms"
            f"   p99 {self.p99_ms:6.1f} ms{failed}"
        )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def check_graphql(url: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    """One request, refused loudly if it fails: autocannon only sees HTTP status codes."""
    response = httpx.post(url, json=body, headers=headers, timeout=30)
    response.raise_for_status()
    answer: dict[str, Any] = response.json()
    if answer.get("errors"):
        raise RuntimeError(f"{url}: {answer['errors']}")
    return answer


def autocannon(
    url: str, body: dict[str, Any], headers: dict[str, str], seconds: float, connections: int
) -> LoadResult:
    if not AUTOCANNON.exists():
        raise RuntimeError(f"{AUTOCANNON} is missing: run ./dev bench (it installs bench/load)")
    node = shutil.which("node") or "node"
    argv = [node, str(AUTOCANNON), "--json", "--method", "POST"]
    argv += ["--connections", str(connections), "--duration", str(int(seconds))]
    argv += ["--body", json.dumps(body)]
    for name, value in ({"content-type": "application/json"} | headers).items():
        argv += ["--headers", f"{name}={value}"]
    done = subprocess.run([*argv, url], capture_output=True, text=True, check=True)
    report = json.loads(done.stdout)
    return LoadResult(
        rps=report["requests"]["total"] / report["duration"],
        p50_ms=float(report["latency"]["p50"]),
        p99_ms=float(report["latency"]["p99"]),
        requests=int(report["requests"]["total"]),
        failures=int(report["errors"]) + int(report["timeouts"]) + int(report["non2xx"]),
    )


async def httpx_load(
    url: str, body: dict[str, Any], headers: dict[str, str], seconds: float, workers: int
) -> LoadResult:
    latencies: list[float] = []
    failures = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:

        async def worker() -> None:
            nonlocal failures
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await client.post(url, json=body, headers=headers)
                if response.status_code != 200 or "errors" in response.json():
                    failures += 1
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(workers)))
        elapsed = time.perf_counter() - started
    return LoadResult(
        rps=len(latencies) / elapsed,
        p50_ms=percentile(latencies, 0.5) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        requests=len(latencies),
        failures=failures,
    )
