"""The consuming side of the event latency benchmark, in a module of its own so that a spawned
process can import it (`python -m bench` runs `bench/__main__.py` as `__main__`)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from servicekit.db import Database, make_engine, new_metadata
from servicekit.events import CloudEvent
from servicekit.inbox import EventConsumer, inbox_table
from servicekit.settings import KafkaSettings


def consume(url: str, bootstrap: str, group: str, events: int, ready: Any, results: Any) -> None:
    """The consuming service: its own process, as in production (another service's worker)."""

    async def run() -> None:
        metadata = new_metadata()
        inbox = inbox_table(metadata)
        db = Database(make_engine(url, 5))
        received: dict[str, float] = {}

        async def handler(session: object, event: CloudEvent) -> None:
            received[event.id] = time.time()
            if event.subject == "warmup":
                ready.set()
            elif len(received) == events + 1:  # every partition's events, and the warm-up
                results.put(received)

        consumer = EventConsumer(
            db,
            inbox,
            KafkaSettings(bootstrap_servers=bootstrap),
            group_id=group,
            handlers={"identity.exam.passed": handler},
        )
        try:
            await consumer.run()
        finally:
            await db.dispose()

    asyncio.run(run())
