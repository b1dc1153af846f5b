from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import Any, TypeAlias

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet
from strawberry.types import Info

from filing.enterprises import repository
from filing.enterprises.models import (
    ChangeKind,
    EnterpriseStatus,
    FilingStatus,
    RecordType,
    ReviewLevel,
)
from filing.enterprises.models import Enterprise as EnterpriseModel
from filing.enterprises.models import EnterpriseVersion as EnterpriseVersionModel
from filing.enterprises.models import Filing as FilingModel
from filing.enterprises.models import Liaison as LiaisonModel
from filing.enterprises.models import Review as ReviewModel
from filing.graphql.context import FilingContext
from filing.graphql.enums import AttachmentKind, IdType, Sex
from filing.records import audit, requirements
from servicekit.graphql import Connection

Ctx = Info[FilingContext, None]
for _enum in (EnterpriseStatus, FilingStatus, RecordType, ChangeKind, ReviewLevel):
    strawberry.enum(_enum)  # registers the domain enum under its own name


@strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)])
class Document:
    """A generated PDF; the documents service resolves its fields."""

    id: strawberry.ID


@strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)])
class Attachment:
    """An uploaded file; the documents service resolves its fields."""

    id: strawberry.ID


@strawberry.type(description="A person of the form: legal representative or responsible person")
class PersonData:
    name: str
    id_type: IdType | None
    id_number: str | None
    phone: str | None

    @classmethod
    def of(cls, data: dict[str, Any] | None) -> PersonData | None:
        if not data:
            return None
        return cls(
            name=data.get("name") or "",
            id_type=IdType[data["id_type"]] if data.get("id_type") else None,
            id_number=data.get("id_number"),
            phone=data.get("phone"),
        )


@strawberry.type(description="A liaison as written in a form")
class LiaisonData:
    name: str
    sex: Sex | None
    id_type: IdType | None
    id_number: str | None
    mobile: str
    position: str | None
    social_security_months: int | None
    photo_attachment_id: strawberry.ID | None

    @classmethod
    def of(cls, data: dict[str, Any]) -> LiaisonData:
        return cls(
            name=data.get("name") or "",
            sex=Sex[data["sex"]] if data.get("sex") else None,
            id_type=IdType[data["id_type"]] if data.get("id_type") else None,
            id_number=data.get("id_number"),
            mobile=data.get("mobile") or "",
            position=data.get("position"),
            social_security_months=data.get("social_security_months"),
            photo_attachment_id=data.get("photo_attachment_id"),
        )


@strawberry.type(description="The data of a record (or of an approved version) as saved")
class FilingData:
    enterprise_name: str | None
    uscc: str | None
    enterprise_type: str | None
    industry: str | None
    district: str | None
    registered_address: str | None
    operating_address: str | None
    phone: str | None
    legal_representative: PersonData | None
    responsible_person: PersonData | None
    liaisons: list[LiaisonData]
    reason: str | None = strawberry.field(description="Information change: why")
    liaison: LiaisonData | None = strawberry.field(
        description="Liaison change/addition: the new liaison"
    )
    replaced_liaison: LiaisonData | None = strawberry.field(
        description="Liaison change: the liaison who is replaced"
    )

    @classmethod
    def of(cls, data: dict[str, Any]) -> FilingData:
        return cls(
            enterprise_name=data.get("enterprise_name"),
            uscc=data.get("uscc"),
            enterprise_type=data.get("enterprise_type"),
            industry=data.get("industry"),
            district=data.get("district"),
            registered_address=data.get("registered_address"),
            operating_address=data.get("operating_address"),
            phone=data.get("phone"),
            legal_representative=PersonData.of(data.get("legal_representative")),
            responsible_person=PersonData.of(data.get("responsible_person")),
            liaisons=[LiaisonData.of(item) for item in data.get("liaisons") or []],
            reason=data.get("reason"),
            liaison=LiaisonData.of(data["liaison"]) if data.get("liaison") else None,
            replaced_liaison=LiaisonData.of(data["replaced"]) if data.get("replaced") else None,
        )


