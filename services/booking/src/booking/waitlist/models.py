"""Waiting entries and the offers made to them.

An entry waits for any seat of one service at one location on one day. When a seat of that day
is released it becomes an offer to the first waiting entry: the seat stays counted as taken in
`slot_seats` while the offer is OPEN. Accepting turns the offer into an appointment with the
offer's id (so the appointment's events share the offer's Kafka key); an offer that expires or is
withdrawn passes its seat on to the next entry, or frees it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from booking.locations.models import Base, ServiceType


class EntryStatus(StrEnum):
    WAITING = "WAITING"
    OFFERED = "OFFERED"  # an OPEN offer holds a seat for it
    BOOKED = "BOOKED"  # its offer was accepted
    EXPIRED = "EXPIRED"  # its offer ran out unclaimed
    CANCELLED = "CANCELLED"  # left by the user, booked otherwise, or the day was closed


class OfferStatus(StrEnum):
    OPEN = "OPEN"
    ACCEPTED = "ACCEPTED"
    EXPIRED = "EXPIRED"
    WITHDRAWN = "WITHDRAWN"


OPEN_ENTRY_INDEX = "uq_waitlist_entries_open_person_service"


class WaitlistEntry(Base):
    __tablename__ = "waitlist_entries"
    __table_args__ = (
        Index(
            OPEN_ENTRY_INDEX,
            "foreign_person_id",
            "service_type",
            unique=True,
            postgresql_where=text("status IN ('WAITING', 'OFFERED')"),
        ),
        Index(
            "ix_waitlist_entries_queue",
            "location_id",
            "service_type",
            "day",
            "created_at",
            postgresql_where=text("status = 'WAITING'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"))
    service_type: Mapped[ServiceType] = mapped_column(String(24))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[EntryStatus] = mapped_column(String(16))
    foreign_person_id: Mapped[uuid.UUID]
    application_id: Mapped[uuid.UUID | None]
    enterprise_id: Mapped[uuid.UUID]
    account_id: Mapped[uuid.UUID]  # who joined: told about offers
    person_name: Mapped[str] = mapped_column(String(200))
    enterprise_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class WaitlistOffer(Base):
    __tablename__ = "waitlist_offers"
    __table_args__ = (
        Index(
            "uq_waitlist_offers_open_entry",
            "entry_id",
            unique=True,
            postgresql_where=text("status = 'OPEN'"),
        ),
        Index(
            "ix_waitlist_offers_open_expiry",
            "expires_at",
            postgresql_where=text("status = 'OPEN'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("waitlist_entries.id"))
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"))
    service_type: Mapped[ServiceType] = mapped_column(String(24))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[OfferStatus] = mapped_column(String(16))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
