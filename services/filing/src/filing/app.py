"""ASGI entry point: `uvicorn filing.app:create_app --factory`, or `filing serve`."""

from __future__ import annotations

from fastapi import FastAPI

from filing.config import FilingSettings
from filing.inject import build_container, build_parts
from servicekit.runtime import build_app


def create_app(settings: FilingSettings | None = None) -> FastAPI:
    return build_app(build_parts(build_container(settings or FilingSettings())))
