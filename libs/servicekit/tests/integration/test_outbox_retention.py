"""`OutboxPruner` against a real PostgreSQL: rows sent longer ago than the retention go, in
batches; recent sent rows and unsent rows of any age stay."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from devstack.infra import Postgres
from servicekit.db import Database, make_engine, new_metadata, utcnow
from servicekit.outbox import OutboxPruner, outbox_table
from servicekit.sweeper import BATCH

metadata = new_metadata()
outbox = outbox_table(metadata)
WEEK = timedelta(days=7)


@pytest.fixture
async def db(postgres: Postgres) -> AsyncIterator[Database]:
    url = await postgres.ensure_database(f"kit_prune_{uuid.uuid4().hex[:8]}", fresh=True)
    database = Database(make_engine(url, 2))
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield database
    await database.dispose()


async def add_rows(db: Database, count: int, *, age: timedelta, sent: bool) -> list[str]:
    """`count` rows created `age` ago, sent a minute after that (or not sent)."""
    created = utcnow() - age
    rows = [
        {
            "event_id": uuid.uuid4().hex,
            "event_type": "test.happened",
            "topic": "test.v1",
            "key": "k",
            "payload": b"{}",
            "created_at": created,
            "sent_at": created + timedelta(minutes=1) if sent else None,
        }
        for _ in range(count)
    ]
    async with db.unit_of_work() as session:
        await session.execute(outbox.insert(), rows)
    return [row["event_id"] for row in rows]


async def remaining(db: Database) -> set[str]:
    async with db.unit_of_work() as session:
        return set((await session.scalars(select(outbox.c.event_id))).all())


async def test_rows_sent_before_the_retention_go_and_the_others_stay(db: Database) -> None:
    expired = await add_rows(db, BATCH * 2 + 5, age=timedelta(days=8), sent=True)
    recent = await add_rows(db, 3, age=timedelta(days=6), sent=True)
    stuck = await add_rows(db, 2, age=timedelta(days=30), sent=False)  # broker away for long
    pruner = OutboxPruner(db, outbox, WEEK, interval_seconds=3600)

    assert await pruner.sweep() == len(expired)  # three batches in one pass
    assert await remaining(db) == set(recent) | set(stuck)
    assert await pruner.sweep() == 0


async def test_a_retention_longer_than_every_row_deletes_nothing(db: Database) -> None:
    kept = await add_rows(db, 4, age=timedelta(days=8), sent=True)
    assert await OutboxPruner(db, outbox, timedelta(days=9), 3600).sweep() == 0
    assert await remaining(db) == set(kept)
