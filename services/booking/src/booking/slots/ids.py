"""Slot ids: opaque to clients, stable, and decodable without a table (slots are computed).

The id encodes location, service type and start time; the same slot always gets the same id, so
a later booking can name it and be checked against the schedule it was computed from.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import datetime

from booking.locations.models import ServiceType
from servicekit.calendar import CHINA_TZ
from servicekit.errors import ValidationFailed

VERSION = "s1"


@dataclass(frozen=True)
class SlotKey:
    location_id: uuid.UUID
    service_type: ServiceType
    starts_at: datetime


def slot_id(location_id: uuid.UUID, service_type: ServiceType, starts_at: datetime) -> str:
    start = starts_at.astimezone(CHINA_TZ).isoformat(timespec="minutes")
    raw = f"{VERSION}|{location_id}|{service_type.value}|{start}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def parse_slot_id(value: str, path: str = "slotId") -> SlotKey:
    try:
        padded = value + "=" * (-len(value) % 4)
        raw = base64.urlsafe_b64decode(padded.encode()).decode()
        version, location, service, start = raw.split("|")
        if version != VERSION:
            raise ValueError(version)
        starts_at = datetime.fromisoformat(start)
        if starts_at.tzinfo is None:
            raise ValueError(start)
        return SlotKey(uuid.UUID(location), ServiceType(service), starts_at)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationFailed.single(path, "预约时段无效", "invalid slot id") from exc
