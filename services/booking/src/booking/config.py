from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings


class BookingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="BOOKING_", extra="ignore")

    http_port: int = 8004
    grpc_port: int = 50054
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1/booking"
