"""Appointments and their booking numbers.

One active (BOOKED) appointment per foreign person and service type, enforced by a partial unique
index. An appointment made for a passed employment application also names the application's
person, so the rule covers both ways of booking.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from booking.locations.models import Base, ServiceType


class AppointmentStatus(StrEnum):
    BOOKED = "BOOKED"
    CANCELLED = "CANCELLED"
    ATTENDED = "ATTENDED"
    NO_SHOW = "NO_SHOW"


class CancelReason(StrEnum):
    BY_USER = "BY_USER"
    LOCATION_CLOSED = "LOCATION_CLOSED"


ACTIVE_PERSON_INDEX = "uq_appointments_active_person_service"


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        Index(
            ACTIVE_PERSON_INDEX,
            "foreign_person_id",
            "service_type",
            unique=True,
            postgresql_where=text("status = 'BOOKED'"),
        ),
        Index("ix_appointments_location_starts_at", "location_id", "starts_at"),
        Index("ix_appointments_enterprise_created_at", "enterprise_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # e.g. YY2026120300042
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"))
    service_type: Mapped[ServiceType] = mapped_column(String(24))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[AppointmentStatus] = mapped_column(String(16))
    # Bumped on reschedule: the slip's QR carries it, so an old printout reads as superseded.
    revision: Mapped[int] = mapped_column(default=1)
    foreign_person_id: Mapped[uuid.UUID]
    application_id: Mapped[uuid.UUID | None]
    enterprise_id: Mapped[uuid.UUID]
    booked_by: Mapped[uuid.UUID]  # the account that booked: told about changes
    # Printed on the slip and shown to officers; copied when booked (personnel and filing own
    # the records).
    person_name: Mapped[str] = mapped_column(String(200))
    enterprise_name: Mapped[str] = mapped_column(String(200))
    cancel_reason: Mapped[CancelReason | None] = mapped_column(String(24))
    cancel_note: Mapped[str | None] = mapped_column(String(255))
    handled_by: Mapped[uuid.UUID | None]  # the officer who marked attended / no-show
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    @property
    def is_booked(self) -> bool:
        return self.status == AppointmentStatus.BOOKED


class BookingNumberCounter(Base):
    """Last sequence used per booking day (China time): numbers are gap-free per day."""

    __tablename__ = "booking_number_counters"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int]
