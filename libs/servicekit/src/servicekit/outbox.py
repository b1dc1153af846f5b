"""Transactional outbox: the state change and its event are written in one transaction; a relay
publishes the rows to Kafka (`acks=all`) and marks them sent. While the broker is down rows wait;
nothing is lost. Delivery is at least once: consumers deduplicate by event id.

Events may carry personal data (phones, issued numbers), so a service with a data vault stores
each payload encrypted (`EncryptedBytes`, context `outbox.payload`); the relay reads the clear
bytes and publishes them unchanged. Sent rows are kept for a retention period (what was published
recently, with its attempts, stays visible to operators), then `OutboxPruner` deletes them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import zlib
from collections.abc import Sequence
from datetime import datetime, timedelta

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind
from prometheus_client import Counter, Gauge
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit import tracing
from servicekit.crypto import DataVault, EncryptedBytes
from servicekit.db import Database, utcnow
from servicekit.events import CloudEvent, topic_of
from servicekit.settings import KafkaSettings
from servicekit.sweeper import BatchSweeper

log = logging.getLogger(__name__)

EVENTS_PUBLISHED = Counter("outbox_events_published_total", "Events published by the relay")
RELAY_FAILURES = Counter("outbox_relay_failures_total", "Relay batches that failed to publish")
OUTBOX_PENDING = Gauge("outbox_pending_events", "Unsent outbox rows (at most 1 s old)")
OUTBOX_OLDEST_AGE = Gauge(
    "outbox_oldest_pending_age_seconds", "Age of the oldest unsent outbox row, 0 when drained"
)


PAYLOAD_CONTEXT = "outbox.payload"


def outbox_table(metadata: MetaData, vault: DataVault | None = None) -> Table:
    """With `vault`, payloads are encrypted at rest; the column stays binary either way."""
    payload = LargeBinary() if vault is None else EncryptedBytes(vault, PAYLOAD_CONTEXT)
    return Table(
        "outbox",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("event_type", String(128), nullable=False),
        Column("topic", String(128), nullable=False),
        Column("key", String(128), nullable=False),
        Column("payload", payload, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("sent_at", DateTime(timezone=True), index=True),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("last_error", Text),
    )


class Outbox:
    """Records events inside the caller's transaction."""

    def __init__(self, table: Table, source: str) -> None:
        self.table = table
        self.source = source

    async def record(
        self, session: AsyncSession, event_type: str, subject: str, data: dict[str, object]
    ) -> CloudEvent:
        event = CloudEvent(
            type=event_type,
            source=self.source,
            subject=subject,
            data=data,
            dataschema=f"/contracts/events/{event_type}.schema.json",
            traceparent=tracing.current_traceparent(),
        )
        await session.execute(
            self.table.insert().values(
                event_id=event.id,
                event_type=event.type,
                topic=topic_of(event.type),
                key=subject,
                payload=event.to_json(),
            )
        )
        session.info["outbox_written"] = True
        return event


