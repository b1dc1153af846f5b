"""Appointments through the gateway (seed 000 五, seed 004 一.11): a foreign person at an
exit-entry hall, a passed application at the labour window; the slip, cancel, reschedule, the
officers' day list."""

from __future__ import annotations

import datetime as dt

import httpx

from devstack.testing import error_code

from .filing_steps import filed_enterprise, officer
from .test_permits import passed, person_of, submitted
from .test_slice import ask

LOCATIONS = """query($t: ServiceType) { bookingLocations(serviceType: $t) {
  id name services { serviceType cancelDeadlineHours } } }"""
SLOTS = """query($l: ID!, $t: ServiceType!, $from: Date!, $to: Date!) {
  availableSlots(locationId: $l, serviceType: $t, from: $from, to: $to) {
    id startsAt endsAt remaining } }"""
BOOK = """mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) {
  id number status revision slot { id startsAt remaining } location { name } } }"""
SLIP = "query($id: ID!) { appointment(id: $id) { revision slip { url revision kind } } }"
RESCHEDULE = """mutation($id: ID!, $s: ID!) { rescheduleAppointment(id: $id, slotId: $s) {
  id status revision slot { id } } }"""
CANCEL = "mutation($id: ID!) { cancelAppointment(id: $id) { id status } }"
MINE = "{ myAppointments { totalCount edges { node { id status number } } } }"
DAY = """query($l: ID!, $d: Date!) { appointmentsOfDay(locationId: $l, date: $d) {
  id number status personName } }"""


async def open_slots(
    gateway: httpx.AsyncClient, token: str, service_type: str
) -> tuple[str, list[dict[str, object]]]:
    """The free slots of the first location that can still be cancelled or rescheduled: the
    first bookable day (tomorrow) is inside a 24-hour cancellation deadline for part of the day."""
    locations = await ask(gateway, LOCATIONS, {"t": service_type}, token)
    first_location = locations["data"]["bookingLocations"][0]
    location = first_location["id"]
    (deadline_hours,) = [
        service["cancelDeadlineHours"]
        for service in first_location["services"]
        if service["serviceType"] == service_type
    ]
    # A few minutes of margin for the time the test takes between choosing and rescheduling.
    movable_from = dt.datetime.now(dt.UTC) + dt.timedelta(hours=deadline_hours, minutes=10)
    today = dt.date.today()
    slots = await ask(
        gateway,
        SLOTS,
        {
            "l": location,
            "t": service_type,
            "from": today.isoformat(),
            "to": (today + dt.timedelta(days=14)).isoformat(),
        },
        token,
    )
    free = [
        slot
        for slot in slots["data"]["availableSlots"]
        if slot["remaining"] > 0 and dt.datetime.fromisoformat(str(slot["startsAt"])) > movable_from
    ]
    assert len(free) >= 2, slots
    return location, free


async def test_a_foreign_person_books_reschedules_and_cancels_at_an_exit_entry_hall(
    gateway: httpx.AsyncClient,
) -> None:
    _, token, _ = await filed_enterprise(gateway)
    person = await person_of(gateway, token)
    location, free = await open_slots(gateway, token, "EXIT_ENTRY")
    first, second = free[0], free[-1]
    booked = await ask(
        gateway,
        BOOK,
        {"i": {"slotId": first["id"], "serviceType": "EXIT_ENTRY", "foreignPersonId": person}},
        token,
    )
    appointment = booked["data"]["bookAppointment"]
    assert appointment["status"] == "BOOKED" and appointment["number"]
    assert appointment["slot"]["remaining"] == first["remaining"] - 1  # type: ignore[operator]
    again = await ask(
        gateway,
        BOOK,
        {"i": {"slotId": second["id"], "serviceType": "EXIT_ENTRY", "foreignPersonId": person}},
        token,
    )
    assert error_code(again) == "CONFLICT"  # one active appointment per person and service

    slip = (await ask(gateway, SLIP, {"id": appointment["id"]}, token))["data"]["appointment"]
    pdf = await gateway.get(slip["slip"]["url"], headers={"authorization": f"Bearer {token}"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    moved = await ask(gateway, RESCHEDULE, {"id": appointment["id"], "s": second["id"]}, token)
    assert moved["data"]["rescheduleAppointment"]["revision"] == 2
    assert moved["data"]["rescheduleAppointment"]["slot"]["id"] == second["id"]

    day = str(second["startsAt"])[:10]
    desk = await officer(gateway, "city-officer")
    listed = await ask(gateway, DAY, {"l": location, "d": day}, desk)
    assert appointment["id"] in [row["id"] for row in listed["data"]["appointmentsOfDay"]]
    assert error_code(await ask(gateway, DAY, {"l": location, "d": day}, token)) == "FORBIDDEN"
    early = await ask(
        gateway,
        "mutation($id: ID!) { markAttended(id: $id) { status } }",
        {"id": appointment["id"]},
        desk,
    )
    assert error_code(early) == "INVALID_STATE"  # the slot has not started

    cancelled = await ask(gateway, CANCEL, {"id": appointment["id"]}, token)
    assert cancelled["data"]["cancelAppointment"]["status"] == "CANCELLED"
    mine = (await ask(gateway, MINE, token=token))["data"]["myAppointments"]
    assert [(n["node"]["id"], n["node"]["status"]) for n in mine["edges"]] == [
        (appointment["id"], "CANCELLED")
    ]
    _, stranger, _ = await filed_enterprise(gateway)
    assert error_code(await ask(gateway, SLIP, {"id": appointment["id"]}, stranger)) == (
        "NOT_FOUND"
    )
    other = await ask(
        gateway,
        BOOK,
        {"i": {"slotId": first["id"], "serviceType": "EXIT_ENTRY", "foreignPersonId": person}},
        stranger,
    )
    assert error_code(other) == "NOT_FOUND"  # another enterprise's person


async def test_a_passed_application_books_the_labour_window(gateway: httpx.AsyncClient) -> None:
    _, token, _ = await filed_enterprise(gateway)
    person = await person_of(gateway, token)
    application = await submitted(gateway, token, "LICENCE", person)
    _, free = await open_slots(gateway, token, "LABOUR_PERMIT")
    pending = await ask(
        gateway,
        BOOK,
        {
            "i": {
                "slotId": free[0]["id"],
                "serviceType": "LABOUR_PERMIT",
                "applicationId": application["id"],
            }
        },
        token,
    )
    assert error_code(pending) == "INVALID_STATE"  # not passed yet
    await passed(gateway, application["id"])
    booked = await ask(
        gateway,
        BOOK,
        {
            "i": {
                "slotId": free[0]["id"],
                "serviceType": "LABOUR_PERMIT",
                "applicationId": application["id"],
            }
        },
        token,
    )
    assert booked["data"]["bookAppointment"]["status"] == "BOOKED", booked
