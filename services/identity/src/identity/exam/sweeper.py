"""Scores attempts whose time ran out while nobody touched them, so that their outcome (and the
`identity.exam.passed/failed` event) does not wait for the candidate to come back."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.exc import SQLAlchemyError

from identity.exam.service import Exams
from servicekit.db import Database

log = logging.getLogger(__name__)

BATCH = 100


class ExpiredAttemptSweeper:
    def __init__(self, db: Database, exams: Exams, interval_seconds: float) -> None:
        self.db = db
        self.exams = exams
        self.interval = interval_seconds
        self._task: asyncio.Task[None] | None = None

    async def sweep(self) -> int:
        """One pass; several replicas may sweep at once (locked rows are skipped)."""
        total = 0
        while True:
            async with self.db.unit_of_work() as session:
                finished = await self.exams.finish_expired(session, BATCH)
            total += finished
            if finished < BATCH:
                return total

    async def _run(self) -> None:
        while True:
            try:
                if finished := await self.sweep():
                    log.info("scored %d expired exam attempts", finished)
            except (SQLAlchemyError, OSError) as exc:
                log.warning("exam sweeper pass failed: %s", exc)
            await asyncio.sleep(self.interval)

    async def start(self) -> None:
        if self.interval > 0 and self._task is None:
            self._task = asyncio.create_task(self._run(), name="exam-sweeper")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
