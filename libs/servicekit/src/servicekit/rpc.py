"""gRPC (grpc.aio) server bootstrap and client calls.

Server: health checking, reflection, and one interceptor that maps `AppError` to a status code.
Client: every call has a deadline; transport failures become `UpstreamUnavailable`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Generic, TypeVar

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from opentelemetry.trace import SpanKind
from prometheus_client import Counter, Histogram

from servicekit import errors, tracing
from servicekit.logs import request_id_var, traceparent_var

log = logging.getLogger(__name__)

# Labels: the full method name (from the protos, a bounded set) and the status code name.
SERVER_CALLS = Counter("grpc_server_calls_total", "gRPC calls served", ["method", "status"])
SERVER_LATENCY = Histogram("grpc_server_call_seconds", "gRPC call handling time", ["method"])
CLIENT_CALLS = Counter("grpc_client_calls_total", "gRPC calls made", ["method", "status"])
CLIENT_LATENCY = Histogram("grpc_client_call_seconds", "gRPC call time seen by callers", ["method"])

STATUS_OF: dict[errors.ErrorCode, grpc.StatusCode] = {
    errors.ErrorCode.UNAUTHENTICATED: grpc.StatusCode.UNAUTHENTICATED,
    errors.ErrorCode.FORBIDDEN: grpc.StatusCode.PERMISSION_DENIED,
    errors.ErrorCode.NOT_FOUND: grpc.StatusCode.NOT_FOUND,
    errors.ErrorCode.VALIDATION_FAILED: grpc.StatusCode.INVALID_ARGUMENT,
    errors.ErrorCode.INVALID_STATE: grpc.StatusCode.FAILED_PRECONDITION,
    errors.ErrorCode.CONFLICT: grpc.StatusCode.ALREADY_EXISTS,
    errors.ErrorCode.RATE_LIMITED: grpc.StatusCode.RESOURCE_EXHAUSTED,
    errors.ErrorCode.INTERNAL: grpc.StatusCode.INTERNAL,
}

ERROR_OF: dict[grpc.StatusCode, type[errors.AppError]] = {
    grpc.StatusCode.UNAUTHENTICATED: errors.Unauthenticated,
    grpc.StatusCode.PERMISSION_DENIED: errors.Forbidden,
    grpc.StatusCode.NOT_FOUND: errors.NotFound,
    grpc.StatusCode.FAILED_PRECONDITION: errors.InvalidState,
    grpc.StatusCode.ALREADY_EXISTS: errors.Conflict,
    grpc.StatusCode.RESOURCE_EXHAUSTED: errors.RateLimited,
}


class ErrorInterceptor(grpc.aio.ServerInterceptor):
    """Maps AppError to a status code and sets the caller's request id for the logs."""

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        if handler is None or handler.unary_unary is None:
            return handler
        inner = handler.unary_unary
        metadata = dict(handler_call_details.invocation_metadata or ())
        method = handler_call_details.method

        async def unary(request: Any, context: grpc.aio.ServicerContext) -> Any:
            token = request_id_var.set(str(metadata.get("x-request-id", "")) or None)
            trace = traceparent_var.set(str(metadata.get("traceparent", "")) or None)
            started, status = time.perf_counter(), grpc.StatusCode.OK
            try:
                with _server_span(method, metadata) as span:
                    try:
                        return await inner(request, context)
                    except errors.AppError as exc:
                        status = STATUS_OF.get(exc.code, grpc.StatusCode.UNKNOWN)
                        span.set_attribute("rpc.grpc.status_code", status.value[0])
                        await context.abort(
                            status, json.dumps({"code": exc.code.value, "message": exc.message.en})
                        )
            except grpc.aio.AbortError:  # the handler or the mapping above set a status
                status = _status_of(context.code(), status)
                raise
            except Exception:
                status = grpc.StatusCode.UNKNOWN
                raise
            finally:
                request_id_var.reset(token)
                traceparent_var.reset(trace)
                SERVER_LATENCY.labels(method).observe(time.perf_counter() - started)
                SERVER_CALLS.labels(method, status.name).inc()

        return grpc.unary_unary_rpc_method_handler(
            unary,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )


def _status_of(code: Any, fallback: grpc.StatusCode) -> grpc.StatusCode:
    """grpc.aio reports the aborted status as a StatusCode or its integer value."""
    if isinstance(code, grpc.StatusCode):
        return code
    for status in grpc.StatusCode:
        if status.value[0] == code:
            return status
    return fallback


