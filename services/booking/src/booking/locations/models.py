"""Where appointments happen and when each location serves.

A location offers one or more service types (`location_services`), each with its own slot length,
capacity per slot, booking window and cancellation deadline, and its own weekly opening hours
(`opening_hours`, several periods a day, e.g. a lunch break). `closed_days` are ad-hoc closures of
the whole location; public holidays come from the working-day calendar, not from this table.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    SmallInteger,
    String,
    Time,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from booking.db import metadata


class Base(DeclarativeBase):
    metadata = metadata


class ServiceType(StrEnum):
    EXIT_ENTRY = "EXIT_ENTRY"  # foreigner business at an exit-entry hall
    LABOUR_PERMIT = "LABOUR_PERMIT"  # labour service window (work permits)


class Location(Base):
    __tablename__ = "locations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # e.g. QD-SN-EXIT
    name: Mapped[str] = mapped_column(String(128))
    address: Mapped[str] = mapped_column(String(255))
    district: Mapped[str] = mapped_column(String(6))  # GB/T 2260 code, e.g. 370202
    phone: Mapped[str | None] = mapped_column(String(20))  # printed on appointment slips
    is_active: Mapped[bool] = mapped_column(default=True, server_default="true")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    # lazy="raise": async code must load these explicitly (repository uses selectinload).
    services: Mapped[list[LocationService]] = relationship(
        lazy="raise", order_by="LocationService.service_type"
    )
    opening_hours: Mapped[list[OpeningHours]] = relationship(
        lazy="raise",
        order_by="(OpeningHours.service_type, OpeningHours.weekday, OpeningHours.opens)",
    )


class LocationService(Base):
    """A service type a location offers, and how it is booked there."""

    __tablename__ = "location_services"
    __table_args__ = (
        CheckConstraint("slot_minutes > 0", name="slot_minutes_positive"),
        CheckConstraint("capacity_per_slot > 0", name="capacity_positive"),
        CheckConstraint("booking_window_days > 0", name="booking_window_positive"),
        CheckConstraint(
            "booking_starts_days >= 1 AND booking_starts_days <= booking_window_days",
            name="booking_starts_in_window",
        ),
        CheckConstraint("cancel_deadline_hours >= 0", name="cancel_deadline_not_negative"),
    )

    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    service_type: Mapped[ServiceType] = mapped_column(String(24), primary_key=True)
    slot_minutes: Mapped[int]
    capacity_per_slot: Mapped[int]
    # Bookable days run from `booking_starts_days` (1 = tomorrow) to `booking_window_days` days
    # ahead, China time.
    booking_window_days: Mapped[int]
    booking_starts_days: Mapped[int] = mapped_column(default=1, server_default="1")
    # An appointment can be cancelled until this many hours before it starts.
    cancel_deadline_hours: Mapped[int]


class OpeningHours(Base):
    """One opening period of one service on one weekday (0 = Monday … 6 = Sunday), China time."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        ForeignKeyConstraint(
            ["location_id", "service_type"],
            ["location_services.location_id", "location_services.service_type"],
            ondelete="CASCADE",
        ),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("opens < closes", name="opens_before_closes"),
    )

    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    service_type: Mapped[ServiceType] = mapped_column(String(24), primary_key=True)
    weekday: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    opens: Mapped[time] = mapped_column(Time, primary_key=True)
    closes: Mapped[time] = mapped_column(Time)


class ClosedDay(Base):
    """An ad-hoc closure of the whole location (renovation, system maintenance, …)."""

    __tablename__ = "closed_days"

    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    reason: Mapped[str] = mapped_column(String(255))
