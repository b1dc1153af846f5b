from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from filing.db import metadata, vault
from servicekit.crypto import EncryptedString, keep_blind_index


class Base(DeclarativeBase):
    metadata = metadata


class AccountProjection(Base):
    """Identity's accounts as last heard from `identity.account.*` events (may lag slightly)."""

    __tablename__ = "account_projection"

    account_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    # Encrypted at rest; looked up by its keyed hash (DATA_PROTECTION.md).
    phone: Mapped[str | None] = mapped_column(EncryptedString(vault, "account_projection.phone"))
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(24))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


keep_blind_index(AccountProjection.phone, "phone_hash", vault, "phone")
