"""FastAPI app shell shared by every service: request ids, /healthz, /readyz, /metrics."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from servicekit.logs import request_id_var, traceparent_var

log = logging.getLogger(__name__)

REQUESTS = Counter("http_requests_total", "HTTP requests", ["path", "status"])
LATENCY = Histogram("http_request_seconds", "HTTP request latency", ["path"])

# Probes and scrapes would bury the request traces; they are still counted.
_UNTRACED = frozenset({"/healthz", "/readyz", "/metrics"})


def _untraced(scope: MutableMapping[str, Any]) -> bool:
    return scope.get("path") in _UNTRACED


ReadinessCheck = Callable[[], Awaitable[None]]


def client_ip(connection: HTTPConnection | None) -> str | None:
    """The caller's address, as `ProxyHeadersMiddleware` (in `create_http_app`) set it: the
    nearest X-Forwarded-For hop that is not a trusted proxy, or the socket peer. A hop a client
    wrote itself is never chosen while a trusted proxy appended the real one after it."""
    if connection is None or connection.client is None:
        return None
    return connection.client.host or None


class RequestContextMiddleware:
    """Request id (from `x-request-id` or new) for the logs and the response, and metrics.
    The server span is FastAPI's own (see `create_http_app`).
    Plain ASGI: Starlette's BaseHTTPMiddleware costs a task and a stream per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        request_id = headers.get(b"x-request-id", b"").decode("latin-1") or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        trace = traceparent_var.set(headers.get(b"traceparent", b"").decode("latin-1") or None)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode("latin-1")),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)
            traceparent_var.reset(trace)
            path = _route_of(scope)
            LATENCY.labels(path).observe(time.perf_counter() - started)
            REQUESTS.labels(path, str(status)).inc()


def _route_of(scope: Scope) -> str:
    """The route template (`/verify/{token}`), never the raw path: metric labels stay bounded.
    A route of an included router (GraphQL's) has its path relative to the router's prefix;
    FastAPI keeps the full template in its effective route context."""
    effective = (scope.get("fastapi") or {}).get("effective_route_context")
    template = getattr(effective, "path_format", None)
    if isinstance(template, str) and template:
        return template
    return getattr(scope.get("route"), "path", None) or "unmatched"


def create_http_app(
    title: str,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]],
    readiness_checks: dict[str, ReadinessCheck],
    trusted_proxies: str = "127.0.0.1",
) -> FastAPI:
    """`trusted_proxies`: addresses and networks (comma-separated, `*` for all) whose
    X-Forwarded-For is believed (`ServiceSettings.forwarded_allow_ips`)."""
    app = FastAPI(
        title=title,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        # FastAPI's own OpenTelemetry server span (child of the caller's `traceparent`) on the
        # provider `servicekit.tracing` installs; its per-dependency spans are noise here.
        telemetry={"operation_spans": False, "exclude": _untraced},
    )

    app.add_middleware(RequestContextMiddleware)
    # Outermost, so that everything inside sees the client's address. uvicorn's own handling is
    # off (`serve`): it is not there when the app runs in-process in tests.
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=trusted_proxies)

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
