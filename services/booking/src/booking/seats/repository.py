"""Seat counting in single SQL statements: no read-then-write, so replicas cannot oversell.

`take` creates the slot's row on demand (`INSERT … ON CONFLICT DO NOTHING`), then increments it
only while a seat is free (`UPDATE … WHERE booked < capacity RETURNING`). Concurrent takers of
the same row queue on its row lock; each re-checks `booked < capacity` against the committed
value once it gets the lock (PostgreSQL re-evaluates the WHERE clause of an UPDATE on the newest
row version), so exactly `capacity` of them succeed. The CHECK constraint `booked <= capacity`
is the last line of defence.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Table, and_, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from booking.locations.models import ServiceType
from booking.seats.models import SlotSeats

seats: Table = SlotSeats.__table__  # type: ignore[assignment]


@dataclass(frozen=True, order=True)
class SeatKey:
    location_id: uuid.UUID
    service_type: ServiceType
    starts_at: datetime


def _is(key: SeatKey) -> ColumnElement[bool]:
    return and_(
        seats.c.location_id == key.location_id,
        seats.c.service_type == str(key.service_type),
        seats.c.starts_at == key.starts_at,
    )


async def ensure(session: AsyncSession, key: SeatKey, capacity: int) -> None:
    await session.execute(
        insert(seats)
        .values(
            location_id=key.location_id,
            service_type=str(key.service_type),
            starts_at=key.starts_at,
            capacity=capacity,
            booked=0,
        )
        .on_conflict_do_nothing()
    )


async def take(session: AsyncSession, key: SeatKey, capacity: int) -> bool:
    """Takes one seat if one is free; False when the slot is full."""
    await ensure(session, key, capacity)
    result = await session.execute(
        update(seats)
        .where(_is(key), seats.c.booked < seats.c.capacity)
        .values(booked=seats.c.booked + 1)
        .returning(seats.c.booked)
    )
    return result.first() is not None


async def release(session: AsyncSession, key: SeatKey) -> None:
    await session.execute(
        update(seats).where(_is(key), seats.c.booked > 0).values(booked=seats.c.booked - 1)
    )


async def lock(session: AsyncSession, keys: Iterable[SeatKey]) -> None:
    """Locks existing rows in key order, so that two transactions that both need two rows (two
    reschedules swapping slots) take them in the same order and never deadlock."""
    ordered = sorted(set(keys))
    if not ordered:
        return
    columns = tuple_(seats.c.location_id, seats.c.service_type, seats.c.starts_at)
    values = [(k.location_id, str(k.service_type), k.starts_at) for k in ordered]
    await session.execute(
        select(seats.c.booked)
        .where(columns.in_(values))
        .order_by(seats.c.location_id, seats.c.service_type, seats.c.starts_at)
        .with_for_update()
    )


async def taken(
    session: AsyncSession,
    location_id: uuid.UUID,
    service_type: ServiceType,
    first: datetime,
    last: datetime,
) -> dict[datetime, tuple[int, int]]:
    """(capacity, booked) by slot start, for the rows that exist between two starts."""
    rows = await session.execute(
        select(seats.c.starts_at, seats.c.capacity, seats.c.booked).where(
            seats.c.location_id == location_id,
            seats.c.service_type == str(service_type),
            seats.c.starts_at.between(first, last),
        )
    )
    return {row.starts_at: (row.capacity, row.booked) for row in rows}


async def get_many(session: AsyncSession, keys: list[SeatKey]) -> dict[SeatKey, tuple[int, int]]:
    if not keys:
        return {}
    columns = tuple_(seats.c.location_id, seats.c.service_type, seats.c.starts_at)
    values = [(k.location_id, str(k.service_type), k.starts_at) for k in keys]
    rows = await session.execute(
        select(
            seats.c.location_id,
            seats.c.service_type,
            seats.c.starts_at,
            seats.c.capacity,
            seats.c.booked,
        ).where(columns.in_(values))
    )
    return {
        SeatKey(r.location_id, ServiceType(r.service_type), r.starts_at): (r.capacity, r.booked)
        for r in rows
    }


async def set_capacity(
    session: AsyncSession,
    location_id: uuid.UUID,
    service_type: ServiceType,
    capacity: int,
    after: datetime,
) -> None:
    """A new capacity for future slots; never below the seats already taken (those keep their
    appointments), so the CHECK constraint holds."""
    await session.execute(
        update(seats)
        .where(
            seats.c.location_id == location_id,
            seats.c.service_type == str(service_type),
            seats.c.starts_at > after,
        )
        .values(capacity=func.greatest(capacity, seats.c.booked))
    )
