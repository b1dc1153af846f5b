from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from identity.accounts.models import Base
from identity.db import vault
from servicekit.crypto import EncryptedString, keep_blind_index


class Channel(StrEnum):
    SMS = "SMS"
    EMAIL = "EMAIL"


class CodePurpose(StrEnum):
    REGISTER = "REGISTER"
    RESET_PASSWORD = "RESET_PASSWORD"


class VerificationCode(Base):
    __tablename__ = "verification_codes"
    __table_args__ = (
        Index("ix_verification_codes_recipient_created", "recipient_hash", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    channel: Mapped[Channel] = mapped_column(String(8))
    # A phone or an e-mail: encrypted, found by its keyed hash (DATA_PROTECTION.md).
    recipient: Mapped[str] = mapped_column(EncryptedString(vault, "verification_codes.recipient"))
    recipient_hash: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[CodePurpose] = mapped_column(String(24))
    code_hash: Mapped[str] = mapped_column(String(64))
    client_ip: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(default=0)
    consumed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Notification(Base):
    """Every SMS/e-mail sent, whatever the sender (console in dev, a gateway in production)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_recipient_sent", "recipient_hash", "sent_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    channel: Mapped[Channel] = mapped_column(String(8))
    recipient: Mapped[str] = mapped_column(EncryptedString(vault, "notifications.recipient"))
    recipient_hash: Mapped[str] = mapped_column(String(64))
    # Holds verification codes (and names of enterprises and people): encrypted, never searched.
    text: Mapped[str] = mapped_column(EncryptedString(vault, "notifications.text"))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


keep_blind_index(VerificationCode.recipient, "recipient_hash", vault, "recipient")
keep_blind_index(Notification.recipient, "recipient_hash", vault, "recipient")
