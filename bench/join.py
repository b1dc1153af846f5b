"""A 50-row list joining three subgraphs against the same list from its root subgraph alone.

    uv run python -m bench.join                          # 10 s per load phase, 16 connections
    uv run python -m bench.join --seconds 20 --workers 32 --rounds 2

Starts its own stack (fresh databases, gateway request deduplication off), seeds 50 approved
enterprises with 1–2 liaison accounts and 2–5 foreign persons each (`bench.seed`), then, as the
demo admin and in one run with one load generator:

1. checks the joined list through the gateway (50 rows, every account name and person count,
   no errors) and what an enterprise user gets (their own row only);
2. counts, over a batch of joined queries, the GraphQL requests each subgraph served, the gRPC
   calls they made and their database transactions: one call per subgraph, and a few units of
   work per call (not one per row);
3. times the entity fetches the gateway makes, sent directly to each subgraph (50
   `Enterprise` representations to personnel, the accounts to identity);
4. loads the baseline (the list's filing fields only) and the joined list through the gateway,
   and the baseline directly against filing: requests/s, p50/p99, and the ratios.

The issue's target is joined ≥ 0.5 × baseline requests/s. Nothing here is asserted: the
figures are printed. On a 2-core machine the load generator, the gateway, five services and
PostgreSQL share the cores, and anything else running moves the absolute figures a lot: compare
the phases of one run (`--rounds` alternates them), not runs.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import time
from collections.abc import Callable
from typing import Any

import asyncpg
import httpx

from bench.loadgen import AUTOCANNON, LoadResult, autocannon, check_graphql, httpx_load, percentile
from bench.seed import SeededEnterprise, seed
from bench.stack import bearer, bench_stack
from devstack.stack import SERVICES, Stack

# What a city officer's list of approved filings shows: the record, its enterprise, who acts for
# it (names and phones from identity) and its first foreign persons with their count (personnel).
ROW = """id status recordType revision submittedAt decidedAt district branch
  claim { officerName expiresAt }"""
JOINED = f"""query JoinedList {{ filings(status: APPROVED, first: 50) {{ totalCount edges {{ node {{
  {ROW}
  enterprise {{ id name uscc district status version
    users {{ role account {{ id name phone status examPassed }} }}
    foreignPersons(first: 3) {{ totalCount edges {{ node {{
      id surname givenNames nationality documentType documentNumber }} }} }} }} }} }} }} }}"""
# The same rows with the root subgraph's fields only (`account { id }` is filing's key).
BASELINE = f"""query BaselineList {{ filings(status: APPROVED, first: 50) {{ totalCount edges {{
  node {{ {ROW}
    enterprise {{ id name uscc district status version users {{ role account {{ id }} }} }} }} }} }} }}"""

PERSONS_ENTITIES = """query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise {
  foreignPersons(first: 3) { totalCount edges { node {
    id surname givenNames nationality documentType documentNumber } } } } } }"""
ACCOUNTS_ENTITIES = """query($r: [_Any!]!) { _entities(representations: $r) { ... on Account {
  name phone status examPassed } } }"""

# Databases whose transactions (units of work) per joined query are counted.
DATABASES = ["filing", "identity", "personnel"]
METRIC = re.compile(r"^(\w+)\{([^}]*)\} ([0-9.e+-]+)$")


def check_rows(stack: Stack, headers: dict[str, str], seeded: list[SeededEnterprise]) -> None:
    """The joined list through the gateway is complete: every row, account and person count."""
    answer = check_graphql(stack.gateway_url, {"query": JOINED}, headers)
    rows = [edge["node"] for edge in answer["data"]["filings"]["edges"]]
    by_id = {enterprise.id: enterprise for enterprise in seeded}
    assert len(rows) == len(seeded) == 50, len(rows)
    for row in rows:
        enterprise = row["enterprise"]
        expected = by_id[enterprise["id"]]
        accounts = [user["account"] for user in enterprise["users"]]
        assert sorted(a["id"] for a in accounts) == sorted(expected.account_ids), enterprise
        assert all(a["name"] and a["phone"] and a["status"] == "ACTIVE" for a in accounts)
        persons = enterprise["foreignPersons"]
        assert persons["totalCount"] == expected.persons, (persons, expected)
        assert len(persons["edges"]) == min(3, expected.persons)
        assert all("*" in e["node"]["documentNumber"] for e in persons["edges"]), "masked"
    users = sum(len(r["enterprise"]["users"]) for r in rows)
    counted = sum(r["enterprise"]["foreignPersons"]["totalCount"] for r in rows)
    print(
        f"\njoined list as the admin: {len(rows)} rows, {users} accounts with names and phones,"
        f" {counted} foreign persons counted, no errors"
    )
    own = seeded[0]
    answer = check_graphql(
        stack.gateway_url, {"query": JOINED}, bearer(stack, own.liaison_phones[0])
    )
    mine = [edge["node"]["enterprise"] for edge in answer["data"]["filings"]["edges"]]
    assert [e["id"] for e in mine] == [own.id], mine
    assert mine[0]["foreignPersons"]["totalCount"] == own.persons
    print(f"as one of its liaisons: 1 row (their own), {own.persons} foreign persons")


def scrape(stack: Stack, name: str) -> dict[str, float]:
    """Sums of the counters this script reads, from the service's /metrics."""
    totals = {"graphql": 0.0, "graphql_errors": 0.0, "http_errors": 0.0, "grpc_calls": 0.0}
    text = httpx.get(f"{stack.service_url(name)}/metrics", timeout=10).text
    for line in text.splitlines():
        found = METRIC.match(line)
        if found is None:
            continue
        metric, labels, value = found.group(1), found.group(2), float(found.group(3))
        if metric == "graphql_operations_total":
            totals["graphql"] += value
        elif metric == "graphql_errors_total":
            totals["graphql_errors"] += value
        elif metric == "http_requests_total" and 'path="/graphql"' in labels:
            if 'status="200"' not in labels:
                totals["http_errors"] += value
        elif metric == "grpc_client_calls_total":
            totals["grpc_calls"] += value
    return totals


