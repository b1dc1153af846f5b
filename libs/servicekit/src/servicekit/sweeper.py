"""A worker's periodic batch job: every `interval_seconds`, call `step(session, batch)` in its own
unit of work until a call handles fewer than a batch. Several replicas may sweep at once when
`step` skips locked rows. A failed pass (database or network away) is logged and retried on the
next tick: the loop outlives outages. Run it as `ServiceParts.background`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.db import Database

log = logging.getLogger(__name__)

BATCH = 100

Step = Callable[[AsyncSession, int], Awaitable[int]]


class BatchSweeper:
    def __init__(
        self, db: Database, step: Step, interval_seconds: float, *, name: str, done: str
    ) -> None:
        """`done` is the log line of a pass that handled rows, with `%d` for how many."""
        self.db = db
        self.step = step
        self.interval = interval_seconds
        self.name = name
        self.done = done
        self._task: asyncio.Task[None] | None = None

    async def sweep(self) -> int:
        """One pass: batches until one is not full; how many rows were handled."""
        total = 0
        while True:
            async with self.db.unit_of_work() as session:
                handled = await self.step(session, BATCH)
            total += handled
            if handled < BATCH:
                return total

    async def _run(self) -> None:
        while True:
            try:
                if handled := await self.sweep():
                    log.info(self.done, handled)
            except (SQLAlchemyError, OSError) as exc:
                log.warning("%s pass failed: %s", self.name, exc)
            await asyncio.sleep(self.interval)

    async def start(self) -> None:
        if self.interval > 0 and self._task is None:
            self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
