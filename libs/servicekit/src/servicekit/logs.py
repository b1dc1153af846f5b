"""Structured JSON logs with the request id of the current request (or event id of the message)."""

from __future__ import annotations

import logging
import re
import sys
from contextvars import ContextVar

from opentelemetry import trace
from pythonjsonlogger.json import JsonFormatter

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
# W3C trace context of the request or message being handled: forwarded by the gateway, passed
# on in gRPC metadata and written into every event the request publishes.
traceparent_var: ContextVar[str | None] = ContextVar("traceparent", default=None)

# Mainland mobiles, resident ID numbers and long document numbers are masked in every log line.
_PERSONAL = re.compile(
    r"(?<![\w.])(1[3-9]\d)\d{4}(\d{4})(?!\d)|(?<!\w)(\d{6})\d{8}(\d{3}[\dXx])(?!\w)"
)


def mask_personal_data(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        if match.group(1):
            return f"{match.group(1)}****{match.group(2)}"
        return f"{match.group(3)}********{match.group(4)}"

    return _PERSONAL.sub(repl, text)


def trace_ids() -> tuple[str | None, str | None]:
    """(trace id, span id) of the current span, else of the `traceparent` being handled: a log
    line can then be found from a trace and the other way round."""
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        return format(context.trace_id, "032x"), format(context.span_id, "016x")
    parts = (traceparent_var.get() or "").split("-")
    if len(parts) == 4 and len(parts[1]) == 32 and len(parts[2]) == 16:
        return parts[1], parts[2]
    return None, None


_PLAIN = logging.Formatter()


class _ContextFilter(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        record.request_id = request_id_var.get()
        record.traceparent = traceparent_var.get()
        record.trace_id, record.span_id = trace_ids()
        # The arguments too: `log.info("code sent to %s", phone)` must not print the phone.
        try:
            text = record.getMessage()
        except (TypeError, ValueError):  # wrong arguments: logging prints the raw message then
            text = str(record.msg)
        record.msg, record.args = mask_personal_data(text), None
        # Tracebacks quote values (a failed INSERT shows its row): formatted here, masked.
        if record.exc_info:
            record.exc_text = mask_personal_data(_PLAIN.formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return True


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s "
            "%(service)s %(request_id)s %(traceparent)s %(trace_id)s %(span_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(_ContextFilter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("aiokafka", "kafka", "uvicorn.access", "sqlalchemy.engine"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