def scrape_all(stack: Stack) -> dict[str, dict[str, float]]:
    return {name: scrape(stack, name) for name in SERVICES}


async def transactions(stack: Stack) -> dict[str, int]:
    """Committed and rolled back transactions of each service database so far."""
    assert stack.postgres is not None
    connection = await asyncpg.connect(
        user="postgres", host=stack.postgres.socket_dir, database="postgres"
    )
    try:
        rows = await connection.fetch(
            "select datname, xact_commit + xact_rollback as done from pg_stat_database"
            " where datname = any($1::text[])",
            DATABASES,
        )
    finally:
        await connection.close()
    return {row["datname"]: int(row["done"]) for row in rows}


def calls_per_query(stack: Stack, headers: dict[str, str], queries: int) -> None:
    """Subgraph requests, gRPC calls and database transactions of `queries` joined queries,
    sent one at a time. Each unit of work is one transaction: N+1 shows as one per row.

    PostgreSQL publishes a backend's counts within its idle flush interval (10 s), and the
    services' workers (outbox relays, sweepers) run transactions of their own: their rate is
    measured over an idle stretch first and taken off."""
    flush, idle = 11.0, 10.0
    time.sleep(flush)
    quiet = asyncio.run(transactions(stack))
    time.sleep(idle)
    before_tx, before = asyncio.run(transactions(stack)), scrape_all(stack)
    background = {db: (before_tx[db] - quiet[db]) / idle for db in DATABASES}
    started = time.perf_counter()
    for _ in range(queries):
        check_graphql(stack.gateway_url, {"query": JOINED}, headers)
    after = scrape_all(stack)
    time.sleep(flush)
    elapsed = time.perf_counter() - started
    after_tx = asyncio.run(transactions(stack))
    print(f"\nper joined query (mean of {queries}, sent one at a time):")
    for name in SERVICES:
        requests = (after[name]["graphql"] - before[name]["graphql"]) / queries
        grpc = (after[name]["grpc_calls"] - before[name]["grpc_calls"]) / queries
        line = f"  {name:<10} {requests:5.2f} GraphQL requests   {grpc:5.2f} gRPC calls made"
        if name in background:
            work = after_tx[name] - before_tx[name] - background[name] * elapsed
            line += f"   {work / queries:6.1f} database transactions"
        print(line)
    rates = ", ".join(f"{db} {rate:.1f}/s" for db, rate in background.items())
    print(f"  (transactions ±1: less the workers' own, measured idle: {rates})")