@strawberry.type
class FieldIssue:
    field: str
    message: str


@strawberry.type
class AttachmentIssue:
    kind: AttachmentKind
    message: str


@strawberry.type(description="One decision of one level (审批意见)")
class Review:
    level: ReviewLevel
    approved: bool
    comment: str | None
    officer_name: str
    decided_at: datetime
    revision: int
    field_issues: list[FieldIssue]
    attachment_issues: list[AttachmentIssue]

    @classmethod
    def from_model(cls, model: ReviewModel) -> Review:
        return cls(
            level=ReviewLevel(model.level),
            approved=model.approved,
            comment=model.comment,
            officer_name=model.officer_name,
            decided_at=model.decided_at,
            revision=model.revision,
            field_issues=[FieldIssue(**issue) for issue in model.field_issues],
            attachment_issues=[
                AttachmentIssue(kind=AttachmentKind[issue["kind"]], message=issue["message"])
                for issue in model.attachment_issues
            ],
        )


@strawberry.type(description="A file placed in one of the record's slots")
class FiledAttachment:
    kind: AttachmentKind
    revision: int = strawberry.field(description="The record's revision when it was attached")
    liaison_index: int
    file_name: str
    attached_at: datetime
    current: bool = strawberry.field(
        description="Counts for the record's current revision (else it must be uploaded again)"
    )
    attachment: Attachment


@strawberry.type(description="A file the record needs before it can be submitted")
class AttachmentRequirement:
    kind: AttachmentKind
    liaison_index: int
    satisfied: bool
    problem: str | None = strawberry.field(description="Why not, in Chinese")


@strawberry.type(description="A field that differs from the compared revision")
class FieldChange:
    path: str
    before: str | None
    after: str | None


@strawberry.type(description="Which officer holds a record for review, and until when")
class Claim:
    officer_name: str
    expires_at: datetime


