from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column

from documents.db import Base


class Attachment(Base):
    """One upload. Its bytes are stored once per content (`storage_key` derives from `sha256`):
    the same file uploaded twice is two attachments pointing at one blob."""

    __tablename__ = "attachments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(32))  # AttachmentKind
    # Sanitised (no path, no control characters, bounded length); shown and used on download.
    file_name: Mapped[str] = mapped_column(String(255))
    # Detected from the bytes, never taken from the client.
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    storage_key: Mapped[str] = mapped_column(String(200))
    # The enterprise whose users may read it; None for an upload by an officer (officers only).
    owner_enterprise_id: Mapped[str | None] = mapped_column(String(64), index=True)
    uploaded_by: Mapped[str] = mapped_column(String(64))  # account id
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
