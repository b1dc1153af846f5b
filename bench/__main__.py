"""Prints the README's figures.

    ./dev bench                 # both benchmarks
    ./dev bench --seconds 20    # longer load phases

1. `me` through the gateway vs directly against the identity subgraph: requests/s and latency,
   same run, same load tool (an asyncio httpx client with a fixed number of concurrent workers),
   gateway request deduplication off so every request reaches the subgraph.
2. Outbox → consumer latency on the embedded broker: time from the commit of a state change to
   the consumer's handler, at a steady event rate.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid

import httpx

from devstack.stack import ROOT, Ports, Stack
from servicekit.db import Database, make_engine, new_metadata
from servicekit.events import CloudEvent
from servicekit.inbox import EventConsumer, inbox_table
from servicekit.outbox import Outbox, OutboxRelay, outbox_table
from servicekit.settings import KafkaSettings

ME = {"query": "{ me { id name roles } }"}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def load(url: str, token: str, seconds: float, workers: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    headers = {"authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)
    async with httpx.AsyncClient(timeout=10, limits=limits) as client:

        async def worker() -> None:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await client.post(url, json=ME, headers=headers)
                response.raise_for_status()
                assert "errors" not in response.json()
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(workers)))
        elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, latencies


async def gateway_vs_direct(stack: Stack, seconds: float, workers: int) -> None:
    async with httpx.AsyncClient() as client:
        login = await client.post(
            stack.gateway_url,
            json={
                "query": 'mutation { login(username: "admin", password: "Dev-Password-1") { accessToken } }'
            },
        )
        token = login.json()["data"]["login"]["accessToken"]
    direct_url = f"{stack.service_url('identity')}/graphql"
    await load(direct_url, token, 2, workers)  # warm up both paths
    await load(stack.gateway_url, token, 2, workers)
    print(f"\n`me` for {seconds:.0f} s with {workers} concurrent clients (same load tool):")
    for label, url in (("direct subgraph", direct_url), ("through gateway", stack.gateway_url)):
        rps, latencies = await load(url, token, seconds, workers)
        print(
            f"  {label:<16} {rps:8.0f} req/s   p50 {percentile(latencies, 0.5) * 1000:6.1f} ms"
            f"   p99 {percentile(latencies, 0.99) * 1000:6.1f} ms"
        )


async def outbox_latency(stack: Stack, events: int, rate: float) -> None:
    assert stack.postgres is not None
    assert stack.broker is not None
    metadata = new_metadata()
    outbox, inbox = outbox_table(metadata), inbox_table(metadata)
    url = await stack.postgres.ensure_database("bench_outbox", fresh=True)
    db = Database(make_engine(url, 5))
    async with db.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    kafka = KafkaSettings(bootstrap_servers=stack.broker.bootstrap)
    received: dict[str, float] = {}
    committed: dict[str, float] = {}

    async def handler(session: object, event: CloudEvent) -> None:
        received[event.id] = time.perf_counter()

    consumer = EventConsumer(
        db,
        inbox,
        kafka,
        group_id=f"bench-{uuid.uuid4().hex}",
        handlers={"identity.exam.passed": handler},
    )
    relay = OutboxRelay(db, outbox, kafka, poll_seconds=1.0)
    tasks = [asyncio.create_task(consumer.run()), asyncio.create_task(relay.run())]
    writer = Outbox(outbox, "/bench")
    try:
        # Warm up: the consumer has joined its group once a first event went through.
        async with db.unit_of_work() as session:
            warmup = await writer.record(session, "identity.exam.passed", "warmup", {})
        async with asyncio.timeout(60):
            while warmup.id not in received:
                await asyncio.sleep(0.05)
        for _ in range(events):
            async with db.unit_of_work() as session:
                event = await writer.record(session, "identity.exam.passed", str(uuid.uuid4()), {})
            committed[event.id] = time.perf_counter()
            await asyncio.sleep(1 / rate)
        async with asyncio.timeout(30):
            while any(event_id not in received for event_id in committed):
                await asyncio.sleep(0.05)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await db.dispose()
    latencies = [received[i] - committed[i] for i in committed]
    print(f"\noutbox → consumer latency, {events} events at {rate:.0f}/s on the embedded broker:")
    print(
        f"  p50 {percentile(latencies, 0.5) * 1000:.1f} ms   p99 {percentile(latencies, 0.99) * 1000:.1f} ms"
        f"   mean {statistics.mean(latencies) * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--rate", type=float, default=100)
    args = parser.parse_args()
    stack = Stack(
        var_dir=ROOT / "var" / "bench",
        ports=Ports.free(),
        fresh_databases=True,
        extra_env={"GATEWAY_DEDUPE": "0", "LOG_LEVEL": "WARNING", "GATEWAY_LOG_LEVEL": "warn"},
        progress=lambda line: print(f"  {line}", flush=True),
    )
    try:
        stack.start()
        asyncio.run(gateway_vs_direct(stack, args.seconds, args.workers))
        asyncio.run(outbox_latency(stack, args.events, args.rate))
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