class OutboxRelay:
    """Publishes unsent rows in id order. Wakes on commit, and polls as a safety net.

    A transaction-scoped advisory lock lets several replicas run the relay while only one
    publishes at a time, which keeps events of one key in order.
    """

    def __init__(
        self,
        db: Database,
        table: Table,
        kafka: KafkaSettings,
        *,
        poll_seconds: float = 1.0,
        batch_size: int = 200,
        max_backoff_seconds: float = 5.0,
    ) -> None:
        self.db = db
        self.table = table
        self.kafka = kafka
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self.max_backoff_seconds = max_backoff_seconds
        self._lock_key = zlib.crc32(f"outbox:{table.name}".encode())
        self._wake = asyncio.Event()
        self._producer: AIOKafkaProducer | None = None
        self._measured_at = float("-inf")
        db.on_commit_with_events(self.wake)

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        backoff = 0.2
        try:
            while True:
                try:
                    sent = await self.publish_batch()
                    backoff = 0.2
                    if sent == self.batch_size:
                        continue
                except (KafkaError, OSError, TimeoutError, SQLAlchemyError) as exc:
                    # The broker or the database is away (a cut pooled connection too): wait
                    # and try again; the relay must outlive outages, never end.
                    RELAY_FAILURES.inc()
                    log.warning("outbox relay cannot publish yet: %s", exc)
                    await self._close_producer()
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, self.max_backoff_seconds)
                    continue
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.poll_seconds):
                        await self._wake.wait()
                self._wake.clear()
        finally:
            await self._close_producer()

    async def publish_batch(self) -> int:
        t = self.table
        async with self.db.unit_of_work() as session:
            await self._measure_lag(session)
            if not await session.scalar(select(func.pg_try_advisory_xact_lock(self._lock_key))):
                return 0
            rows = (
                await session.execute(
                    select(t.c.id, t.c.topic, t.c.key, t.c.payload)
                    .where(t.c.sent_at.is_(None))
                    .order_by(t.c.id)
                    .limit(self.batch_size)
                )
            ).all()
            if not rows:
                OUTBOX_PENDING.set(0)
                OUTBOX_OLDEST_AGE.set(0)
                return 0
            ids = [row.id for row in rows]
            spans = [_producer_span(row.topic, row.payload) for row in rows]
            try:
                producer = await self._get_producer()
                deliveries = [
                    await producer.send(
                        row.topic,
                        value=row.payload,
                        key=row.key.encode(),
                        headers=_trace_headers(span),
                    )
                    for row, span in zip(rows, spans, strict=True)
                ]
                await asyncio.gather(*deliveries)
            except (KafkaError, OSError, TimeoutError) as exc:
                _end_spans(spans, error=f"{type(exc).__name__}")
                await session.execute(
                    update(t)
                    .where(t.c.id.in_(ids))
                    .values(attempts=t.c.attempts + 1, last_error=str(exc)[:2000])
                )
                await session.commit()
                raise
            _end_spans(spans)
            await session.execute(update(t).where(t.c.id.in_(ids)).values(sent_at=utcnow()))
        EVENTS_PUBLISHED.inc(len(rows))
        return len(rows)

    async def _measure_lag(self, session: AsyncSession) -> None:
        """Unsent count and the oldest unsent row's age, at most once a second: every replica
        measures (the one holding the lock may be stuck), and the query is cheap but not free."""
        now = time.monotonic()
        if now - self._measured_at < 1.0:
            return
        self._measured_at = now
        t = self.table
        count, oldest = (
            await session.execute(
                select(func.count(), func.min(t.c.created_at)).where(t.c.sent_at.is_(None))
            )
        ).one()
        OUTBOX_PENDING.set(count)
        OUTBOX_OLDEST_AGE.set(_age_seconds(oldest, await session.scalar(select(func.now()))))

    async def _get_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = AIOKafkaProducer(
                bootstrap_servers=self.kafka.bootstrap_servers,
                acks="all",
                # Tansu has no idempotent producer; the inbox gives exactly-once effects.
                enable_idempotence=False,
                request_timeout_ms=5000,
                linger_ms=0,
            )
            try:
                await producer.start()
            except BaseException:
                await producer.stop()
                raise
            self._producer = producer
        return self._producer

    async def _close_producer(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            try:
                await producer.stop()
            except (KafkaError, OSError) as exc:
                log.debug("producer stop failed: %s", exc)


class OutboxPruner(BatchSweeper):
    """Deletes rows sent longer than `retention` ago, oldest first, a batch per transaction.
    Rows not sent yet are never touched, however old. Several workers may prune at once: each
    skips the rows another is deleting."""

    def __init__(
        self, db: Database, table: Table, retention: timedelta, interval_seconds: float
    ) -> None:
        self.table = table
        self.retention = retention
        super().__init__(
            db,
            self._delete_batch,
            interval_seconds,
            name="outbox-pruner",
            done="deleted %d sent outbox rows past their retention",
        )

    async def _delete_batch(self, session: AsyncSession, batch: int) -> int:
        t = self.table
        expired = (
            select(t.c.id)
            .where(t.c.sent_at < func.now() - self.retention)
            .order_by(t.c.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        deleted = await session.execute(
            delete(t).where(t.c.id.in_(expired.scalar_subquery())).returning(t.c.id)
        )
        return len(deleted.all())


def _age_seconds(oldest: datetime | None, now: datetime | None) -> float:
    if oldest is None or now is None:
        return 0.0
    return max((now - oldest).total_seconds(), 0.0)


def _producer_span(topic: str, payload: bytes) -> Span:
    """A producer span, child of the context the event was recorded in (its `traceparent`)."""
    parent = None
    with contextlib.suppress(ValueError, AttributeError):
        parent = tracing.context_of(json.loads(payload).get("traceparent"))
    return tracing.tracer().start_span(
        f"publish {topic}",
        context=parent if parent is not None else trace.set_span_in_context(trace.INVALID_SPAN),
        kind=SpanKind.PRODUCER,
        attributes={"messaging.system": "kafka", "messaging.destination.name": topic},
    )


def _trace_headers(span: Span) -> list[tuple[str, bytes]]:
    """The producer span's context as a Kafka header: consumers continue from it."""
    traceparent = tracing.traceparent_of(span)
    return [("traceparent", traceparent.encode())] if traceparent else []


def _end_spans(spans: Sequence[Span], error: str | None = None) -> None:
    for span in spans:
        if error is not None:
            tracing.mark_error(span, error)
        span.end()
