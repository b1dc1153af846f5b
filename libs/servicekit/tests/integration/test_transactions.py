"""`Database.transaction` against a real PostgreSQL: two transactions that lock two rows in
opposite orders deadlock for real; PostgreSQL aborts one, which runs again and both take effect,
once each. Out of attempts, the caller gets `CONFLICT`, not `INTERNAL`."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy import Column, Integer, Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from devstack.infra import Postgres
from servicekit.db import Busy, Database, make_engine, new_metadata
from servicekit.errors import ErrorCode

metadata = new_metadata()
counters = Table(
    "counters",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("n", Integer, nullable=False),
)

Work = Callable[[AsyncSession], Awaitable[None]]


@pytest.fixture
async def db(postgres: Postgres) -> AsyncIterator[Database]:
    url = await postgres.ensure_database(f"kit_tx_{uuid.uuid4().hex[:8]}", fresh=True)
    database = Database(make_engine(url, 4))
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
        await connection.execute(counters.insert(), [{"id": 1, "n": 0}, {"id": 2, "n": 0}])
    yield database
    await database.dispose()


def crossing(runs: Counter[str]) -> tuple[Work, Work]:
    """Two units of work: each increments its own row, waits until the other has too, then
    increments the other's row; on a first run that is a deadlock."""
    locked = {1: asyncio.Event(), 2: asyncio.Event()}

    def work(mine: int, theirs: int) -> Work:
        async def run(session: AsyncSession) -> None:
            runs[f"row {mine} first"] += 1
            await increment(session, mine)
            locked[mine].set()
            await locked[theirs].wait()
            await increment(session, theirs)

        return run

    return work(1, 2), work(2, 1)


async def increment(session: AsyncSession, row: int) -> None:
    await session.execute(update(counters).where(counters.c.id == row).values(n=counters.c.n + 1))


async def totals(db: Database) -> list[int]:
    async with db.unit_of_work() as session:
        return list((await session.scalars(select(counters.c.n).order_by(counters.c.id))).all())


async def test_the_deadlock_victim_runs_again_and_both_take_effect_once(db: Database) -> None:
    runs: Counter[str] = Counter()
    first, second = crossing(runs)
    await asyncio.gather(db.transaction(first), db.transaction(second))
    assert sorted(runs.values()) == [1, 2]  # one of them was aborted and ran again
    assert await totals(db) == [2, 2]  # each ran to the end exactly once


async def test_a_conflict_that_outlasts_the_attempts_is_conflict(db: Database) -> None:
    runs: Counter[str] = Counter()
    first, second = crossing(runs)
    results = await asyncio.gather(
        db.transaction(first, attempts=1),
        db.transaction(second, attempts=1),
        return_exceptions=True,
    )
    (refused,) = [r for r in results if isinstance(r, BaseException)]
    assert isinstance(refused, Busy) and refused.code == ErrorCode.CONFLICT
    assert await totals(db) == [1, 1]  # the victim's first increment was rolled back


async def test_other_failures_are_not_run_again(db: Database) -> None:
    runs: Counter[str] = Counter()

    async def broken(session: AsyncSession) -> None:
        runs["broken"] += 1
        await increment(session, 1)
        await session.execute(counters.insert().values(id=1, n=0))  # duplicate key

    with pytest.raises(Exception, match="duplicate key"):
        await db.transaction(broken)
    assert runs["broken"] == 1
    assert await totals(db) == [0, 0]