@strawberry.federation.type(keys=["id"], description="A filing record (备案记录) and its state")
class Filing:
    id: strawberry.ID
    enterprise_id: strawberry.ID
    record_type: RecordType
    change_kind: ChangeKind | None = strawberry.field(description="What a CHANGE record changes")
    status: FilingStatus
    revision: int
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None
    district: str | None
    model: strawberry.Private[FilingModel]

    @classmethod
    def from_model(cls, model: FilingModel) -> Filing:
        return cls(
            id=strawberry.ID(str(model.id)),
            enterprise_id=strawberry.ID(str(model.enterprise_id)),
            record_type=RecordType(model.record_type),
            change_kind=ChangeKind(model.change_kind) if model.change_kind else None,
            status=FilingStatus(model.status),
            revision=model.revision,
            created_at=model.created_at,
            updated_at=model.updated_at,
            submitted_at=model.submitted_at,
            decided_at=model.decided_at,
            district=model.district,
            model=model,
        )

    @strawberry.field(description="The reviewing branch (分局) of the record's district")
    def branch(self, info: Ctx) -> str | None:
        found = info.context.container.settings.districts.get(self.district or "")
        return found.branch if found else None

    @strawberry.field(description="The form as last saved")
    async def data(self, info: Ctx) -> FilingData:
        await info.context.audit_read(self.data_read())
        return FilingData.of(self.model.data)

    def data_read(self) -> audit.Read:
        model = self.model
        return audit.Read("filing.read", model.enterprise_id, model.id, model.revision)

    @strawberry.field(description="The officer reviewing it now (null when nobody holds it)")
    def claim(self) -> Claim | None:
        model = self.model
        if model.claimed_by is None or model.claim_expires_at is None:
            return None
        return Claim(officer_name=model.claimed_by_name or "", expires_at=model.claim_expires_at)

    @strawberry.field(description="Review history (审批意见), oldest first")
    async def reviews(self, info: Ctx) -> list[Review]:
        rows = await info.context.reviews.load(self.model.id)
        return [Review.from_model(row) for row in rows or []]

    @strawberry.field(description="The current file of each slot, and every supplementary file")
    async def attachments(self, info: Ctx) -> list[FiledAttachment]:
        rows = await info.context.attachments.load(self.model.id) or []
        current = requirements.newest(row for row in rows if row.kind != requirements.SUPPLEMENTARY)
        shown = [*current.values(), *(r for r in rows if r.kind == requirements.SUPPLEMENTARY)]
        return [
            FiledAttachment(
                kind=AttachmentKind[row.kind],
                revision=row.revision,
                liaison_index=row.liaison_index,
                file_name=row.file_name,
                attached_at=row.attached_at,
                current=requirements.is_current(self.model, row),
                attachment=Attachment(id=strawberry.ID(str(row.attachment_id))),
            )
            for row in sorted(shown, key=lambda r: r.attached_at)
        ]

    @strawberry.field(description="What must be attached before submitting, and what is missing")
    async def required_attachments(self, info: Ctx) -> list[AttachmentRequirement]:
        rows = await info.context.attachments.load(self.model.id) or []
        return [
            AttachmentRequirement(
                kind=AttachmentKind[item.slot.kind],
                liaison_index=item.slot.liaison_index,
                satisfied=item.satisfied,
                problem=item.problem,
            )
            for item in requirements.check(self.model, rows)
        ]

    @strawberry.field(
        description="Fields changed since the previously submitted revision (a change record's "
        "first revision: since the approved data); for the reviewer"
    )
    async def changes(self, info: Ctx) -> list[FieldChange]:
        await info.context.audit_read(self.data_read())
        container = info.context.container
        async with container.db.unit_of_work() as session:
            _, changes = await container.records.changes(session, self.model)
        return [FieldChange(path=c.path, before=c.before, after=c.after) for c in changes]

    @strawberry.field(
        description="The application form of this revision (申请表; for a liaison change the "
        "liaison change form, for an information change the change form), with its QR code"
    )
    async def application_form(self, info: Ctx) -> Document:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            document_id = await container.records.application_form(session, actor, self.model)
        return Document(id=strawberry.ID(document_id))

    @strawberry.field(description="The commitment letter (承诺书) of this revision")
    async def commitment_letter(self, info: Ctx) -> Document:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            document_id = await container.records.commitment_letter(session, actor, self.model)
        return Document(id=strawberry.ID(document_id))

    @strawberry.field(description="The enterprise this record is for")
    async def enterprise(self, info: Ctx) -> Enterprise | None:
        found = await info.context.enterprise.load(self.model.enterprise_id)
        return None if found is None else Enterprise.from_model(found)


FilingConnection: TypeAlias = Connection[Filing]


@strawberry.federation.type(keys=["id"])
class Account:
    """Identity's account, extended with the enterprise it acts for."""

    id: strawberry.ID

    @strawberry.field(description="The enterprise this account acts for (null before filing)")
    async def enterprise(self, info: Ctx) -> Enterprise | None:
        actor = await info.context.actor()
        if actor.account_id != str(self.id) and not actor.is_officer:
            return None
        try:
            key = uuid.UUID(str(self.id))
        except ValueError:
            return None
        found = await info.context.enterprise_of_account.load(key)
        return None if found is None else Enterprise.from_model(found)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Account:
        return cls(id=id)


@strawberry.type(description="外管联络员")
class Liaison:
    id: strawberry.ID
    name: str
    mobile: str
    sex: Sex | None
    position: str | None
    social_security_months: int | None
    account_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field(
        description="The liaison's own account, when registered (resolved by identity)"
    )
    def account(self) -> Account | None:
        return None if self.account_id is None else Account(id=strawberry.ID(str(self.account_id)))

    @classmethod
    def from_model(cls, model: LiaisonModel) -> Liaison:
        return cls(
            id=strawberry.ID(str(model.id)),
            name=model.name,
            mobile=model.mobile,
            sex=Sex[model.sex] if model.sex else None,
            position=model.position,
            social_security_months=model.social_security_months,
            account_id=model.account_id,
        )


