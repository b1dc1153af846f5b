from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Client:
    """Who asked for a verification (kept in the verification log)."""

    ip: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class Verification:
    genuine: bool
    kind: str | None = None
    subject_id: str | None = None
    revision: int | None = None
    # No higher revision exists for the same kind and subject.
    current: bool = False
    # The highest revision of the same kind and subject (tells a superseded paper what replaced it).
    latest_revision: int | None = None
    issued_at: datetime | None = None
    document_id: uuid.UUID | None = None


NOT_GENUINE = Verification(genuine=False)


class TokenSubject(Protocol):
    """What a token is issued for: a stored document, or one planned before rendering."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def revision(self) -> int: ...

    @property
    def content_sha256(self) -> str: ...

    @property
    def created_at(self) -> datetime: ...
