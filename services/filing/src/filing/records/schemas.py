"""Input of the records service layer: a review decision and the filters of a list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select

from filing.enterprises.models import ChangeKind, Enterprise, Filing
from servicekit.errors import FieldErrors

MAX_ISSUES = 30
MAX_COMMENT = 2000
# The first segment of a field issue's path, by what the record holds.
FILING_FIELDS = {
    "enterpriseName",
    "uscc",
    "enterpriseType",
    "industry",
    "district",
    "registeredAddress",
    "operatingAddress",
    "phone",
    "legalRepresentative",
    "responsiblePerson",
    "liaisons",
}
CHANGE_FIELDS = FILING_FIELDS | {"reason"}
LIAISON_FIELDS = {"liaison"}


@dataclass(frozen=True)
class FieldIssue:
    field: str
    message: str

    def as_data(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


@dataclass(frozen=True)
class AttachmentIssue:
    kind: str
    message: str

    def as_data(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message}


@dataclass(frozen=True)
class Decision:
    approve: bool
    comment: str | None = None
    field_issues: list[FieldIssue] = field(default_factory=list)
    attachment_issues: list[AttachmentIssue] = field(default_factory=list)

    def check(self, record: Filing) -> None:
        """A rejection says why (a comment or at least one issue); issues name real fields."""
        errors = FieldErrors()
        comment = (self.comment or "").strip()
        if len(comment) > MAX_COMMENT:
            errors.add("input.comment", "审批意见过长", f"at most {MAX_COMMENT} characters")
        if (
            not self.approve
            and not comment
            and not self.field_issues
            and not self.attachment_issues
        ):
            errors.add(
                "input.comment",
                "驳回时请填写审批意见，或指出有问题的字段或附件",
                "a rejection needs a comment or at least one field or attachment issue",
            )
        if len(self.field_issues) + len(self.attachment_issues) > MAX_ISSUES:
            errors.add("input", f"问题最多{MAX_ISSUES}条", f"at most {MAX_ISSUES} issues")
        if record.change_kind in (ChangeKind.LIAISON_CHANGE, ChangeKind.LIAISON_ADDITION):
            known = LIAISON_FIELDS
        elif record.change_kind == ChangeKind.INFORMATION:
            known = CHANGE_FIELDS
        else:
            known = FILING_FIELDS
        for index, issue in enumerate(self.field_issues):
            if issue.field.split(".")[0] not in known:
                errors.add(
                    f"input.fieldIssues.{index}.field",
                    "该字段不在本记录中",
                    f"not a field of this record (one of {', '.join(sorted(known))})",
                )
            if not issue.message.strip():
                errors.add(f"input.fieldIssues.{index}.message", "请填写问题说明", "required")
        for index, attachment in enumerate(self.attachment_issues):
            if not attachment.message.strip():
                errors.add(f"input.attachmentIssues.{index}.message", "请填写问题说明", "required")
        errors.raise_if_any()


@dataclass(frozen=True)
class FilingFilter:
    status: str | None = None
    record_type: str | None = None
    change_kind: str | None = None
    district: str | None = None
    uscc: str | None = None
    name: str | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None

    def apply(self, query: Select[Filing]) -> Select[Filing]:
        if self.status:
            query = query.where(Filing.status == self.status)
        if self.record_type:
            query = query.where(Filing.record_type == self.record_type)
        if self.change_kind:
            query = query.where(Filing.change_kind == self.change_kind)
        if self.district:
            query = query.where(Filing.district == self.district)
        if self.uscc:
            query = query.where(Enterprise.uscc == self.uscc.strip().upper())
        if self.name:
            escaped = (
                self.name.strip().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
            )
            query = query.where(Enterprise.name.ilike(f"%{escaped}%"))
        if self.submitted_from:
            query = query.where(Filing.submitted_at >= self.submitted_from)
        if self.submitted_to:
            query = query.where(Filing.submitted_at < self.submitted_to)
        return query
