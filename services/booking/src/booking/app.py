"""ASGI entry point: `uvicorn booking.app:create_app --factory`, or `booking serve`."""

from __future__ import annotations

from fastapi import FastAPI

from booking.config import BookingSettings
from booking.inject import build_container, build_parts
from servicekit.runtime import build_app


def create_app(settings: BookingSettings | None = None) -> FastAPI:
    return build_app(build_parts(build_container(settings or BookingSettings())))
