from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Integer, String, func
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
    # The enterprise whose users may read it; None for an upload by an officer (officers only)
    # and for one by a user who acts for no enterprise yet (then `owner_account_id`).
    owner_enterprise_id: Mapped[str | None] = mapped_column(String(64), index=True)
    # The account that may read it: a liaison who is not yet a member of an enterprise (e.g. one
    # taking over an already filed enterprise) uploads its forms before filing makes it one.
    owner_account_id: Mapped[str | None] = mapped_column(String(64), index=True)
    uploaded_by: Mapped[str] = mapped_column(String(64))  # account id
    # What the QR code of a printed form says (a form this system generated, printed, signed and
    # scanned): set only when its token verified as genuine, so filing can tell which revision
    # was signed. None for other files and for a form without a readable, genuine code.
    printed_kind: Mapped[str | None] = mapped_column(String(64))
    printed_subject_id: Mapped[str | None] = mapped_column(String(64))
    printed_revision: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
