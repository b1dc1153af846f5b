from __future__ import annotations

from datetime import datetime
from typing import TypeAlias, cast

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet
from strawberry.scalars import JSON
from strawberry.types import Info

from personnel.applications.deadlines import is_overdue
from personnel.applications.models import ApplicationKind as ApplicationKindEnum
from personnel.applications.models import EmploymentApplication as ApplicationModel
from personnel.applications.models import ReviewStatus as ReviewStatusEnum
from personnel.applications.models import SubmissionStatus as SubmissionStatusEnum
from personnel.applications.schemas import ApplicationInput
from personnel.graphql.context import PersonnelContext
from personnel.graphql.foreign_person import ForeignPerson
from servicekit.db import utcnow
from servicekit.graphql import Connection

Ctx = Info[PersonnelContext, None]

strawberry.enum(
    ApplicationKindEnum,
    name="ApplicationKind",
    description="LICENCE 就业许可证书; EXEMPT_RECRUITMENT 免办许可的聘用申请; REGISTRATION "
    "就业登记; EXTENSION 延期; HKMOTW_EMPLOYMENT / HKMOTW_EXTENSION: TW/HK/Macau employment "
    "certificate and its extension (abolished nationally in 2018; kept because the source "
    "system has them, and switched off by PERSONNEL_HKMOTW_ENABLED=false)",
)
strawberry.enum(SubmissionStatusEnum, name="SubmissionStatus", description="提交状态")
strawberry.enum(
    ReviewStatusEnum,
    name="ReviewStatus",
    description="审核状态: NONE before submitting (or modified after a failed pre-review)",
)


@strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)])
class Document:
    """A generated PDF; the documents service resolves its fields."""

    id: strawberry.ID


@strawberry.federation.type(
    keys=["id"], description="An employment permit application (就业许可网上办理)"
)
class EmploymentApplication:
    id: strawberry.ID
    number: str = strawberry.field(description="申请编号 (SQ + year + sequence)")
    kind: ApplicationKindEnum
    enterprise_id: strawberry.ID
    foreign_person_id: strawberry.ID
    submission: SubmissionStatusEnum
    review: ReviewStatusEnum
    revision: int = strawberry.field(
        description="Grows after a failed pre-review is modified, and when data changes after "
        "the form was printed; the printed form's QR code carries it"
    )
    tips_acknowledged: bool
    requirements_acknowledged: bool
    form: JSON = strawberry.field(description="The kind's form, camelCase keys as saved")
    licence_number: str | None = strawberry.field(
        description="REGISTRATION: the employment licence it is based on"
    )
    certificate_number: str | None = strawberry.field(
        description="EXTENSION / HKMOTW_EXTENSION: the employment certificate extended"
    )
    based_on_application_id: strawberry.ID | None = strawberry.field(
        description="REGISTRATION of a licence-exempt person: the passed recruitment application"
    )
    issued_number: str | None = strawberry.field(
        description="Issued when the pre-review passed: the licence number (LICENCE) or the "
        "employment certificate number (REGISTRATION, HKMOTW_EMPLOYMENT), "
        "{prefix}{year}{L|E}{6 digits}"
    )
    exit_entry_opinion: str | None = strawberry.field(
        description="市公安出入境管理部门意见, recorded after the printed form was stamped"
    )
    exit_entry_opinion_attachment_id: strawberry.ID | None
    submitted_at: datetime | None
    due_at: datetime | None = strawberry.field(
        description="Pre-review due: submission + 5 working days (Chinese calendar)"
    )
    decided_at: datetime | None
    failure_reason: str | None = strawberry.field(
        description="Why the last pre-review failed (kept until the next submission)"
    )
    created_at: datetime
    updated_at: datetime
    model: strawberry.Private[ApplicationModel]

    @classmethod
    def from_model(cls, model: ApplicationModel) -> EmploymentApplication:
        return cls(
            id=strawberry.ID(str(model.id)),
            number=model.number,
            kind=ApplicationKindEnum(model.kind),
            enterprise_id=strawberry.ID(str(model.enterprise_id)),
            foreign_person_id=strawberry.ID(str(model.foreign_person_id)),
            submission=SubmissionStatusEnum(model.submission),
            review=ReviewStatusEnum(model.review),
            revision=model.revision,
            tips_acknowledged=model.tips_acknowledged,
            requirements_acknowledged=model.requirements_acknowledged,
            form=cast(JSON, dict(model.form)),
            licence_number=model.licence_number,
            certificate_number=model.certificate_number,
            based_on_application_id=strawberry.ID(str(model.based_on_application_id))
            if model.based_on_application_id
            else None,
            issued_number=model.issued_number,
            exit_entry_opinion=model.exit_entry_opinion,
            exit_entry_opinion_attachment_id=strawberry.ID(
                str(model.exit_entry_opinion_attachment_id)
            )
            if model.exit_entry_opinion_attachment_id
            else None,
            submitted_at=model.submitted_at,
            due_at=model.due_at,
            decided_at=model.decided_at,
            failure_reason=model.failure_reason,
            created_at=model.created_at,
            updated_at=model.updated_at,
            model=model,
        )

    @classmethod
    async def resolve_reference(cls, info: Ctx, id: strawberry.ID) -> EmploymentApplication | None:
        model = await info.context.applications.load(str(id))
        return None if model is None else cls.from_model(model)

    @strawberry.field(description="Awaiting pre-review past its due time")
    def is_overdue(self) -> bool:
        model = self.model
        return model.review == ReviewStatusEnum.PENDING and is_overdue(model.due_at, utcnow())

    @strawberry.field(description="修改: unsubmitted, or failed pre-review")
    def can_modify(self) -> bool:
        return self.model.is_editable

    @strawberry.field(description="提交: unsubmitted (completeness is checked on submitting)")
    def can_submit(self) -> bool:
        return self.model.submission == SubmissionStatusEnum.UNSUBMITTED

    @strawberry.field(
        description="就业登记表【填写】: a passed EXEMPT_RECRUITMENT without a registration yet"
    )
    async def can_fill_registration(self, info: Ctx) -> bool:
        model = self.model
        if (
            model.kind != ApplicationKindEnum.EXEMPT_RECRUITMENT
            or model.review != ReviewStatusEnum.PASSED
        ):
            return False
        return await info.context.registrations.load(model.id) is None

    @strawberry.field(description="EXEMPT_RECRUITMENT: the registration filled for it")
    async def registration_id(self, info: Ctx) -> strawberry.ID | None:
        if self.model.kind != ApplicationKindEnum.EXEMPT_RECRUITMENT:
            return None
        found = await info.context.registrations.load(self.model.id)
        return None if found is None else strawberry.ID(str(found))

    @strawberry.field(description="The foreign person applied for")
    async def foreign_person(self, info: Ctx) -> ForeignPerson | None:
        found = await info.context.persons.load(str(self.model.foreign_person_id))
        return None if found is None else ForeignPerson.from_model(found)

    @strawberry.field(
        description="The kind's application form (申请表 / 登记表) of this revision, with its QR "
        "code; VALIDATION_FAILED lists what it still lacks (form.*, foreignPerson.*, enterprise.*)"
    )
    async def application_form(self, info: Ctx) -> Document:
        await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            document_id = await container.applications.application_form(session, self.model)
        return Document(id=strawberry.ID(document_id))

    @strawberry.field(
        description="网上办理通知书: printed after the pre-review passed (null before)"
    )
    async def handling_notice(self, info: Ctx) -> Document | None:
        await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            document_id = await container.applications.handling_notice(session, self.model)
        return None if document_id is None else Document(id=strawberry.ID(document_id))


