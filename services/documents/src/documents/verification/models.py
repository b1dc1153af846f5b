from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from documents.db import Base


class SigningKey(Base):
    """Public part of every key that ever signed tokens, so old tokens verify after rotation."""

    __tablename__ = "signing_keys"

    # RFC 7638 thumbprint of the public key (base64url sha256, 43 characters).
    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Raw Ed25519 public key, base64url.
    public_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Set when another key became the active one; a retired key still verifies.
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class VerificationLog(Base):
    """One row per verification attempt, genuine or not."""

    __tablename__ = "verifications"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    # sha256 hex of the token as presented (the token itself is not kept).
    token_digest: Mapped[str] = mapped_column(String(64), index=True)
    genuine: Mapped[bool]
    document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("documents.id"), index=True)
    client_ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(512))
    verified_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
