"""Admins' location management, and the events booking published during the suite checked
against their JSON Schemas and identity's notification templates."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from devstack.testing import TestIssuer, error_code, graphql

from ..doubles import Doubles
from .helpers import slots_of
from .world import book, new_tenant

CREATE = """mutation($input: LocationInput!) { createLocation(input: $input) {
  id code phone services { serviceType slotMinutes capacityPerSlot bookingWindowDays
  cancelDeadlineHours } openingHours { weekday opens closes } } }"""
UPDATE = """mutation($id: ID!, $input: LocationInput!) { updateLocation(id: $id, input: $input) {
  id name services { capacityPerSlot } } }"""


def location_input(code: str, capacity: int = 2, **service: Any) -> dict[str, Any]:
    hours = [
        {"weekday": w, "opens": o, "closes": c}
        for w in range(7)
        for o, c in [("09:00", "10:00"), ("13:30", "14:00")]
    ]
    return {
        "code": code,
        "name": "青岛市测试办证大厅",
        "address": "山东省青岛市市南区测试路2号",
        "district": "370202",
        "phone": "0532-80000000",
        "services": [
            {
                "serviceType": "EXIT_ENTRY",
                "slotMinutes": 30,
                "capacityPerSlot": capacity,
                "bookingWindowDays": 7,
                "cancelDeadlineHours": 0,
                "openingHours": hours,
                **service,
            }
        ],
    }


async def test_admin_creates_a_location_with_breaks_and_changes_its_capacity(
    booking: httpx.AsyncClient, doubles: Doubles, issuer: TestIssuer
) -> None:
    admin = issuer.token(str(uuid.uuid4()), ["ADMIN"])
    tenant = new_tenant(doubles, issuer)
    code = f"T-{uuid.uuid4().hex[:8].upper()}"
    assert (
        error_code(
            await graphql(booking, CREATE, {"input": location_input(code)}, token=tenant.token)
        )
        == "FORBIDDEN"
    )

    created = (await graphql(booking, CREATE, {"input": location_input(code)}, token=admin))[
        "data"
    ]["createLocation"]

    slots = await slots_of(booking, tenant.token, created["id"])
    per_day: dict[str, int] = {}
    for slot in slots:
        per_day[slot["startsAt"][:10]] = per_day.get(slot["startsAt"][:10], 0) + 1
    assert set(per_day.values()) <= {3}  # 09:00, 09:30, 13:30: the lunch break has none
    assert "errors" not in await book(booking, tenant, slots[0]["id"])
    again = await graphql(booking, CREATE, {"input": location_input(code)}, token=admin)
    assert error_code(again) == "CONFLICT"

    updated = await graphql(
        booking, UPDATE, {"id": created["id"], "input": location_input(code, 5)}, token=admin
    )
    assert updated["data"]["updateLocation"]["services"] == [{"capacityPerSlot": 5}]
    first = (await slots_of(booking, tenant.token, created["id"]))[0]
    assert (first["capacity"], first["remaining"]) == (5, 4)


async def test_location_input_reports_every_wrong_field(
    booking: httpx.AsyncClient, issuer: TestIssuer
) -> None:
    admin = issuer.token(str(uuid.uuid4()), ["ADMIN"])
    bad = location_input("x", capacity=0, slotMinutes=1)
    bad["district"] = "37"
    bad["services"][0]["openingHours"] += [
        {"weekday": 9, "opens": "09:30", "closes": "09:00"},
        {"weekday": 0, "opens": "09:30", "closes": "11:00"},
    ]
    body = await graphql(booking, CREATE, {"input": bad}, token=admin)
    assert error_code(body) == "VALIDATION_FAILED"
    paths = {f["path"] for f in body["errors"][0]["extensions"]["fields"]}
    assert paths >= {
        "code",
        "district",
        "services[0].capacityPerSlot",
        "services[0].slotMinutes",
        "services[0].openingHours[14].weekday",
        "services[0].openingHours[14].closes",
    }
    assert any(p.endswith(".opens") for p in paths)  # the overlapping Monday period
