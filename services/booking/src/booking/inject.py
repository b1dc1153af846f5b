"""The one place where booking's adapters are wired."""

from __future__ import annotations

from dataclasses import dataclass

from booking.config import BookingSettings
from booking.db import outbox
from booking.graphql.context import BookingContext
from booking.graphql.schema import build_schema
from booking.grpc.appointments import register
from booking.slots.service import Slots
from servicekit.auth import JwksVerifier
from servicekit.calendar import WorkingCalendar
from servicekit.db import Database, make_engine
from servicekit.runtime import ServiceParts


@dataclass
class Container:
    settings: BookingSettings
    db: Database
    verifier: JwksVerifier
    slots: Slots


def build_container(settings: BookingSettings) -> Container:
    db = Database(make_engine(settings.database_url, settings.database_pool_size))
    verifier = JwksVerifier(settings.jwks_url, settings.jwt_issuer, settings.jwt_audience)
    return Container(settings, db, verifier, Slots(calendar=WorkingCalendar()))


def build_parts(container: Container) -> ServiceParts:
    settings = container.settings

    return ServiceParts(
        name="booking",
        settings=settings,
        db=container.db,
        verifier=container.verifier,
        outbox=outbox,
        register_grpc=register(),
        schema=build_schema(dev=settings.is_dev),
        context=lambda: BookingContext(container),
    )