@strawberry.enum(description="As what an account acts for its enterprise")
class MemberRole(Enum):
    LIAISON = "LIAISON"
    HR = "HR"


@strawberry.type(description="An account that acts for the enterprise")
class EnterpriseUser:
    role: MemberRole
    account: Account


@strawberry.type(description="An approved version of the enterprise's data (新增 or 变更)")
class EnterpriseVersion:
    version: int
    filing_id: strawberry.ID
    record_type: RecordType
    change_kind: ChangeKind | None
    approved_at: datetime
    data: FilingData

    @classmethod
    def from_model(cls, model: EnterpriseVersionModel) -> EnterpriseVersion:
        return cls(
            version=model.version,
            filing_id=strawberry.ID(str(model.filing_id)),
            record_type=RecordType(model.record_type),
            change_kind=ChangeKind(model.change_kind) if model.change_kind else None,
            approved_at=model.approved_at,
            data=FilingData.of(model.data),
        )


@strawberry.federation.type(keys=["id"], description="涉外单位")
class Enterprise:
    id: strawberry.ID
    name: str
    uscc: str | None = strawberry.field(
        description="Null for an enterprise imported from the "
        "old system until its liaison supplements the filing"
    )
    district: str | None
    status: EnterpriseStatus
    is_legacy: bool = strawberry.field(description="Imported from the old system")
    version: int = strawberry.field(description="Number of the approved version (0: none yet)")
    model: strawberry.Private[EnterpriseModel]

    @classmethod
    def from_model(cls, model: EnterpriseModel) -> Enterprise:
        return cls(
            id=strawberry.ID(str(model.id)),
            name=model.name,
            uscc=model.uscc,
            district=model.district,
            status=EnterpriseStatus(model.status),
            is_legacy=model.is_legacy,
            version=model.version,
            model=model,
        )

    @strawberry.field(description="The approved data as it is now (null before the approval)")
    async def approved_data(self, info: Ctx) -> FilingData | None:
        await info.context.audit_read(audit.Read("enterprise.read", self.model.id))
        return FilingData.of(self.model.data) if self.model.data else None

    @strawberry.field
    async def liaisons(self, info: Ctx) -> list[Liaison]:
        rows = await info.context.liaisons.load(self.model.id)
        return [Liaison.from_model(row) for row in rows or []]

    @strawberry.field(description="The enterprise's filing record (新增), the latest one")
    async def current_filing(self, info: Ctx) -> Filing | None:
        found = await info.context.latest_filing.load(self.model.id)
        return None if found is None else Filing.from_model(found)

    @strawberry.field(description="The accounts that act for it (its users and officers only)")
    async def users(self, info: Ctx) -> list[EnterpriseUser]:
        rows = await info.context.members.load(self.model.id)
        return [
            EnterpriseUser(role=MemberRole(role), account=Account(id=strawberry.ID(str(account))))
            for account, role in rows or []
        ]

    @strawberry.field(description="Every approved version, newest first")
    async def versions(self, info: Ctx) -> list[EnterpriseVersion]:
        await info.context.audit_read(audit.Read("enterprise.read", self.model.id))
        container = info.context.container
        async with container.db.unit_of_work() as session:
            rows = await repository.versions(session, self.model.id)
        return [EnterpriseVersion.from_model(row) for row in rows]

    @classmethod
    async def resolve_reference(cls, info: Ctx, id: strawberry.ID) -> Enterprise | None:
        actor = await info.context.actor()
        container = info.context.container
        try:
            key = uuid.UUID(str(id))
        except ValueError:
            return None
        async with container.db.unit_of_work() as session:
            found = await container.enterprises.visible_enterprise(session, actor, key)
        return cls.from_model(found)
