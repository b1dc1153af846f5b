from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from booking.locations.models import ServiceType


@dataclass(frozen=True)
class WaitlistJoin:
    location_id: str
    service_type: ServiceType
    day: date
    foreign_person_id: str | None = None
    application_id: str | None = None
