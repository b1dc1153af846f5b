"""Inbox consumer: each event is handled at most once per service, in the handler's transaction.

The inbox row (event id primary key) and the handler's effects commit together, so a redelivered
event changes nothing. Offsets are committed after that transaction. A failing handler is retried
with backoff, then the record goes to `<topic>.dlq` with the error in its headers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord
from aiokafka.errors import KafkaError
from opentelemetry.trace import SpanKind
from prometheus_client import Counter, Gauge
from sqlalchemy import Column, DateTime, MetaData, String, Table, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit import tracing
from servicekit.db import Database, is_database_unavailable
from servicekit.dlq import watch_dlq_sizes
from servicekit.events import CloudEvent, dlq_of, topic_of
from servicekit.logs import request_id_var, traceparent_var
from servicekit.settings import KafkaSettings

log = logging.getLogger(__name__)

Handler = Callable[[AsyncSession, CloudEvent], Awaitable[None]]

EVENTS_HANDLED = Counter("inbox_events_handled_total", "Events handled", ["type"])
EVENTS_DUPLICATE = Counter("inbox_events_duplicate_total", "Redelivered events skipped", ["type"])
EVENTS_DEAD = Counter("inbox_events_dead_lettered_total", "Events sent to a DLQ", ["topic"])
CONSUMER_LAG = Gauge(
    "consumer_lag_messages",
    "End offset minus the group's committed offset, after the last batch",
    ["group", "topic", "partition"],
)


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
        dlq_interval_seconds: float = 30.0,
    ) -> None:
        self.db = db
        self.table = table
        self.kafka = kafka
        self.group_id = group_id
        self.handlers = dict(handlers)
        self.topics = sorted({topic_of(event_type) for event_type in self.handlers})
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds
        self.dlq_interval_seconds = dlq_interval_seconds

    async def run(self) -> None:
        backoff = 0.5
        watcher = asyncio.create_task(
            watch_dlq_sizes(
                self.kafka.bootstrap_servers,
                [dlq_of(topic) for topic in self.topics],
                self.dlq_interval_seconds,
            ),
            name=f"dlq-sizes:{self.group_id}",
        )
        try:
            while True:
                try:
                    await self._consume()
                except (KafkaError, OSError) as exc:
                    log.warning("consumer %s lost the broker: %s", self.group_id, exc)
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 5.0)
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher

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
                await self._record_lag(consumer)
        finally:
            await consumer.stop()
            await producer.stop()

    async def _record_lag(self, consumer: AIOKafkaConsumer) -> None:
        """Lag per assigned partition from what the last fetch said of the end offset; every
        fetched record is handled and committed before this runs, so position = committed."""
        for tp in consumer.assignment():
            end = consumer.highwater(tp)
            if end is None:
                continue  # nothing fetched from it yet
            position = await consumer.position(tp)
            CONSUMER_LAG.labels(self.group_id, tp.topic, str(tp.partition)).set(
                max(end - position, 0)
            )

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
        trace = traceparent_var.set(event.traceparent)
        try:
            # The relay's producer span (header) is the parent; a record written by something
            # else still continues the trace of the request that caused the event.
            with tracing.start_span(
                f"consume {event.type}",
                SpanKind.CONSUMER,
                parent=_header(record, "traceparent") or event.traceparent,
                attributes={
                    "messaging.system": "kafka",
                    "messaging.destination.name": record.topic,
                    "messaging.consumer.group.name": self.group_id,
                    "messaging.message.id": event.id,
                },
            ) as span:  # events the handler publishes continue this trace
                error = await self._handle_with_retries(event, handler)
                if error is not None:
                    tracing.mark_error(span, "dead-lettered")
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
        attempt = 1
        outage_wait = self.backoff_seconds
        while attempt <= self.max_attempts:
            try:
                await self.handle_once(event, handler)
                return None
            except Exception as exc:  # noqa: BLE001 - any handler failure is retried, then dead-lettered
                if is_database_unavailable(exc):
                    # Not the event's fault: wait for the database as long as it takes (the
                    # offset is not committed meanwhile), and never dead-letter for it.
                    log.warning("database unavailable while handling %s: %s", event.type, exc)
                    await asyncio.sleep(outage_wait)
                    outage_wait = min(outage_wait * 2, 5.0)
                    continue
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
                attempt += 1
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


def _header(record: ConsumerRecord, name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name and value:
            return bytes(value).decode("latin-1")
    return None


__all__ = ["EventConsumer", "Handler", "inbox_table"]
