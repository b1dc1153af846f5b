"""One row per (location, service type, slot start) that anyone ever tried to book, created on
demand. `booked` counts the slot's BOOKED appointments plus the waitlist offers holding a seat in
it; the CHECK constraints make "more than capacity" impossible whatever the application does."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from booking.locations.models import Base, ServiceType


class SlotSeats(Base):
    __tablename__ = "slot_seats"
    __table_args__ = (
        CheckConstraint("booked >= 0", name="booked_not_negative"),
        CheckConstraint("booked <= capacity", name="booked_within_capacity"),
    )

    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    service_type: Mapped[ServiceType] = mapped_column(String(24), primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    capacity: Mapped[int]
    booked: Mapped[int] = mapped_column(default=0, server_default="0")
