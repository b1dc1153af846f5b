from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from booking.locations.models import ClosedDay, Location, LocationService, ServiceType


def _with_schedule() -> Select[Location]:
    return select(Location).options(
        selectinload(Location.services), selectinload(Location.opening_hours)
    )


async def get(
    session: AsyncSession,
    location_id: uuid.UUID,
    *,
    for_update: bool = False,
    refresh: bool = False,
) -> Location | None:
    query = _with_schedule().where(Location.id == location_id)
    if for_update:
        query = query.with_for_update(of=Location)
    if refresh:
        query = query.execution_options(populate_existing=True)
    return await session.scalar(query)


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Location]:
    return list(await session.scalars(_with_schedule().where(Location.id.in_(ids))))


async def active(session: AsyncSession, service_type: ServiceType | None) -> list[Location]:
    """Active locations, by code; with `service_type`, only those offering it."""
    query = _with_schedule().where(Location.is_active.is_(True)).order_by(Location.code)
    if service_type is not None:
        offering = select(LocationService.location_id).where(
            LocationService.service_type == service_type
        )
        query = query.where(Location.id.in_(offering))
    return list(await session.scalars(query))


async def closed_days(
    session: AsyncSession, location_id: uuid.UUID, first: date, last: date
) -> list[ClosedDay]:
    return list(
        await session.scalars(
            select(ClosedDay)
            .where(ClosedDay.location_id == location_id, ClosedDay.day.between(first, last))
            .order_by(ClosedDay.day)
        )
    )


async def add_closed_day(session: AsyncSession, closed: ClosedDay) -> bool:
    """False when the day was already closed."""
    result = await session.execute(
        insert(ClosedDay)
        .values(location_id=closed.location_id, day=closed.day, reason=closed.reason)
        .on_conflict_do_nothing()
        .returning(ClosedDay.day)
    )
    return result.first() is not None


async def remove_closed_day(session: AsyncSession, location_id: uuid.UUID, day: date) -> bool:
    result = await session.execute(
        delete(ClosedDay)
        .where(ClosedDay.location_id == location_id, ClosedDay.day == day)
        .returning(ClosedDay.day)
    )
    return result.first() is not None
