"""The one place where booking's adapters are wired."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from booking.appointments.closures import Closures
from booking.appointments.people_client import PersonnelPeople
from booking.appointments.service import Appointments
from booking.appointments.slips import SlipPrinter
from booking.appointments.subjects import Subjects
from booking.config import BookingSettings
from booking.db import outbox
from booking.graphql.context import BookingContext
from booking.graphql.schema import build_schema
from booking.grpc.appointments import register
from booking.locations.admin import LocationAdmin
from booking.slots.service import Slots
from booking.waitlist.service import Waitlist
from booking.waitlist.sweeper import OfferSweeper
from servicekit.auth import JwksVerifier
from servicekit.calendar import WorkingCalendar
from servicekit.db import Database, make_engine
from servicekit.filing_client import FilingEnterprises
from servicekit.outbox import Outbox
from servicekit.runtime import ServiceParts

SOURCE = "/services/booking"


@dataclass
class Container:
    settings: BookingSettings
    db: Database
    verifier: JwksVerifier
    slots: Slots
    filing: FilingEnterprises
    people: PersonnelPeople
    printer: SlipPrinter
    admin: LocationAdmin
    waitlist: Waitlist
    appointments: Appointments
    closures: Closures


def build_container(settings: BookingSettings) -> Container:
    db = Database(make_engine(settings.database_url, settings.database_pool_size))
    verifier = JwksVerifier(settings.jwks_url, settings.jwt_issuer, settings.jwt_audience)
    deadline = settings.grpc_deadline_seconds
    filing = FilingEnterprises(settings.filing_grpc_target, deadline)
    people = PersonnelPeople(settings.personnel_grpc_target, deadline)
    printer = SlipPrinter(settings.documents_grpc_target, deadline)
    events = Outbox(outbox, SOURCE)
    slots = Slots(calendar=WorkingCalendar())
    subjects = Subjects(filing, people)
    waitlist = Waitlist(slots, subjects, events, timedelta(minutes=settings.offer_hold_minutes))
    appointments = Appointments(
        slots, subjects, waitlist, events, printer, settings.fallback_location_phone
    )
    return Container(
        settings=settings,
        db=db,
        verifier=verifier,
        slots=slots,
        filing=filing,
        people=people,
        printer=printer,
        admin=LocationAdmin(),
        waitlist=waitlist,
        appointments=appointments,
        closures=Closures(waitlist, events),
    )


def build_parts(container: Container) -> ServiceParts:
    settings = container.settings
    sweeper = OfferSweeper(container.db, container.waitlist, settings.offer_sweep_seconds)

    return ServiceParts(
        name="booking",
        settings=settings,
        db=container.db,
        verifier=container.verifier,
        outbox=outbox,
        register_grpc=register(container.db),
        schema=build_schema(dev=settings.is_dev),
        context=lambda: BookingContext(container),
        background=[sweeper],  # a worker's loop: expires unclaimed waitlist offers
        on_stop=[
            container.filing.close,
            container.people.close,
            container.printer.close,
        ],
    )
