from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from filing.accounts.models import Base
from filing.db import vault
from servicekit.crypto import EncryptedJSON, EncryptedString, keep_blind_index
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
    NEW = "NEW"  # 新增
    CHANGE = "CHANGE"  # 变更


class ChangeKind(StrEnum):
    """What a CHANGE record changes (附件3 and 附件4)."""

    INFORMATION = "INFORMATION"  # name, address, legal representative, phone (附件4)
    LIAISON_CHANGE = "LIAISON_CHANGE"  # the current liaison names a replacement (附件3 一(一))
    LIAISON_ADDITION = "LIAISON_ADDITION"  # a second liaison (附件3 二)
    LIAISON_TAKEOVER = "LIAISON_TAKEOVER"  # a new liaison files again for a filed enterprise
    #                                         when the old one is unreachable (附件3 一(二))


class ReviewLevel(StrEnum):
    BRANCH = "BRANCH"  # 分局
    CITY = "CITY"  # 市局


class Enterprise(Base):
    __tablename__ = "enterprises"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    # Unknown for enterprises imported from the old system until the liaison supplements it.
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    is_legacy: Mapped[bool] = mapped_column(default=False, server_default="false")
    district: Mapped[str | None] = mapped_column(String(6), index=True)
    status: Mapped[str] = mapped_column(String(16), default=EnterpriseStatus.UNFILED)
    # The approved filing data as it is now (empty before the first approval) and its number.
    # Form data (legal representative's ID number, phones) is encrypted whole: SQL never looks
    # inside it (DATA_PROTECTION.md).
    data: Mapped[dict[str, Any]] = mapped_column(
        EncryptedJSON(vault, "enterprises.data"), default=dict
    )
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class MemberRole(StrEnum):
    LIAISON = "LIAISON"  # 外管联络员: files and changes the filing (phone account)
    HR = "HR"  # the labour-side contact (e-mail account): foreign persons and permits only


class EnterpriseMember(Base):
    """The enterprise an account acts for (one per account), and as what."""

    __tablename__ = "enterprise_members"

    account_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.id"), index=True)
    role: Mapped[str] = mapped_column(
        String(8), default=MemberRole.LIAISON, server_default=MemberRole.LIAISON
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Filing(Base):
    """One filing record; `data` is the form as last saved. `revision` is the number the printed
    forms carry: it grows on an edit after a rejection, and on a change of data after a form of
    the current revision was printed (so a printed form always shows its revision's data).
    `version` guards against concurrent writes."""

    __tablename__ = "filings"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.id"), index=True)
    record_type: Mapped[str] = mapped_column(String(8), default=RecordType.NEW)
    status: Mapped[str] = mapped_column(String(16), default=FilingStatus.DRAFT)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    change_kind: Mapped[str | None] = mapped_column(String(20))
    data: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON(vault, "filings.data"), default=dict)
    # CHANGE records: the approved data they started from (what the reviewer's diff compares).
    base_data: Mapped[dict[str, Any] | None] = mapped_column(
        EncryptedJSON(vault, "filings.base_data")
    )
    district: Mapped[str | None] = mapped_column(String(6), index=True)
    created_by: Mapped[uuid.UUID] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The revision a form was last printed for (a later change of data starts a new revision).
    printed_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Attachment kinds the last rejection named: they must be uploaded again for the new revision.
    renew_kinds: Mapped[list[str]] = mapped_column(
        ARRAY(String(24)), default=list, server_default="{}"
    )
    # The officer reviewing it now (claim), until the claim expires.
    claimed_by: Mapped[uuid.UUID | None] = mapped_column()
    claimed_by_name: Mapped[str | None] = mapped_column(String(64))
    claim_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy API


class Liaison(Base):
    """外管联络员: 1–2 per enterprise; `account_id` links the liaison's own account when known."""

    __tablename__ = "liaisons"
    __table_args__ = (UniqueConstraint("enterprise_id", "mobile_hash"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.id"), index=True)
    account_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str | None] = mapped_column(String(8))
    id_type: Mapped[str | None] = mapped_column(String(16))
    id_number: Mapped[str | None] = mapped_column(EncryptedString(vault, "liaisons.id_number"))
    mobile: Mapped[str] = mapped_column(EncryptedString(vault, "liaisons.mobile"))
    mobile_hash: Mapped[str] = mapped_column(String(64))
    position: Mapped[str | None] = mapped_column(String(64))
    social_security_months: Mapped[int | None] = mapped_column(Integer)
    photo_attachment_id: Mapped[uuid.UUID | None] = mapped_column()
    position_order: Mapped[int] = mapped_column(Integer, default=0)


class FilingRevision(Base):
    """The data of a record as submitted, once per submitted revision (for the reviewer's diff)."""

    __tablename__ = "filing_revisions"

    filing_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("filings.id"), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON(vault, "filing_revisions.data"))
    submitted_by: Mapped[uuid.UUID] = mapped_column()
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FiledAttachment(Base):
    """An uploaded file (owned by the documents service) placed in one of a record's slots at a
    revision. The newest row of a slot is the current one; older rows are kept as history."""

    __tablename__ = "filed_attachments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    filing_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("filings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    # Which liaison of the form an ID card or social security proof is for (0 or 1).
    liaison_index: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    attachment_id: Mapped[uuid.UUID] = mapped_column()
    revision: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(255))
    attached_by: Mapped[uuid.UUID] = mapped_column()
    attached_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Review(Base):
    """One decision of one level (分局/市局) on one submitted revision (审批意见)."""

    __tablename__ = "reviews"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    filing_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("filings.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(8))
    approved: Mapped[bool] = mapped_column()
    comment: Mapped[str | None] = mapped_column(String(2000))
    field_issues: Mapped[list[dict[str, str]]] = mapped_column(JSONB, default=list)
    attachment_issues: Mapped[list[dict[str, str]]] = mapped_column(JSONB, default=list)
    officer_id: Mapped[uuid.UUID] = mapped_column()
    officer_name: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EnterpriseVersion(Base):
    """Every approved version of an enterprise's data (新增 and each approved 变更)."""

    __tablename__ = "enterprise_versions"

    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("filings.id"))
    record_type: Mapped[str] = mapped_column(String(8))
    change_kind: Mapped[str | None] = mapped_column(String(20))
    data: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON(vault, "enterprise_versions.data"))
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEntry(Base):
    """Who did what to which record, when: every state change and every officer's read of a
    full record. Written in the same transaction as the change it records."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[uuid.UUID] = mapped_column(index=True)
    actor_name: Mapped[str] = mapped_column(String(64))
    actor_roles: Mapped[list[str]] = mapped_column(ARRAY(String(24)))
    action: Mapped[str] = mapped_column(String(32), index=True)
    filing_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    enterprise_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


keep_blind_index(Liaison.mobile, "mobile_hash", vault, "phone")