def entity_fetches(
    stack: Stack, headers: dict[str, str], seeded: list[SeededEnterprise], repeats: int
) -> None:
    """The gateway's entity fetches, sent directly: one request, all representations."""
    enterprises = [{"__typename": "Enterprise", "id": e.id} for e in seeded]
    accounts = [{"__typename": "Account", "id": a} for e in seeded for a in e.account_ids]
    print(f"\nentity fetches sent directly to the subgraph (p50 of {repeats}, one at a time):")
    for name, query, representations in (
        ("personnel", PERSONS_ENTITIES, enterprises),
        ("identity", ACCOUNTS_ENTITIES, accounts),
    ):
        url = f"{stack.service_url(name)}/graphql"
        body = {"query": query, "variables": {"r": representations}}
        latencies = []
        for _ in range(repeats):
            started = time.perf_counter()
            check_graphql(url, body, headers)
            latencies.append(time.perf_counter() - started)
        print(
            f"  {name:<10} {len(representations):3d} representations"
            f"   p50 {percentile(latencies, 0.5) * 1000:6.1f} ms"
        )


Load = Callable[[str, dict[str, Any], dict[str, str], float], LoadResult]


def load_with(workers: int) -> tuple[str, Load]:
    """autocannon when installed (lighter on the shared cores), else the Python client."""

    def node(url: str, body: dict[str, Any], headers: dict[str, str], seconds: float) -> LoadResult:
        return autocannon(url, body, headers, seconds, workers)

    def python(
        url: str, body: dict[str, Any], headers: dict[str, str], seconds: float
    ) -> LoadResult:
        return asyncio.run(httpx_load(url, body, headers, seconds, workers))

    return ("autocannon", node) if AUTOCANNON.exists() else ("httpx", python)


def throughput(
    stack: Stack, headers: dict[str, str], seconds: float, workers: int, rounds: int
) -> None:
    tool, load = load_with(workers)
    gateway, filing = stack.gateway_url, f"{stack.service_url('filing')}/graphql"
    phases = [
        ("baseline, gateway", gateway, BASELINE),
        ("joined, gateway", gateway, JOINED),
        ("baseline, direct to filing", filing, BASELINE),
    ]
    for _, url, query in phases:  # warm up every path
        load(url, {"query": query}, headers, 3)
    before = scrape_all(stack)
    results: dict[str, list[LoadResult]] = {label: [] for label, _, _ in phases}
    print(f"\nload: {seconds:.0f} s per phase, {workers} connections, {tool}, {rounds} round(s):")
    for _ in range(rounds):
        for label, url, query in phases:
            result = load(url, {"query": query}, headers, seconds)
            results[label].append(result)
            print(result.line(label))
    after = scrape_all(stack)
    failed = {
        name: int(after[name][kind] - before[name][kind])
        for name in SERVICES
        for kind in ("graphql_errors", "http_errors")
        if after[name][kind] > before[name][kind]
    }
    print(f"  subgraph errors during the load: {failed or 'none'}")

    def rps(label: str) -> float:
        return sum(r.rps for r in results[label]) / len(results[label])

    joined, baseline = rps("joined, gateway"), rps("baseline, gateway")
    print(f"  joined / baseline through the gateway: {joined / baseline:.2f}   (target ≥ 0.5)")
    direct = rps("baseline, direct to filing")
    print(f"  joined through the gateway / baseline direct to filing: {joined / direct:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.join")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", "--connections", type=int, default=16, dest="workers")
    parser.add_argument("--rounds", type=int, default=1, help="alternate the phases this often")
    parser.add_argument("--queries", type=int, default=20, help="joined queries counted one by one")
    args = parser.parse_args()
    stack = bench_stack("bench-join")
    try:
        stack.start()
        assert stack.postgres is not None
        started = time.perf_counter()
        seeded = asyncio.run(seed(stack.postgres, 50))
        print(
            f"  seeded {len(seeded)} approved enterprises, "
            f"{sum(len(e.account_ids) for e in seeded)} liaison accounts, "
            f"{sum(e.persons for e in seeded)} foreign persons in {time.perf_counter() - started:.1f} s"
        )
        admin = bearer(stack, "admin")
        check_rows(stack, admin, seeded)
        calls_per_query(stack, admin, args.queries)
        entity_fetches(stack, admin, seeded, repeats=30)
        throughput(stack, admin, args.seconds, args.workers, args.rounds)
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
