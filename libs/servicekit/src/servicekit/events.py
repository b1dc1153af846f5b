"""CloudEvents 1.0 envelope (structured JSON mode) used on every topic."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

SPEC_VERSION = "1.0"


@dataclass(frozen=True)
class CloudEvent:
    type: str
    source: str
    subject: str
    data: dict[str, Any]
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    time: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    dataschema: str | None = None
    traceparent: str | None = None

    def to_json(self) -> bytes:
        body: dict[str, Any] = {
            "specversion": SPEC_VERSION,
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "subject": self.subject,
            "time": self.time,
            "datacontenttype": "application/json",
            "data": self.data,
        }
        if self.dataschema:
            body["dataschema"] = self.dataschema
        if self.traceparent:
            body["traceparent"] = self.traceparent
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> CloudEvent:
        body = json.loads(raw)
        if body.get("specversion") != SPEC_VERSION:
            raise ValueError(f"unsupported specversion {body.get('specversion')!r}")
        return cls(
            type=body["type"],
            source=body["source"],
            subject=body["subject"],
            data=body["data"],
            id=body["id"],
            time=body["time"],
            dataschema=body.get("dataschema"),
            traceparent=body.get("traceparent"),
        )


def topic_of(event_type: str) -> str:
    """`filing.enterprise.approved` → `filing.enterprise.v1` (one topic per aggregate stream)."""
    service, aggregate, _ = event_type.split(".", 2)
    return f"{service}.{aggregate}.v1"


def dlq_of(topic: str) -> str:
    return f"{topic}.dlq"
