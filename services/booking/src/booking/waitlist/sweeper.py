"""Expires waitlist offers whose hold ran out and passes their seats on, so that a seat does not
wait for the unresponsive holder to come back. Started with the service (`ServiceParts.on_start`);
several replicas may sweep at once (locked offers are skipped)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.exc import SQLAlchemyError

from booking.waitlist.service import Waitlist
from servicekit.db import Database

log = logging.getLogger(__name__)

BATCH = 100


class OfferSweeper:
    def __init__(self, db: Database, waitlist: Waitlist, interval_seconds: float) -> None:
        self.db = db
        self.waitlist = waitlist
        self.interval = interval_seconds
        self._task: asyncio.Task[None] | None = None

    async def sweep(self) -> int:
        total = 0
        while True:
            async with self.db.unit_of_work() as session:
                expired = await self.waitlist.expire_due(session, BATCH)
            total += expired
            if expired < BATCH:
                return total

    async def _run(self) -> None:
        while True:
            try:
                if expired := await self.sweep():
                    log.info("expired %d waitlist offers", expired)
            except (SQLAlchemyError, OSError) as exc:
                log.warning("waitlist sweeper pass failed: %s", exc)
            await asyncio.sleep(self.interval)

    async def start(self) -> None:
        if self.interval > 0 and self._task is None:
            self._task = asyncio.create_task(self._run(), name="waitlist-offer-sweeper")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
