"""The countable stream the reliability tests drive, and how they count its effects.

The stream: legacy account imports in identity (`importLegacyAccounts`, admin). Each imported row
commits an account and an `identity.account.imported` event in one transaction (outbox); filing
consumes the event (inbox) and creates one legacy enterprise, its liaison and a draft filing.
Every row carries a tag in its names, so a test counts only its own rows, by name (names are not
personal data: phones are stored encrypted and cannot be searched in clear).

Counting is done in the databases themselves (asyncpg on the embedded server's socket, a new
connection per query, since some tests stop the server)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx

from devstack.stack import Stack
from devstack.testing import graphql

IMPORT = """mutation($csv: String!) {
  importLegacyAccounts(csv: $csv) { imported unchanged rejected { line reason } } }"""
LOGIN = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }"
DRAIN_TIMEOUT = 120.0


@dataclass(frozen=True)
class Row:
    """One legacy account: what identity imports and filing turns into an enterprise."""

    tag: str
    number: int
    index: int

    @property
    def name(self) -> str:
        return f"{self.tag}-{self.index:05d}"

    @property
    def enterprise(self) -> str:
        return f"{self.tag}企业{self.index:05d}"

    @property
    def phone(self) -> str:
        return f"139{self.number:02d}{self.index:06d}"


def rows(tag: str, number: int, start: int, count: int) -> list[Row]:
    return [Row(tag, number, index) for index in range(start, start + count)]


def csv_of(batch: list[Row]) -> str:
    lines = ["单位名称,联络员姓名,手机号码"]
    lines += [f"{row.enterprise},{row.name},{row.phone}" for row in batch]
    return "\n".join(lines) + "\n"


async def admin_token(client: httpx.AsyncClient) -> str:
    body = await graphql(client, LOGIN, {"u": "admin", "p": "Dev-Password-1"})
    token: str = body["data"]["login"]["accessToken"]
    return token


async def import_rows(client: httpx.AsyncClient, token: str, batch: list[Row]) -> dict[str, Any]:
    """One import call; the GraphQL body as answered (errors included)."""
    return await graphql(client, IMPORT, {"csv": csv_of(batch)}, token=token)


def acknowledged(body: dict[str, Any], size: int) -> bool:
    """True when the server said every row of the call now exists (imported now or before)."""
    report = (body.get("data") or {}).get("importLegacyAccounts")
    if not report or body.get("errors"):
        return False
    return bool(report["imported"] + report["unchanged"] == size and not report["rejected"])


async def query(stack: Stack, database: str, sql: str, *args: object) -> Any:
    """One value from one service's database."""
    assert stack.postgres is not None
    connection = await asyncpg.connect(
        user="postgres", host=stack.postgres.socket_dir, database=database, timeout=10
    )
    try:
        return await connection.fetchval(sql, *args)
    finally:
        await connection.close()


@dataclass(frozen=True)
class Counts:
    """What exists for one tag, in the producer and in the consumer."""

    accounts: int  # identity: accounts with the tag
    account_names: int  # distinct names among them
    enterprises: int  # filing: legacy enterprises (the consumer's effect)
    enterprise_names: int  # distinct names among them
    liaisons: int  # filing: liaison rows with the tag
    projections: int  # filing: account projection rows with the tag
    unsent: int  # identity: outbox rows not yet published (all tags)

    @property
    def duplicated(self) -> int:
        return (self.accounts - self.account_names) + (self.enterprises - self.enterprise_names)


async def counts(stack: Stack, tag: str) -> Counts:
    like = f"{tag}-%"
    enterprise_like = f"{tag}企业%"
    return Counts(
        accounts=await query(
            stack, "identity", "select count(*) from accounts where name like $1", like
        ),
        account_names=await query(
            stack, "identity", "select count(distinct name) from accounts where name like $1", like
        ),
        enterprises=await query(
            stack,
            "filing",
            "select count(*) from enterprises where is_legacy and name like $1",
            enterprise_like,
        ),
        enterprise_names=await query(
            stack,
            "filing",
            "select count(distinct name) from enterprises where is_legacy and name like $1",
            enterprise_like,
        ),
        liaisons=await query(
            stack, "filing", "select count(*) from liaisons where name like $1", like
        ),
        projections=await query(
            stack, "filing", "select count(*) from account_projection where name like $1", like
        ),
        unsent=await query(stack, "identity", "select count(*) from outbox where sent_at is null"),
    )


async def metric(stack: Stack, service: str, name: str, labels: str = "") -> float | None:
    """One sample from a service's /metrics (None when absent); summed over label sets that
    contain `labels`."""
    async with httpx.AsyncClient(timeout=5) as client:
        text = (await client.get(f"{stack.service_url(service)}/metrics")).text
    values = [
        float(match.group(2))
        for match in re.finditer(rf"^{re.escape(name)}(\{{[^}}]*\}})? ([\d.e+-]+)$", text, re.M)
        if labels in (match.group(1) or "")
    ]
    return sum(values) if values else None


async def until(
    condition: Callable[[], Awaitable[bool]], timeout: float = DRAIN_TIMEOUT, every: float = 0.3
) -> None:
    """Polls until the condition holds; only a generous overall deadline, never a speed claim."""
    async with asyncio.timeout(timeout):
        while not await condition():
            await asyncio.sleep(every)


async def drained(stack: Stack, tag: str, expected: int | None) -> Counts:
    """Waits until the producer's outbox is empty, the consumer has an effect for every row and
    has read its topic to the end (lag 0), then counts once more: a late duplicate would have
    been handled by then. `expected=None` does not wait for the effects (a test that counts
    what was lost)."""

    async def settled() -> bool:
        now = await counts(stack, tag)
        if now.unsent or (expected is not None and now.enterprises < expected):
            return False
        lag = await metric(stack, "filing", "consumer_lag_messages", 'topic="identity.account.v1"')
        return lag == 0

    await until(settled)
    return await counts(stack, tag)


def report(test: str, **figures: object) -> None:
    """The counts a test observed, in the test log (`-s` or the junit report shows them)."""
    print(f"[reliability] {test}: " + ", ".join(f"{k}={v}" for k, v in figures.items()))
