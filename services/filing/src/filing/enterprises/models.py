from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from filing.accounts.models import Base
from servicekit.db import utcnow


class EnterpriseStatus(StrEnum):
    UNFILED = "UNFILED"  # no approved filing yet
    FILED = "FILED"


class FilingStatus(StrEnum):
    DRAFT = "DRAFT"
    BRANCH_REVIEW = "BRANCH_REVIEW"
    CITY_REVIEW = "CITY_REVIEW"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class RecordType(StrEnum):
    NEW = "NEW"
    CHANGE = "CHANGE"


class Enterprise(Base):
    __tablename__ = "enterprises"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    # Unknown for enterprises imported from the old system until the liaison supplements it.
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    is_legacy: Mapped[bool] = mapped_column(default=False, server_default="false")
    district: Mapped[str | None] = mapped_column(String(6), index=True)
    status: Mapped[str] = mapped_column(String(16), default=EnterpriseStatus.UNFILED)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class EnterpriseMember(Base):
    """The enterprise an account acts for (one per account)."""

    __tablename__ = "enterprise_members"

    account_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Filing(Base):
    """One filing record; `data` is the form as last saved, `revision` grows on each edit after
    a rejection. `version` guards against saving a stale form."""

    __tablename__ = "filings"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.id"), index=True)
    record_type: Mapped[str] = mapped_column(String(8), default=RecordType.NEW)
    status: Mapped[str] = mapped_column(String(16), default=FilingStatus.DRAFT)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_by: Mapped[uuid.UUID] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy API


class Liaison(Base):
    """外管联络员: 1–2 per enterprise; `account_id` links the liaison's own account when known."""

    __tablename__ = "liaisons"
    __table_args__ = (UniqueConstraint("enterprise_id", "mobile"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.id"), index=True)
    account_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str | None] = mapped_column(String(8))
    id_type: Mapped[str | None] = mapped_column(String(16))
    id_number: Mapped[str | None] = mapped_column(String(32))
    mobile: Mapped[str] = mapped_column(String(20))
    position: Mapped[str | None] = mapped_column(String(64))
    social_security_months: Mapped[int | None] = mapped_column(Integer)
    photo_attachment_id: Mapped[uuid.UUID | None] = mapped_column()
    position_order: Mapped[int] = mapped_column(Integer, default=0)
