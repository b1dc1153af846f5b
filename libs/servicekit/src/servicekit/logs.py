"""Structured JSON logs with the request id of the current request (or event id of the message)."""

from __future__ import annotations

import logging
import re
import sys
from contextvars import ContextVar

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


class _ContextFilter(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        record.request_id = request_id_var.get()
        record.traceparent = traceparent_var.get()
        if isinstance(record.msg, str):
            record.msg = mask_personal_data(record.msg)
        return True


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s "
            "%(service)s %(request_id)s %(traceparent)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(_ContextFilter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("aiokafka", "kafka", "uvicorn.access", "sqlalchemy.engine"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
