"""Expires waitlist offers whose hold ran out and passes their seats on, so that a seat does not
wait for the unresponsive holder to come back. Runs in the service's worker
(`ServiceParts.background`); several replicas may sweep at once (locked offers are skipped)."""

from __future__ import annotations

from booking.waitlist.service import Waitlist
from servicekit.db import Database
from servicekit.sweeper import BatchSweeper


class OfferSweeper(BatchSweeper):
    def __init__(self, db: Database, waitlist: Waitlist, interval_seconds: float) -> None:
        super().__init__(
            db,
            waitlist.expire_due,
            interval_seconds,
            name="waitlist-offer-sweeper",
            done="expired %d waitlist offers",
        )