EmploymentApplicationConnection: TypeAlias = Connection[EmploymentApplication]


@strawberry.input(
    description="An employment application as the user saves it (the whole record: optional "
    "fields left out are cleared). A draft may be partial: saving checks the format of what is "
    "given; submitting checks completeness"
)
class EmploymentApplicationInput:
    kind: ApplicationKindEnum = strawberry.field(
        description="HKMOTW_* kinds: TW/HK/Macau employment certificates were abolished "
        "nationally in 2018; kept because the source system has them, refused when "
        "PERSONNEL_HKMOTW_ENABLED is false"
    )
    foreign_person_id: strawberry.ID
    tips_acknowledged: bool = strawberry.field(description="All tips read and ticked")
    form: JSON = strawberry.field(
        description="Core keys of every kind: position, workplaceAddress, contractStart, "
        "contractEnd (YYYY-MM-DD), monthlySalary (whole CNY), education. LICENCE also "
        "workExperience, recruitingReason; EXEMPT_RECRUITMENT also exemptionReason; "
        "EXTENSION currentValidUntil, reason; HKMOTW_EMPLOYMENT homeIdNumber; HKMOTW_EXTENSION "
        "homeIdNumber, currentValidUntil, reason. Unknown keys are refused"
    )
    id: strawberry.ID | None = strawberry.field(
        default=None, description="Absent: a new application"
    )
    requirements_acknowledged: bool | None = strawberry.field(
        default=None, description="LICENCE: all application requirements read and ticked"
    )
    licence_number: str | None = strawberry.field(
        default=None,
        description="REGISTRATION with an employment licence; one with this city's prefix must "
        "have been issued here to this person",
    )
    certificate_number: str | None = strawberry.field(
        default=None, description="EXTENSION / HKMOTW_EXTENSION: the employment certificate"
    )
    based_on_application_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="REGISTRATION of a licence-exempt person: the passed EXEMPT_RECRUITMENT "
        "(one registration each)",
    )
    exit_entry_opinion: str | None = strawberry.field(
        default=None, description="市公安出入境管理部门意见 as stamped on the printed form"
    )
    exit_entry_opinion_attachment_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The stamped form's scan, uploaded as EXIT_ENTRY_OPINION (this "
        "application's form of its current revision)",
    )

    def to_input(self) -> ApplicationInput:
        return ApplicationInput(
            kind=self.kind,
            foreign_person_id=str(self.foreign_person_id),
            tips_acknowledged=self.tips_acknowledged,
            form=self.form,
            id=str(self.id) if self.id else None,
            requirements_acknowledged=self.requirements_acknowledged,
            licence_number=self.licence_number,
            certificate_number=self.certificate_number,
            based_on_application_id=str(self.based_on_application_id)
            if self.based_on_application_id
            else None,
            exit_entry_opinion=self.exit_entry_opinion,
            exit_entry_opinion_attachment_id=str(self.exit_entry_opinion_attachment_id)
            if self.exit_entry_opinion_attachment_id
            else None,
        )
