"""ASGI entry point: `uvicorn personnel.app:create_app --factory`, or `personnel serve`."""

from __future__ import annotations

from fastapi import FastAPI

from personnel.config import PersonnelSettings
from personnel.inject import build_container, build_parts
from servicekit.runtime import build_app


def create_app(settings: PersonnelSettings | None = None) -> FastAPI:
    return build_app(build_parts(build_container(settings or PersonnelSettings())))
