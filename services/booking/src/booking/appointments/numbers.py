"""Booking numbers: `YY` + the booking day (China time, yyyymmdd) + a 5-digit sequence of that
day, e.g. `YY2026120300042`. The sequence is gap-free: the day's counter row is incremented in
the booking's own transaction (and rolled back with it)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

PREFIX = "YY"


def format_number(day: date, sequence: int) -> str:
    return f"{PREFIX}{day:%Y%m%d}{sequence:05d}"


async def next_number(session: AsyncSession, day: date) -> str:
    """Take this last in a transaction: the counter row stays locked until the commit."""
    result = await session.execute(
        text(
            "INSERT INTO booking_number_counters (day, last) VALUES (:day, 1) "
            "ON CONFLICT (day) DO UPDATE SET last = booking_number_counters.last + 1 "
            "RETURNING last"
        ),
        {"day": day},
    )
    return format_number(day, int(result.scalar_one()))
