"""Scores attempts whose time ran out while nobody touched them, so that their outcome (and the
`identity.exam.passed/failed` event) does not wait for the candidate to come back."""

from __future__ import annotations

from identity.exam.service import Exams
from servicekit.db import Database
from servicekit.sweeper import BatchSweeper


class ExpiredAttemptSweeper(BatchSweeper):
    def __init__(self, db: Database, exams: Exams, interval_seconds: float) -> None:
        super().__init__(
            db,
            exams.finish_expired,
            interval_seconds,
            name="exam-sweeper",
            done="scored %d expired exam attempts",
        )
