from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from booking.locations.models import ServiceType
from booking.slots.ids import slot_id


@dataclass(frozen=True)
class SlotQuery:
    location_id: str
    service_type: ServiceType
    first: date  # inclusive
    last: date  # inclusive


@dataclass(frozen=True)
class Slot:
    location_id: uuid.UUID
    service_type: ServiceType
    starts_at: datetime  # China time (+08:00)
    ends_at: datetime
    capacity: int
    remaining: int

    @property
    def id(self) -> str:
        return slot_id(self.location_id, self.service_type, self.starts_at)
