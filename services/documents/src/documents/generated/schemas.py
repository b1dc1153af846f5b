from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from documents.generated.models import Document


@dataclass(frozen=True)
class PlannedDocument:
    """A document whose id and token exist before its file: the renderer prints
    `verification_url` as the QR code, then stores the file with this plan."""

    id: uuid.UUID
    kind: str
    subject_id: str
    revision: int
    content_sha256: str
    created_at: datetime
    token: str
    verification_url: str


@dataclass(frozen=True)
class StoredDocument:
    document: Document
    token: str
    verification_url: str
