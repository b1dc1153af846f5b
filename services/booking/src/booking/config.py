from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings


class BookingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="BOOKING_", extra="ignore")

    http_port: int = 8004
    grpc_port: int = 50054
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1/booking"
    # filing.v1.Enterprises: which enterprise the caller acts for.
    filing_grpc_target: str = "127.0.0.1:50052"
    # personnel.v1.People: the foreign person or passed application an appointment is for.
    personnel_grpc_target: str = "127.0.0.1:50053"
    # documents.v1.Documents: renders appointment slips.
    documents_grpc_target: str = "127.0.0.1:50055"

    # Waitlist: a released seat is held for the first waiting entry this long (the held seat
    # counts as taken); unclaimed, it moves on to the next entry.
    offer_hold_minutes: float = 30
    # How often the sweeper looks for offers whose hold ran out (0: never, e.g. in unit tests).
    offer_sweep_seconds: float = 15
    # Printed on slips of locations that have no telephone number of their own.
    fallback_location_phone: str = "12345"
