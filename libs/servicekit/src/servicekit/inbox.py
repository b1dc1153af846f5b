"""Inbox consumer: each event is handled at most once per service, in the handler's transaction.

The inbox row (event id primary key) and the handler's effects commit together, so a redelivered
event changes nothing. Offsets are committed after that transaction. A failing handler is retried
with backoff, then the record goes to `<topic>.dlq` with the error in its headers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord
from aiokafka.errors import KafkaError
from prometheus_client import Counter
from sqlalchemy import Column, DateTime, MetaData, String, Table, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.db import Database
from servicekit.events import CloudEvent, dlq_of, topic_of
from servicekit.logs import request_id_var, traceparent_var
from servicekit.settings import KafkaSettings

log = logging.getLogger(__name__)

Handler = Callable[[AsyncSession, CloudEvent], Awaitable[None]]

EVENTS_HANDLED = Counter("inbox_events_handled_total", "Events handled", ["type"])
EVENTS_DUPLICATE = Counter("inbox_events_duplicate_total", "Redelivered events skipped", ["type"])
EVENTS_DEAD = Counter("inbox_events_dead_lettered_total", "Events sent to a DLQ", ["topic"])


def inbox_table(metadata: MetaData) -> Table:
    return Table(
        "inbox",
        metadata,
        Column("event_id", String(64), primary_key=True),
        Column("event_type", String(128), nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


class EventConsumer:
    def __init__(
        self,
        db: Database,
        table: Table,
        kafka: KafkaSettings,
        *,
        group_id: str,
        handlers: Mapping[str, Handler],
        max_attempts: int = 5,
        backoff_seconds: float = 0.2,
    ) -> None:
        self.db = db
        self.table = table
        self.kafka = kafka
        self.group_id = group_id
        self.handlers = dict(handlers)
        self.topics = sorted({topic_of(event_type) for event_type in self.handlers})
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds

    async def run(self) -> None:
        backoff = 0.5
        while True:
            try:
                await self._consume()
            except (KafkaError, OSError) as exc:
                log.warning("consumer %s lost the broker: %s", self.group_id, exc)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    async def _consume(self) -> None:
        consumer = AIOKafkaConsumer(
            *self.topics,
            bootstrap_servers=self.kafka.bootstrap_servers,
            group_id=self.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=self.kafka.fetch_max_wait_ms,
        )
        producer = AIOKafkaProducer(
            bootstrap_servers=self.kafka.bootstrap_servers, acks="all", enable_idempotence=False
        )
        try:
            await consumer.start()
            await producer.start()
            while True:
                batches = await consumer.getmany(timeout_ms=1000, max_records=200)
                for partition, records in batches.items():
                    for record in records:
                        await self.process(record, producer)
                    await consumer.commit({partition: records[-1].offset + 1})
        finally:
            await consumer.stop()
            await producer.stop()

    async def process(self, record: ConsumerRecord, producer: AIOKafkaProducer) -> None:
        try:
            event = CloudEvent.from_json(record.value)
        except (ValueError, KeyError, TypeError) as exc:
            await self._dead_letter(record, producer, f"malformed envelope: {exc}", attempts=0)
            return
        handler = self.handlers.get(event.type)
        if handler is None:
            return  # another event type on the same stream that this service does not need
        token = request_id_var.set(event.id)
        trace = traceparent_var.set(event.traceparent)  # events it publishes continue the trace
        try:
            error = await self._handle_with_retries(event, handler)
        finally:
            request_id_var.reset(token)
            traceparent_var.reset(trace)
        if error is not None:
            await self._dead_letter(record, producer, error, attempts=self.max_attempts)

    async def handle_once(self, event: CloudEvent, handler: Handler) -> bool:
        """Runs the handler in the inbox transaction; False when the event was seen before."""
        async with self.db.unit_of_work() as session:
            inserted = await session.execute(
                insert(self.table)
                .values(event_id=event.id, event_type=event.type)
                .on_conflict_do_nothing()
                .returning(self.table.c.event_id)
            )
            if inserted.first() is None:
                EVENTS_DUPLICATE.labels(event.type).inc()
                return False
            await handler(session, event)
        EVENTS_HANDLED.labels(event.type).inc()
        return True

    async def _handle_with_retries(self, event: CloudEvent, handler: Handler) -> str | None:
        last_error = ""
        for attempt in range(1, self.max_attempts + 1):
            try:
                await self.handle_once(event, handler)
                return None
            except Exception as exc:  # noqa: BLE001 - any handler failure is retried, then dead-lettered
                last_error = f"{type(exc).__name__}: {exc}"
                log.warning(
                    "handler for %s failed (attempt %d/%d): %s",
                    event.type,
                    attempt,
                    self.max_attempts,
                    last_error,
                )
                if attempt < self.max_attempts:
                    await asyncio.sleep(self.backoff_seconds * 2 ** (attempt - 1))
        return last_error

    async def _dead_letter(
        self, record: ConsumerRecord, producer: AIOKafkaProducer, error: str, attempts: int
    ) -> None:
        dlq = dlq_of(record.topic)
        headers = [
            ("error", error[:4000].encode()),
            ("original-topic", record.topic.encode()),
            ("original-partition", str(record.partition).encode()),
            ("original-offset", str(record.offset).encode()),
            ("attempts", str(attempts).encode()),
            ("consumer-group", self.group_id.encode()),
        ]
        await producer.send_and_wait(dlq, value=record.value, key=record.key, headers=headers)
        EVENTS_DEAD.labels(record.topic).inc()
        log.error(
            "event at %s[%d]@%d dead-lettered to %s: %s",
            record.topic,
            record.partition,
            record.offset,
            dlq,
            error,
        )


__all__ = ["EventConsumer", "Handler", "inbox_table"]
