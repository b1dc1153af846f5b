from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ARRAY, BigInteger, DateTime, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from identity.db import metadata, vault
from servicekit.crypto import EncryptedString, keep_blind_index


class Base(DeclarativeBase):
    metadata = metadata


class AccountStatus(StrEnum):
    PENDING_APPROVAL = "PENDING_APPROVAL"
    ACTIVE = "ACTIVE"
    REJECTED = "REJECTED"
    DISABLED = "DISABLED"


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    # A phone registration's username is the phone: both are encrypted, and found (and kept
    # unique) by their keyed hashes (DATA_PROTECTION.md).
    username: Mapped[str] = mapped_column(EncryptedString(vault, "accounts.username"))
    username_hash: Mapped[str] = mapped_column(String(64), unique=True)
    phone: Mapped[str | None] = mapped_column(EncryptedString(vault, "accounts.phone"))
    phone_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    # Districts (GB/T 2260 codes) a branch officer's branch covers.
    districts: Mapped[list[str]] = mapped_column(ARRAY(String(6)), server_default="{}")
    status: Mapped[AccountStatus] = mapped_column(String(24))
    password_change_required: Mapped[bool] = mapped_column(default=False)
    exam_passed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    approval_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    reviewed_by: Mapped[uuid.UUID | None] = mapped_column()
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    # Sign-in lockout: failures inside the current window, and a lock that grows each time.
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    failed_window_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lock_level: Mapped[int] = mapped_column(default=0, server_default="0")
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LegacyImport(Base):
    """One row of the old system's export that became an account (re-imports change nothing)."""

    __tablename__ = "legacy_imports"

    phone_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    phone: Mapped[str] = mapped_column(EncryptedString(vault, "legacy_imports.phone"))
    enterprise_name: Mapped[str] = mapped_column(String(200))
    liaison_name: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    imported_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class RefreshToken(Base):
    """Stored hashed; rotated on every use. A family shares one login; reuse revokes it."""

    __tablename__ = "refresh_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    family_id: Mapped[uuid.UUID] = mapped_column(index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SignInFailure(Base):
    """A wrong password or unknown username from one client address (IPv6: its /64 network):
    the per-address sign-in limit counts the last hour of these; a sweeper deletes older ones."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_client_ip_attempted", "client_ip", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    client_ip: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )


keep_blind_index(Account.username, "username_hash", vault, "username")
keep_blind_index(Account.phone, "phone_hash", vault, "phone")
keep_blind_index(LegacyImport.phone, "phone_hash", vault, "phone")
