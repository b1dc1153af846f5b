from __future__ import annotations

import uuid

import strawberry

from filing.enterprises.schemas import FilingForm, LiaisonForm, PersonForm
from filing.graphql.enums import AttachmentKind, IdType, Sex
from filing.records.changes import EnterpriseChangeForm
from filing.records.schemas import AttachmentIssue, Decision, FieldIssue
from servicekit.errors import ValidationFailed


@strawberry.input
class PersonInput:
    name: str
    id_type: IdType | None = None
    id_number: str | None = None
    phone: str | None = None

    def to_form(self) -> PersonForm:
        return PersonForm(
            name=self.name,
            id_type=self.id_type.value if self.id_type else None,
            id_number=self.id_number,
            phone=self.phone,
        )


@strawberry.input
class LiaisonInput:
    name: str
    sex: Sex
    id_type: IdType
    id_number: str
    mobile: str
    social_security_months: int
    position: str | None = None
    photo_attachment_id: strawberry.ID | None = None

    def to_form(self, path: str) -> LiaisonForm:
        return LiaisonForm(
            name=self.name,
            sex=self.sex.value,
            id_type=self.id_type.value,
            id_number=self.id_number,
            mobile=self.mobile,
            social_security_months=self.social_security_months,
            position=self.position,
            photo_attachment_id=parse_id(self.photo_attachment_id, f"{path}.photoAttachmentId"),
        )


@strawberry.input(description="A draft may be partial: saving checks the format of what is given")
class FilingInput:
    enterprise_name: str
    uscc: str
    id: strawberry.ID | None = None
    enterprise_type: str | None = None
    industry: str | None = None
    district: str | None = strawberry.field(
        default=None, description="6-digit GB/T 2260 code, e.g. 370202"
    )
    registered_address: str | None = None
    operating_address: str | None = None
    phone: str | None = None
    legal_representative: PersonInput | None = None
    responsible_person: PersonInput | None = None
    liaisons: list[LiaisonInput] | None = None

    def to_form(self) -> FilingForm:
        return FilingForm(
            id=parse_id(self.id, "id"),
            enterprise_name=self.enterprise_name,
            uscc=self.uscc.strip().upper(),
            enterprise_type=self.enterprise_type,
            industry=self.industry,
            district=self.district,
            registered_address=self.registered_address,
            operating_address=self.operating_address,
            phone=self.phone,
            legal_representative=self.legal_representative.to_form()
            if self.legal_representative
            else None,
            responsible_person=self.responsible_person.to_form()
            if self.responsible_person
            else None,
            liaisons=None
            if self.liaisons is None
            else [item.to_form(f"liaisons.{i}") for i, item in enumerate(self.liaisons)],
        )


def parse_id(value: strawberry.ID | None, path: str) -> uuid.UUID | None:
    if value is None:
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise ValidationFailed.single(path, "编号格式不正确", "not a valid id") from exc


@strawberry.input
class FieldIssueInput:
    field: str = strawberry.field(description="The field's path, e.g. legalRepresentative.name")
    message: str


@strawberry.input
class AttachmentIssueInput:
    kind: AttachmentKind
    message: str


@strawberry.input(description="A review decision; a rejection says why")
class ReviewInput:
    approve: bool
    comment: str | None = None
    field_issues: list[FieldIssueInput] | None = None
    attachment_issues: list[AttachmentIssueInput] | None = None

    def to_decision(self) -> Decision:
        return Decision(
            approve=self.approve,
            comment=self.comment.strip() if self.comment else None,
            field_issues=[
                FieldIssue(field=item.field.strip(), message=item.message.strip())
                for item in self.field_issues or []
            ],
            attachment_issues=[
                AttachmentIssue(kind=item.kind.value, message=item.message.strip())
                for item in self.attachment_issues or []
            ],
        )


@strawberry.input(description="附件4: only the items given change; the others stay as approved")
class EnterpriseChangeInput:
    enterprise_name: str | None = None
    registered_address: str | None = None
    operating_address: str | None = None
    phone: str | None = None
    legal_representative: PersonInput | None = None
    reason: str | None = None

    def to_form(self) -> EnterpriseChangeForm:
        return EnterpriseChangeForm(
            enterprise_name=self.enterprise_name,
            registered_address=self.registered_address,
            operating_address=self.operating_address,
            phone=self.phone,
            legal_representative=self.legal_representative.to_form()
            if self.legal_representative
            else None,
            reason=self.reason,
        )
