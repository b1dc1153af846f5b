from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime, String, UniqueConstraint, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.elements import conv

from personnel.db import metadata, vault
from servicekit.crypto import EncryptedString, keep_blind_index


class Base(DeclarativeBase):
    metadata = metadata


class Sex(StrEnum):
    MALE = "MALE"
    FEMALE = "FEMALE"


class TravelDocumentType(StrEnum):
    PASSPORT = "PASSPORT"
    HK_MO_PERMIT = "HK_MO_PERMIT"
    TW_PERMIT = "TW_PERMIT"
    OTHER = "OTHER"


DOCUMENT_UNIQUE = "uq_foreign_persons_enterprise_document"


class ForeignPerson(Base):
    """A foreign person (境外人员) employed by one enterprise (filing's enterprise id)."""

    __tablename__ = "foreign_persons"
    __table_args__ = (
        UniqueConstraint(
            "enterprise_id", "document_type", "document_number_hash", name=conv(DOCUMENT_UNIQUE)
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    enterprise_id: Mapped[uuid.UUID] = mapped_column()
    surname: Mapped[str] = mapped_column(String(64))
    given_names: Mapped[str] = mapped_column(String(64))
    chinese_name: Mapped[str | None] = mapped_column(String(32))
    sex: Mapped[Sex] = mapped_column(String(8))
    birth_date: Mapped[date] = mapped_column(Date)
    nationality: Mapped[str] = mapped_column(String(3))
    document_type: Mapped[TravelDocumentType] = mapped_column(String(16))
    document_number: Mapped[str] = mapped_column(
        EncryptedString(vault, "foreign_persons.document_number")
    )
    # Keyed hash of the normalised number: duplicates and exact search (DATA_PROTECTION.md).
    document_number_hash: Mapped[str] = mapped_column(String(64))
    issuing_state: Mapped[str | None] = mapped_column(String(3))
    document_expiry: Mapped[date] = mapped_column(Date)
    visa_type: Mapped[str | None] = mapped_column(String(32))
    visa_number: Mapped[str | None] = mapped_column(
        EncryptedString(vault, "foreign_persons.visa_number")
    )
    visa_expiry: Mapped[date | None] = mapped_column(Date)
    entry_date: Mapped[date | None] = mapped_column(Date)
    entry_port: Mapped[str | None] = mapped_column(String(64))
    position: Mapped[str | None] = mapped_column(String(64))
    mobile: Mapped[str | None] = mapped_column(EncryptedString(vault, "foreign_persons.mobile"))
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    created_by: Mapped[uuid.UUID] = mapped_column()


keep_blind_index(ForeignPerson.document_number, "document_number_hash", vault, "document")
