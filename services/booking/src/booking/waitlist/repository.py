from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from booking.locations.models import ServiceType
from booking.waitlist.models import EntryStatus, OfferStatus, WaitlistEntry, WaitlistOffer

OPEN_ENTRY = (EntryStatus.WAITING, EntryStatus.OFFERED)


async def get_entry(
    session: AsyncSession, entry_id: uuid.UUID, *, for_update: bool = False
) -> WaitlistEntry | None:
    query = select(WaitlistEntry).where(WaitlistEntry.id == entry_id)
    if for_update:
        query = query.with_for_update()
    return await session.scalar(query)


async def get_offer(
    session: AsyncSession, offer_id: uuid.UUID, *, for_update: bool = False
) -> WaitlistOffer | None:
    query = select(WaitlistOffer).where(WaitlistOffer.id == offer_id)
    if for_update:
        query = query.with_for_update()
    return await session.scalar(query)


async def open_offer_of_entry(session: AsyncSession, entry_id: uuid.UUID) -> WaitlistOffer | None:
    return await session.scalar(
        select(WaitlistOffer)
        .where(WaitlistOffer.entry_id == entry_id, WaitlistOffer.status == OfferStatus.OPEN)
        .with_for_update()
    )


async def offers_of_entries(
    session: AsyncSession, entry_ids: list[uuid.UUID]
) -> dict[uuid.UUID, WaitlistOffer]:
    """The latest offer of each entry."""
    rows = await session.scalars(
        select(WaitlistOffer)
        .where(WaitlistOffer.entry_id.in_(entry_ids))
        .order_by(WaitlistOffer.created_at)
    )
    return {offer.entry_id: offer for offer in rows}


async def first_waiting(
    session: AsyncSession, location_id: uuid.UUID, service_type: ServiceType, day: date
) -> WaitlistEntry | None:
    """The longest-waiting entry for that day, locked; entries other transactions hold are
    skipped (another release is offering to them right now)."""
    return await session.scalar(
        select(WaitlistEntry)
        .where(
            WaitlistEntry.location_id == location_id,
            WaitlistEntry.service_type == service_type,
            WaitlistEntry.day == day,
            WaitlistEntry.status == EntryStatus.WAITING,
        )
        .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


async def open_entry_of_person(
    session: AsyncSession, person_id: uuid.UUID, service_type: ServiceType
) -> WaitlistEntry | None:
    return await session.scalar(
        select(WaitlistEntry)
        .where(
            WaitlistEntry.foreign_person_id == person_id,
            WaitlistEntry.service_type == service_type,
            WaitlistEntry.status.in_(OPEN_ENTRY),
        )
        .with_for_update()
    )


async def of_enterprise(session: AsyncSession, enterprise_id: uuid.UUID) -> list[WaitlistEntry]:
    return list(
        await session.scalars(
            select(WaitlistEntry)
            .where(WaitlistEntry.enterprise_id == enterprise_id)
            .order_by(WaitlistEntry.created_at.desc())
            .limit(100)
        )
    )


async def due_offers(session: AsyncSession, now: datetime, limit: int) -> list[WaitlistOffer]:
    return list(
        await session.scalars(
            select(WaitlistOffer)
            .where(WaitlistOffer.status == OfferStatus.OPEN, WaitlistOffer.expires_at <= now)
            .order_by(WaitlistOffer.expires_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )


async def open_on_day(
    session: AsyncSession, location_id: uuid.UUID, day: date
) -> tuple[list[WaitlistEntry], list[WaitlistOffer]]:
    """Open entries of a day and their open offers, locked (the day is being closed)."""
    entries = list(
        await session.scalars(
            select(WaitlistEntry)
            .where(
                WaitlistEntry.location_id == location_id,
                WaitlistEntry.day == day,
                WaitlistEntry.status.in_(OPEN_ENTRY),
            )
            .with_for_update()
        )
    )
    if not entries:
        return [], []
    offers = list(
        await session.scalars(
            select(WaitlistOffer)
            .where(
                WaitlistOffer.entry_id.in_([e.id for e in entries]),
                WaitlistOffer.status == OfferStatus.OPEN,
            )
            .with_for_update()
        )
    )
    return entries, offers
