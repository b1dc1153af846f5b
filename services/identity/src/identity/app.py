"""ASGI entry point: `uvicorn identity.app:create_app --factory`, or `identity serve`."""

from __future__ import annotations

from fastapi import FastAPI

from identity.config import IdentitySettings
from identity.inject import build_container, build_parts
from servicekit.runtime import build_app


def create_app(settings: IdentitySettings | None = None) -> FastAPI:
    return build_app(build_parts(build_container(settings or IdentitySettings())))
