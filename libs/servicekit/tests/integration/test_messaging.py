"""Outbox relay and inbox consumer against a real PostgreSQL and real Tansu brokers."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import Column, Integer, String, Table, func, select

from devstack.infra import Broker, Postgres, ensure_topics
from servicekit.db import Database, make_engine, new_metadata
from servicekit.dlq import replay
from servicekit.events import CloudEvent
from servicekit.inbox import EventConsumer, inbox_table
from servicekit.outbox import Outbox, OutboxRelay, outbox_table
from servicekit.settings import KafkaSettings

metadata = new_metadata()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
effects = Table(
    "effects", metadata, Column("id", Integer, primary_key=True), Column("event_id", String(64))
)

TOPIC = "identity.account.v1"


@pytest.fixture(scope="module")
async def db(postgres: Postgres) -> AsyncIterator[Database]:
    url = await postgres.ensure_database(f"kit_{uuid.uuid4().hex[:8]}", fresh=True)
    database = Database(make_engine(url, 5))
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield database
    await database.dispose()


async def read_all(bootstrap: str, topic: str, want: int, timeout: float = 15) -> list[object]:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=20,
        group_id=f"reader-{uuid.uuid4().hex}",
    )
    await consumer.start()
    seen: list[object] = []
    try:
        async with asyncio.timeout(timeout):
            while len(seen) < want:
                for records in (await consumer.getmany(timeout_ms=300)).values():
                    seen += records
        await asyncio.sleep(0.5)  # anything extra (a duplicate) would show up now
        for records in (await consumer.getmany(timeout_ms=300)).values():
            seen += records
    finally:
        await consumer.stop()
    return seen


async def test_events_written_while_the_broker_is_down_arrive_once_after_it_returns(
    db: Database, test_var: Path
) -> None:
    broker = Broker(test_var / "outage-broker.log")
    relay = OutboxRelay(
        db,
        outbox,
        KafkaSettings(bootstrap_servers=broker.bootstrap),
        poll_seconds=0.2,
        max_backoff_seconds=0.5,
    )
    task = asyncio.create_task(relay.run())
    try:
        subject = str(uuid.uuid4())
        async with db.unit_of_work() as session:
            event = await Outbox(outbox, "/services/test").record(
                session, "identity.account.approved", subject, {"accountId": subject}
            )
        await asyncio.sleep(2)  # the relay keeps failing meanwhile; the row must wait
        async with db.unit_of_work() as session:
            row = (await session.execute(select(outbox).where(outbox.c.event_id == event.id))).one()
        assert row.sent_at is None
        assert row.attempts >= 1

        await broker.astart()  # same port, memory storage: topics recreated on start
        records = await read_all(broker.bootstrap, TOPIC, want=1)
        ours = [r for r in records if json.loads(r.value)["id"] == event.id]  # type: ignore[attr-defined]
        assert len(ours) == 1
        assert ours[0].key == subject.encode()  # type: ignore[attr-defined]
        async with db.unit_of_work() as session:
            sent = await session.scalar(
                select(outbox.c.sent_at).where(outbox.c.event_id == event.id)
            )
        assert sent is not None
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        broker.stop()


async def _publish(bootstrap: str, topic: str, *values: bytes, key: bytes = b"k") -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, value, key=key)
    finally:
        await producer.stop()


async def _count_effects(db: Database, event_id: str) -> int:
    async with db.unit_of_work() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(effects).where(effects.c.event_id == event_id)
            )
            or 0
        )


async def test_an_event_delivered_twice_has_one_effect(db: Database, broker: Broker) -> None:
    async def handler(session, event: CloudEvent) -> None:  # type: ignore[no-untyped-def]
        await session.execute(effects.insert().values(event_id=event.id))  # not idempotent itself

    consumer = EventConsumer(
        db,
        inbox,
        KafkaSettings(bootstrap_servers=broker.bootstrap),
        group_id=f"dedupe-{uuid.uuid4().hex}",
        handlers={"identity.account.approved": handler},
    )
    event = CloudEvent(type="identity.account.approved", source="/test", subject="s", data={})
    task = asyncio.create_task(consumer.run())
    try:
        await _publish(broker.bootstrap, TOPIC, event.to_json(), event.to_json())
        async with asyncio.timeout(15):
            while await _count_effects(db, event.id) == 0:
                await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # give the duplicate time to be (not) applied
        assert await _count_effects(db, event.id) == 1
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_a_poison_event_is_retried_dead_lettered_and_replayed_once_fixed(
    db: Database, broker: Broker
) -> None:
    attempts: list[str] = []
    fixed = False

    async def handler(session, event: CloudEvent) -> None:  # type: ignore[no-untyped-def]
        await session.execute(effects.insert().values(event_id=event.id))
        attempts.append(event.id)
        if not fixed:
            raise ValueError("cannot handle this account")

    topic = "identity.exam.v1"
    consumer = EventConsumer(
        db,
        inbox,
        KafkaSettings(bootstrap_servers=broker.bootstrap),
        group_id=f"poison-{uuid.uuid4().hex}",
        handlers={"identity.exam.passed": handler},
        max_attempts=3,
        backoff_seconds=0.01,
    )
    poison = CloudEvent(type="identity.exam.passed", source="/test", subject="p", data={})
    task = asyncio.create_task(consumer.run())
    try:
        await _publish(broker.bootstrap, topic, poison.to_json(), b"not json at all")
        dead = await read_all(broker.bootstrap, f"{topic}.dlq", want=2)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert attempts.count(poison.id) == 3
    assert await _count_effects(db, poison.id) == 0, "failed attempts must leave no effect"
    by_value = {r.value: dict(r.headers) for r in dead}  # type: ignore[attr-defined]
    assert b"ValueError: cannot handle this account" in by_value[poison.to_json()]["error"]
    assert by_value[poison.to_json()]["attempts"] == b"3"
    assert by_value[b"not json at all"]["error"].startswith(b"malformed envelope")
    async with db.unit_of_work() as session:
        seen = await session.scalar(
            select(func.count()).select_from(inbox).where(inbox.c.event_id == poison.id)
        )
    assert seen == 0, "a dead-lettered event is not marked handled, so a replay can handle it"

    fixed = True  # the operator deploys a fix, then replays the dead letters
    task = asyncio.create_task(consumer.run())
    try:
        assert await replay(broker.bootstrap, f"{topic}.dlq") == 2
        async with asyncio.timeout(15):
            while await _count_effects(db, poison.id) == 0:
                await asyncio.sleep(0.1)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert await _count_effects(db, poison.id) == 1
    assert await replay(broker.bootstrap, f"{topic}.dlq") == 1, "only the new dead letter is left"


async def test_topics_and_their_dead_letter_topics_are_created(broker: Broker) -> None:
    await ensure_topics(broker.bootstrap)  # idempotent
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap)
    await admin.start()
    try:
        topics = set(await admin.list_topics())
    finally:
        await admin.close()
    assert {"filing.enterprise.v1", "filing.enterprise.v1.dlq", TOPIC, f"{TOPIC}.dlq"} <= topics
