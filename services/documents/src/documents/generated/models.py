from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from documents.db import Base


class Document(Base):
    """A generated (rendered) document: one row per revision of one kind for one subject.

    The current one is the highest revision per (kind, subject_id); lower ones are superseded.
    """

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint(
            "kind", "subject_id", "revision", name="uq_documents_kind_subject_revision"
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(64))
    # Id of what the document is about (a filing, an application, an appointment…), opaque here.
    subject_id: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    # sha256 of the stored file.
    sha256: Mapped[str] = mapped_column(String(64))
    # sha256 of what the verification token certifies. A document whose QR code is printed in
    # it cannot certify its own file hash, so a renderer passes the canonical content it prints;
    # a file stored without a planned token certifies the file itself (then equal to `sha256`).
    content_sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200))
    # Who may read it besides officers: users of the owner enterprise and the owner account.
    # With neither, any signed-in account may (e.g. the question bank study document).
    owner_enterprise_id: Mapped[str | None] = mapped_column(String(64), index=True)
    owner_account_id: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
