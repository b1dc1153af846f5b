"""Events of the `booking.appointment.v1` topic (key = appointment id; a waitlist offer's id is
the id of the appointment it becomes). `accountIds` name the accounts identity's notifier tells.
No personal data (names, document numbers) is carried."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from booking.appointments.models import Appointment
from booking.locations.models import Location
from booking.waitlist.models import WaitlistEntry, WaitlistOffer
from servicekit.calendar import CHINA_TZ
from servicekit.db import utcnow

BOOKED = "booking.appointment.booked"
CANCELLED = "booking.appointment.cancelled"
RESCHEDULED = "booking.appointment.rescheduled"
ATTENDED = "booking.appointment.attended"
NO_SHOW = "booking.appointment.no_show"
OFFERED = "booking.appointment.offered"
OFFER_EXPIRED = "booking.appointment.offer_expired"
OFFER_WITHDRAWN = "booking.appointment.offer_withdrawn"


def _optional(value: object | None) -> str | None:
    return None if value is None else str(value)


def china_time(value: datetime) -> str:
    return value.astimezone(CHINA_TZ).isoformat(timespec="seconds")


def appointment_data(appointment: Appointment, location: Location, **extra: Any) -> dict[str, Any]:
    return {
        "appointmentId": str(appointment.id),
        "number": appointment.number,
        "status": str(appointment.status),
        "revision": appointment.revision,
        "serviceType": str(appointment.service_type),
        "locationId": str(location.id),
        "locationName": location.name,
        "startsAt": china_time(appointment.starts_at),
        "endsAt": china_time(appointment.ends_at),
        "enterpriseId": str(appointment.enterprise_id),
        "foreignPersonId": str(appointment.foreign_person_id),
        "applicationId": _optional(appointment.application_id),
        "accountIds": [str(appointment.booked_by)],
        "occurredAt": utcnow().isoformat(),
        **extra,
    }


def offer_data(
    offer: WaitlistOffer, entry: WaitlistEntry, location: Location, **extra: Any
) -> dict[str, Any]:
    return {
        "offerId": str(offer.id),
        "waitlistEntryId": str(entry.id),
        "status": str(offer.status),
        "serviceType": str(offer.service_type),
        "locationId": str(location.id),
        "locationName": location.name,
        "startsAt": china_time(offer.starts_at),
        "endsAt": china_time(offer.ends_at),
        "expiresAt": china_time(offer.expires_at),
        "enterpriseId": str(entry.enterprise_id),
        "foreignPersonId": str(entry.foreign_person_id),
        "applicationId": _optional(entry.application_id),
        "accountIds": [str(entry.account_id)],
        "occurredAt": utcnow().isoformat(),
        **extra,
    }
