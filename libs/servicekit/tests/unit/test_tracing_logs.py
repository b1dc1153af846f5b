"""Log lines carry the ids of the span they were written in, and never a personal number."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from opentelemetry.trace import SpanKind

from servicekit import tracing
from servicekit.logs import configure_logging, traceparent_var

PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.fixture
def output() -> Iterator[io.StringIO]:
    """What the service's JSON log handler writes (its stream swapped for a buffer)."""
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    tracing.configure_tracing("log-test")
    configure_logging("log-test")
    buffer = io.StringIO()
    handler = root.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)
    yield buffer
    root.handlers[:], root.level = saved, level


def read(output: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.getvalue().splitlines() if line]


def test_a_line_written_inside_a_span_has_its_trace_and_span_ids(output: io.StringIO) -> None:
    with tracing.start_span("work", SpanKind.SERVER, parent=PARENT) as span:
        logging.getLogger("x").info("inside")
        span_id = format(span.get_span_context().span_id, "016x")
    logging.getLogger("x").info("outside")
    inside, outside = read(output)
    assert inside["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert inside["span_id"] == span_id
    assert inside["traceparent"] == f"00-4bf92f3577b34da6a3ce929d0e0e4736-{span_id}-01"
    assert outside["trace_id"] is None


def test_a_line_outside_any_span_uses_the_traceparent_being_handled(output: io.StringIO) -> None:
    token = traceparent_var.set(PARENT)
    try:
        logging.getLogger("x").info("handling")
    finally:
        traceparent_var.reset(token)
    (line,) = read(output)
    assert (line["trace_id"], line["span_id"]) == (
        "4bf92f3577b34da6a3ce929d0e0e4736",
        "00f067aa0ba902b7",
    )


def test_personal_numbers_in_arguments_and_tracebacks_are_masked(output: io.StringIO) -> None:
    log = logging.getLogger("x")
    log.info("code sent to %s", "13912345678")
    try:
        raise ValueError("duplicate key (id_number)=(11010519491231002X)")
    except ValueError:
        log.exception("insert failed for %s", "13912345678")
    text = output.getvalue()
    assert "13912345678" not in text
    assert "11010519491231002X" not in text
    assert "139****5678" in text
    assert "110105********002X" in text