def _server_span(method: str, metadata: dict[str, Any]) -> Any:
    """A server span continuing the caller's client span (W3C `traceparent` in the metadata)."""
    parent = str(metadata.get("traceparent", "")) or None
    service, _, name = method.lstrip("/").partition("/")
    return tracing.start_span(
        method.lstrip("/"),
        SpanKind.SERVER,
        parent=parent,
        attributes={"rpc.system": "grpc", "rpc.service": service, "rpc.method": name},
    )


async def start_server(
    host: str,
    port: int,
    register: Callable[[grpc.aio.Server], Iterable[str]],
) -> tuple[grpc.aio.Server, int]:
    """Starts a server with `register(server)` → full service names it added. Returns the port."""
    server = grpc.aio.server(interceptors=[ErrorInterceptor()])
    names = list(register(server))
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for name in names:
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    await health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    reflection.enable_server_reflection(
        [*names, health.SERVICE_NAME, reflection.SERVICE_NAME], server
    )
    bound = server.add_insecure_port(f"{host}:{port}")
    await server.start()
    return server, bound


# Retries only for idempotent reads: every method of the platform's internal services is a read.
_READ_RETRY_CONFIG = json.dumps(
    {
        "methodConfig": [
            {
                "name": [{}],
                "retryPolicy": {
                    "maxAttempts": 3,
                    "initialBackoff": "0.05s",
                    "maxBackoff": "0.5s",
                    "backoffMultiplier": 2,
                    "retryableStatusCodes": ["UNAVAILABLE"],
                },
            }
        ]
    }
)


def channel(target: str) -> grpc.aio.Channel:
    return grpc.aio.insecure_channel(
        target, options=[("grpc.service_config", _READ_RETRY_CONFIG), ("grpc.enable_retries", 1)]
    )


Response = TypeVar("Response")
Stub = TypeVar("Stub")


class LazyStub(Generic[Stub]):
    """A client stub whose channel opens on first use, inside the running event loop that
    grpc.aio binds it to (an app built before uvicorn starts its loop must not open it)."""

    def __init__(self, target: str, stub_class: Callable[[grpc.aio.Channel], Stub]) -> None:
        self.target = target
        self._stub_class = stub_class
        self._channel: grpc.aio.Channel | None = None
        self._stub: Stub | None = None

    @property
    def stub(self) -> Stub:
        if self._stub is None:
            self._channel = channel(self.target)
            self._stub = self._stub_class(self._channel)
        return self._stub

    async def close(self) -> None:
        if self._channel is not None:
            channel_, self._channel, self._stub = self._channel, None, None
            await channel_.close()


async def call(
    method: Callable[..., Awaitable[Response]], request: Any, *, timeout: float
) -> Response:
    """Calls a unary method with a deadline and maps failures to AppError, in a client span
    whose context goes to the server as `traceparent`."""
    name = _method_name(method)
    started, status = time.perf_counter(), grpc.StatusCode.OK
    service, _, short = name.lstrip("/").partition("/")
    attributes = {"rpc.system": "grpc", "rpc.service": service, "rpc.method": short}
    with tracing.start_span(name.lstrip("/"), SpanKind.CLIENT, attributes=attributes) as span:
        metadata = [("x-request-id", request_id_var.get() or "")]
        if trace := tracing.current_traceparent():
            metadata.append(("traceparent", trace))
        try:
            return await method(request, timeout=timeout, metadata=metadata)
        except grpc.aio.AioRpcError as exc:
            status = exc.code()
            span.set_attribute("rpc.grpc.status_code", status.value[0])
            error_class = ERROR_OF.get(exc.code())
            if error_class is not None:
                raise error_class() from exc
            tracing.mark_error(span, status.name)
            log.warning("gRPC call failed: %s %s", exc.code().name, exc.details())
            raise errors.UpstreamUnavailable() from exc
        finally:
            CLIENT_LATENCY.labels(name).observe(time.perf_counter() - started)
            CLIENT_CALLS.labels(name, status.name).inc()


def _method_name(method: Callable[..., Any]) -> str:
    """`/package.Service/Method` of a grpc.aio multicallable (it keeps the name it was made
    with); "unknown" for anything else, such as a test double."""
    raw = getattr(method, "_method", None)
    if isinstance(raw, bytes):
        return raw.decode()
    return raw if isinstance(raw, str) else "unknown"
