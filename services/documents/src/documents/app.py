"""ASGI entry point: `uvicorn documents.app:create_app --factory`, or `documents serve`."""

from __future__ import annotations

from fastapi import FastAPI

from documents.config import DocumentsSettings
from documents.inject import build_container, build_parts
from servicekit.runtime import build_app


def create_app(settings: DocumentsSettings | None = None) -> FastAPI:
    return build_app(build_parts(build_container(settings or DocumentsSettings())))
