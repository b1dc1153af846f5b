"""The platform-level figures of docs/BENCHMARKS.md, measured in one run on one stack.

    ./dev bench                 # everything below, about 2 minutes
    ./dev bench --seconds 20    # longer load phases

1. Idle memory of every process (services, gateway, PostgreSQL, broker) once the stack has
   settled.
2. `me` through the gateway vs directly against the identity subgraph: requests/s and latency,
   same run, same load generator (autocannon, then the Python client for comparison), gateway
   request deduplication off so every request reaches the subgraph.
3. Outbox → consumer latency on the embedded broker: time from the commit of a state change to
   the consumer's handler, at a steady event rate (200 events/s by default).

The other figures have their own scripts: `bench.join` (a 50-row list joining three subgraphs),
`bench.booking` (contention), `bench.render` (PDF throughput), `bench.startup` (`./dev up` time
to ready).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import time
import uuid

import psutil

from bench.consumer import consume
from bench.loadgen import autocannon, check_graphql, httpx_load, percentile
from bench.stack import bearer, bench_stack
from devstack.stack import Stack
from servicekit.db import Database, make_engine, new_metadata
from servicekit.inbox import inbox_table
from servicekit.outbox import Outbox, OutboxRelay, outbox_table
from servicekit.settings import KafkaSettings

ME = {"query": "{ me { id name roles } }"}
MIB = 1024 * 1024


def tree_memory(pid: int) -> tuple[float, int]:
    """Resident MiB of a process and its children (PostgreSQL's backends), and their count."""
    root = psutil.Process(pid)
    processes = [root, *root.children(recursive=True)]
    total = 0
    for process in processes:
        try:
            total += process.memory_full_info().uss  # pages only this process holds
        except psutil.NoSuchProcess:
            continue
    return total / MIB, len(processes)


def idle_memory(stack: Stack, settle_seconds: float) -> None:
    assert stack.postgres is not None and stack.broker is not None
    time.sleep(settle_seconds)
    pids = {name: process.pid for name, process in stack.processes.items()}
    postmaster = (stack.var_dir / "pgdata" / "postmaster.pid").read_text().split()[0]
    pids["postgresql"] = int(postmaster)
    if stack.broker.process is not None:
        pids["broker (tansu)"] = stack.broker.process.pid
    print(f"\nidle memory after {settle_seconds:.0f} s (USS: pages the process alone holds):")
    total = 0.0
    for name, pid in pids.items():
        mib, count = tree_memory(pid)
        total += mib
        processes = f" ({count} processes)" if count > 1 else ""
        print(f"  {name:<16} {mib:7.1f} MiB{processes}")
    print(f"  {'total':<16} {total:7.1f} MiB")


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    times = {name: psutil.Process(pid).cpu_times() for name, pid in pids.items()}
    return {name: t.user + t.system for name, t in times.items()}


def gateway_vs_direct(stack: Stack, seconds: float, connections: int) -> None:
    headers = bearer(stack)
    direct_url = f"{stack.service_url('identity')}/graphql"
    for url in (direct_url, stack.gateway_url):
        check_graphql(url, ME, headers)
        autocannon(url, ME, headers, 3, connections)  # warm up both paths
    pids = {name: stack.processes[name].pid for name in ("identity", "gateway")}
    print(f"\n`me` for {seconds:.0f} s, {connections} connections, one run:")
    results = {}
    for label, url in (("direct subgraph", direct_url), ("through gateway", stack.gateway_url)):
        before = cpu_seconds(pids)
        result = autocannon(url, ME, headers, seconds, connections)
        after = cpu_seconds(pids)
        results[label] = result
        cost = "   CPU per request: " + ", ".join(
            f"{name} {(after[name] - before[name]) / result.requests * 1000:.2f} ms"
            for name in pids
        )
        print(result.line(f"{label} (autocannon)") + cost)
    ratio = results["through gateway"].rps / results["direct subgraph"].rps
    print(f"  gateway / direct: {ratio:.2f}")
    direct_py = asyncio.run(httpx_load(direct_url, ME, headers, seconds, connections))
    gateway_py = asyncio.run(httpx_load(stack.gateway_url, ME, headers, seconds, connections))
    print(direct_py.line("direct subgraph (httpx)"))
    print(gateway_py.line("through gateway (httpx)"))
    print(f"  gateway / direct with the Python client: {gateway_py.rps / direct_py.rps:.2f}")


async def outbox_latency(stack: Stack, events: int, rate: float) -> None:
    """The writer and the relay share a process (a service with `--role all`); the consumer has
    its own. Times are wall-clock times of one machine."""
    assert stack.postgres is not None
    assert stack.broker is not None
    metadata = new_metadata()
    outbox = outbox_table(metadata)
    inbox_table(metadata)
    url = await stack.postgres.ensure_database("bench_outbox", fresh=True)
    db = Database(make_engine(url, 5))
    async with db.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    kafka = KafkaSettings(bootstrap_servers=stack.broker.bootstrap)
    spawn = multiprocessing.get_context("spawn")
    ready, results = spawn.Event(), spawn.Queue()
    group = f"bench-{uuid.uuid4().hex}"
    consumer = spawn.Process(
        target=consume,
        args=(url, stack.broker.bootstrap, group, events, ready, results),
        daemon=True,
    )
    consumer.start()
    relay = asyncio.create_task(OutboxRelay(db, outbox, kafka, poll_seconds=1.0).run())
    writer = Outbox(outbox, "/bench")
    committed: dict[str, float] = {}
    try:
        # Warm up: the consumer has joined its group once a first event went through.
        async with db.unit_of_work() as session:
            await writer.record(session, "identity.exam.passed", "warmup", {})
        if not await asyncio.to_thread(ready.wait, 60):
            raise RuntimeError("the consumer did not receive the first event within 60 s")
        # Paced by the clock (not by sleeping after each commit), so the rate is the one asked.
        started = time.perf_counter()
        for i in range(events):
            await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
            async with db.unit_of_work() as session:
                event = await writer.record(session, "identity.exam.passed", str(uuid.uuid4()), {})
            committed[event.id] = time.time()
        achieved = events / (time.perf_counter() - started)
        received: dict[str, float] = await asyncio.to_thread(results.get, True, 60)
    finally:
        relay.cancel()
        await asyncio.gather(relay, return_exceptions=True)
        consumer.terminate()
        consumer.join(10)
        await db.dispose()
    latencies = [received[i] - committed[i] for i in committed]
    print(
        f"\noutbox → consumer latency, {events} events at {achieved:.0f}/s"
        f" (asked {rate:.0f}/s) on the embedded broker, consumer in its own process:"
    )
    print(
        f"  p50 {percentile(latencies, 0.5) * 1000:.1f} ms   p99 {percentile(latencies, 0.99) * 1000:.1f} ms"
        f"   mean {statistics.mean(latencies) * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=200)
    args = parser.parse_args()
    stack = bench_stack("bench")
    try:
        stack.start()
        idle_memory(stack, settle_seconds=15)
        gateway_vs_direct(stack, args.seconds, args.connections)
        asyncio.run(outbox_latency(stack, args.events, args.rate))
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
