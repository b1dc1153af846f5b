"""Input of the admins' location management."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from booking.locations.models import ServiceType


@dataclass(frozen=True)
class PeriodForm:
    weekday: int  # 0 = Monday … 6 = Sunday
    opens: time
    closes: time


@dataclass(frozen=True)
class ServiceForm:
    service_type: ServiceType
    slot_minutes: int
    capacity_per_slot: int
    booking_window_days: int
    cancel_deadline_hours: int
    opening_hours: list[PeriodForm]
    booking_starts_days: int = 1


@dataclass(frozen=True)
class LocationForm:
    code: str
    name: str
    address: str
    district: str
    services: list[ServiceForm]
    phone: str | None = None
    is_active: bool = True
