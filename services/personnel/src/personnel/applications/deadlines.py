"""The pre-review due date: submission + 5 working days (DOMAIN.md §4), same time of day, counted
on the Chinese working-day calendar (public holidays off, 调休 make-up weekend days on)."""

from __future__ import annotations

from datetime import datetime

from servicekit.calendar import CHINA_TZ, WorkingCalendar


def pre_review_due(
    calendar: WorkingCalendar, submitted_at: datetime, working_days: int
) -> datetime:
    return calendar.add_working_days(submitted_at.astimezone(CHINA_TZ), working_days)


def is_overdue(due_at: datetime | None, now: datetime) -> bool:
    return due_at is not None and due_at < now
