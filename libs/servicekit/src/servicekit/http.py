"""FastAPI app shell shared by every service: request ids, /healthz, /readyz, /metrics."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.requests import HTTPConnection

from servicekit.logs import request_id_var

log = logging.getLogger(__name__)

REQUESTS = Counter("http_requests_total", "HTTP requests", ["path", "status"])
LATENCY = Histogram("http_request_seconds", "HTTP request latency", ["path"])

ReadinessCheck = Callable[[], Awaitable[None]]


def client_ip(connection: HTTPConnection | None) -> str | None:
    """The caller's address: the first X-Forwarded-For hop when the request came through the
    gateway or an ingress, else the socket peer."""
    if connection is None:
        return None
    forwarded = connection.headers.get("x-forwarded-for")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return connection.client.host if connection.client else None


def create_http_app(
    title: str,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]],
    readiness_checks: dict[str, ReadinessCheck],
) -> FastAPI:
    app = FastAPI(title=title, lifespan=lifespan, docs_url=None, redoc_url=None)

    @app.middleware("http")
    async def request_context(request: Request, call_next: Callable[[Request], Any]) -> Response:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response: Response = await call_next(request)
        finally:
            request_id_var.reset(token)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        LATENCY.labels(path).observe(time.perf_counter() - started)
        REQUESTS.labels(path, str(response.status_code)).inc()
        response.headers["x-request-id"] = request_id
        return response

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        failures: dict[str, str] = {}
        for name, check in readiness_checks.items():
            try:
                await check()
            except Exception as exc:  # noqa: BLE001 - readiness reports any failure
                failures[name] = type(exc).__name__
        status = 503 if failures else 200
        return JSONResponse({"ready": not failures, "failures": failures}, status_code=status)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return app
