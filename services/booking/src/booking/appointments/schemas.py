from __future__ import annotations

from dataclasses import dataclass

from booking.locations.models import ServiceType


@dataclass(frozen=True)
class BookingForm:
    slot_id: str
    service_type: ServiceType
    foreign_person_id: str | None = None
    application_id: str | None = None
