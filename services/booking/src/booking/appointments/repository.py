from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from booking.appointments.models import ACTIVE_PERSON_INDEX, Appointment, AppointmentStatus
from booking.errors import AlreadyBooked
from booking.locations.models import ServiceType


async def get(
    session: AsyncSession, appointment_id: uuid.UUID, *, for_update: bool = False
) -> Appointment | None:
    query = select(Appointment).where(Appointment.id == appointment_id)
    if for_update:
        query = query.with_for_update()
    return await session.scalar(query)


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Appointment]:
    return list(await session.scalars(select(Appointment).where(Appointment.id.in_(ids))))


async def active_of_person(
    session: AsyncSession, person_id: uuid.UUID, service_type: ServiceType
) -> Appointment | None:
    return await session.scalar(
        select(Appointment).where(
            Appointment.foreign_person_id == person_id,
            Appointment.service_type == service_type,
            Appointment.status == AppointmentStatus.BOOKED,
        )
    )


async def of_enterprise(
    session: AsyncSession, enterprise_id: uuid.UUID, offset: int, limit: int
) -> tuple[list[Appointment], int]:
    """Newest first."""
    where = Appointment.enterprise_id == enterprise_id
    total = await session.scalar(select(func.count()).select_from(Appointment).where(where))
    rows = await session.scalars(
        select(Appointment)
        .where(where)
        .order_by(Appointment.created_at.desc(), Appointment.id)
        .offset(offset)
        .limit(limit)
    )
    return list(rows), int(total or 0)


async def between(
    session: AsyncSession,
    location_id: uuid.UUID,
    first: datetime,
    before: datetime,
    service_types: Collection[ServiceType] | None = None,
    *,
    booked_only: bool = False,
    for_update: bool = False,
) -> list[Appointment]:
    """Appointments at a location starting in [first, before), by start and number."""
    query = select(Appointment).where(
        Appointment.location_id == location_id,
        Appointment.starts_at >= first,
        Appointment.starts_at < before,
    )
    if service_types is not None:
        query = query.where(Appointment.service_type.in_(list(service_types)))
    if booked_only:
        query = query.where(Appointment.status == AppointmentStatus.BOOKED)
    query = query.order_by(Appointment.starts_at, Appointment.number)
    if for_update:
        query = query.with_for_update()
    return list(await session.scalars(query))


async def future_booked_count(
    session: AsyncSession, location_id: uuid.UUID, service_type: ServiceType, after: datetime
) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Appointment)
        .where(
            Appointment.location_id == location_id,
            Appointment.service_type == service_type,
            Appointment.status == AppointmentStatus.BOOKED,
            Appointment.starts_at > after,
        )
    )
    return int(count or 0)


async def flush_new(session: AsyncSession) -> None:
    """Flushes a new appointment; the one-active-appointment index answers CONFLICT."""
    try:
        await session.flush()
    except IntegrityError as exc:
        if ACTIVE_PERSON_INDEX in str(exc.orig):
            raise AlreadyBooked() from exc
        raise
