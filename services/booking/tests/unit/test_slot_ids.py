from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime

import pytest

from booking.locations.models import ServiceType
from booking.slots.ids import SlotKey, parse_slot_id, slot_id
from servicekit.calendar import CHINA_TZ
from servicekit.errors import ValidationFailed

LOCATION = uuid.UUID("6f1c2a36-8d6e-4a55-9a53-1b7a0c0e2f10")
START = datetime(2026, 1, 6, 9, 30, tzinfo=CHINA_TZ)


def test_slot_id_is_stable_whatever_the_timezone_of_the_start() -> None:
    same_instant = START.astimezone(UTC)
    assert slot_id(LOCATION, ServiceType.EXIT_ENTRY, START) == slot_id(
        LOCATION, ServiceType.EXIT_ENTRY, same_instant
    )


def test_slot_id_differs_by_location_service_and_start() -> None:
    ids = {
        slot_id(LOCATION, ServiceType.EXIT_ENTRY, START),
        slot_id(uuid.uuid4(), ServiceType.EXIT_ENTRY, START),
        slot_id(LOCATION, ServiceType.LABOUR_PERMIT, START),
        slot_id(LOCATION, ServiceType.EXIT_ENTRY, START.replace(minute=0)),
    }
    assert len(ids) == 4


def test_slot_id_decodes_to_location_service_and_start() -> None:
    key = parse_slot_id(slot_id(LOCATION, ServiceType.LABOUR_PERMIT, START))
    assert key == SlotKey(LOCATION, ServiceType.LABOUR_PERMIT, START)


def encoded(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "raw",
    [
        "s2|6f1c2a36-8d6e-4a55-9a53-1b7a0c0e2f10|EXIT_ENTRY|2026-01-06T09:30+08:00",  # version
        "s1|not-a-uuid|EXIT_ENTRY|2026-01-06T09:30+08:00",
        "s1|6f1c2a36-8d6e-4a55-9a53-1b7a0c0e2f10|VISA|2026-01-06T09:30+08:00",
        "s1|6f1c2a36-8d6e-4a55-9a53-1b7a0c0e2f10|EXIT_ENTRY|2026-01-06T09:30",  # no offset
        "s1|6f1c2a36-8d6e-4a55-9a53-1b7a0c0e2f10|EXIT_ENTRY",
    ],
)
def test_slot_id_with_wrong_content_is_validation_failed_on_slot_id(raw: str) -> None:
    with pytest.raises(ValidationFailed) as failure:
        parse_slot_id(encoded(raw))
    assert failure.value.fields[0].path == "slotId"


@pytest.mark.parametrize("value", ["", "not base64!", "\u00e9\u00e9\u00e9\u00e9", "//79"])
def test_slot_id_that_is_not_an_encoded_slot_is_validation_failed(value: str) -> None:
    with pytest.raises(ValidationFailed) as failure:
        parse_slot_id(value)
    assert failure.value.fields[0].path == "slotId"
