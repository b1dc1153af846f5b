from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import conv

from personnel.db import vault
from personnel.people.models import Base
from servicekit.crypto import EncryptedJSON, EncryptedString, keep_blind_index


class ApplicationKind(StrEnum):
    LICENCE = "LICENCE"
    EXEMPT_RECRUITMENT = "EXEMPT_RECRUITMENT"
    REGISTRATION = "REGISTRATION"
    EXTENSION = "EXTENSION"
    HKMOTW_EMPLOYMENT = "HKMOTW_EMPLOYMENT"
    HKMOTW_EXTENSION = "HKMOTW_EXTENSION"


HKMOTW_KINDS = frozenset({ApplicationKind.HKMOTW_EMPLOYMENT, ApplicationKind.HKMOTW_EXTENSION})
# The forms of these kinds have the exit-entry bureau's opinion (市公安出入境管理部门意见), which
# must be stamped on the printed form and recorded before submitting.
OPINION_REQUIRED = frozenset({ApplicationKind.LICENCE, ApplicationKind.EXEMPT_RECRUITMENT})
# Kinds whose form has a box for that opinion (it may be recorded, but need not be).
OPINION_ACCEPTED = frozenset(set(ApplicationKind) - HKMOTW_KINDS)

KIND_NAMES = {
    ApplicationKind.LICENCE: "外国人就业许可证书申请",
    ApplicationKind.EXEMPT_RECRUITMENT: "外国人就业证申请（免办许可证书）",
    ApplicationKind.REGISTRATION: "外国人就业登记",
    ApplicationKind.EXTENSION: "外国人就业许可延期申请",
    ApplicationKind.HKMOTW_EMPLOYMENT: "台港澳人员就业证申请",
    ApplicationKind.HKMOTW_EXTENSION: "台港澳人员就业许可延期申请",
}


class SubmissionStatus(StrEnum):
    UNSUBMITTED = "UNSUBMITTED"  # 未提交
    SUBMITTED = "SUBMITTED"  # 已提交 (locked)


class ReviewStatus(StrEnum):
    NONE = "NONE"  # never submitted, or modified after a failed pre-review
    PENDING = "PENDING"  # 待预审
    PASSED = "PASSED"  # 预审通过
    FAILED = "FAILED"  # 预审不通过


REGISTRATION_BASIS_UNIQUE = "uq_employment_applications_registration_basis"
ISSUED_NUMBER_UNIQUE = "uq_employment_applications_issued_number"


class EmploymentApplication(Base):
    """One application of one kind for one foreign person of one enterprise."""

    __tablename__ = "employment_applications"
    __table_args__ = (
        # Exactly one registration form per licence-exempt recruitment application.
        Index(
            conv(REGISTRATION_BASIS_UNIQUE),
            "based_on_application_id",
            unique=True,
            postgresql_where=text("based_on_application_id IS NOT NULL"),
        ),
        Index(
            conv(ISSUED_NUMBER_UNIQUE),
            "issued_number_hash",
            unique=True,
            postgresql_where=text("issued_number_hash IS NOT NULL"),
        ),
        Index("ix_employment_applications_enterprise_created", "enterprise_id", "created_at"),
        Index("ix_employment_applications_queue", "submission", "due_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(16), unique=True)  # 申请编号, SQ + year + 6 digits
    enterprise_id: Mapped[uuid.UUID] = mapped_column()
    foreign_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("foreign_persons.id"))
    kind: Mapped[ApplicationKind] = mapped_column(String(24))
    submission: Mapped[SubmissionStatus] = mapped_column(String(16))
    review: Mapped[ReviewStatus] = mapped_column(String(16))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # The latest revision whose application form was printed (a data change after it starts a
    # new revision, so that the stamped paper of the old one is recognised as stale).
    printed_revision: Mapped[int | None] = mapped_column(Integer)
    tips_acknowledged: Mapped[bool] = mapped_column(Boolean)
    requirements_acknowledged: Mapped[bool] = mapped_column(Boolean, default=False)
    # camelCase keys as the API names them (validated per kind by `forms`). It holds HK/Macao/TW
    # identity card numbers: encrypted whole, as SQL never looks inside (DATA_PROTECTION.md).
    form: Mapped[dict[str, Any]] = mapped_column(
        EncryptedJSON(vault, "employment_applications.form")
    )
    # The person's earlier licence / certificate numbers: encrypted, never searched.
    licence_number: Mapped[str | None] = mapped_column(
        EncryptedString(vault, "employment_applications.licence_number")
    )
    certificate_number: Mapped[str | None] = mapped_column(
        EncryptedString(vault, "employment_applications.certificate_number")
    )
    based_on_application_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("employment_applications.id")
    )
    exit_entry_opinion: Mapped[str | None] = mapped_column(Text)
    exit_entry_opinion_attachment_id: Mapped[uuid.UUID | None] = mapped_column()
    # Licence number (LICENCE) or employment certificate number (REGISTRATION,
    # HKMOTW_EMPLOYMENT), issued when the pre-review passes.
    # Encrypted; found (and kept unique) by its keyed hash.
    issued_number: Mapped[str | None] = mapped_column(
        EncryptedString(vault, "employment_applications.issued_number")
    )
    issued_number_hash: Mapped[str | None] = mapped_column(String(64))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[uuid.UUID | None] = mapped_column()
    failure_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    @property
    def is_editable(self) -> bool:
        """修改: before submitting, or after a failed pre-review."""
        return self.submission == SubmissionStatus.UNSUBMITTED or (
            self.review == ReviewStatus.FAILED
        )


class NumberCounter(Base):
    """The last number issued per series and year (application numbers SQ, licences L,
    employment certificates E): the row lock serialises concurrent issues, without gaps."""

    __tablename__ = "number_counters"

    series: Mapped[str] = mapped_column(String(4), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class ApplicationAudit(Base):
    """Who did what to which application, and which officer read which; written in the same
    transaction as the change (or the read's request). `detail` holds issued licence and
    certificate numbers, so it is encrypted whole (SQL never looks inside it)."""

    __tablename__ = "application_audit"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor_id: Mapped[uuid.UUID] = mapped_column()
    actor_roles: Mapped[list[str]] = mapped_column(JSONB)
    action: Mapped[str] = mapped_column(String(48))
    application_id: Mapped[uuid.UUID] = mapped_column(index=True)
    enterprise_id: Mapped[uuid.UUID] = mapped_column()
    detail: Mapped[dict[str, Any]] = mapped_column(
        EncryptedJSON(vault, "application_audit.detail"), default=dict
    )


keep_blind_index(EmploymentApplication.issued_number, "issued_number_hash", vault, "issued")
