"""Employment application rules: save (create, or modify while unsubmitted or after a failed
pre-review), submit, the labour officer's pre-review, and reads. The caller's unit of work
commits; GraphQL and gRPC only translate."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from personnel.applications import access, audit, basis, events, forms, numbers, printing
from personnel.applications import repository as applications
from personnel.applications.deadlines import pre_review_due
from personnel.applications.documents_client import Documents
from personnel.applications.models import (
    HKMOTW_KINDS,
    OPINION_ACCEPTED,
    OPINION_REQUIRED,
    REGISTRATION_BASIS_UNIQUE,
    ApplicationKind,
    EmploymentApplication,
    ReviewStatus,
    SubmissionStatus,
)
from personnel.applications.opinions import check_opinion_attachment
from personnel.applications.schemas import ApplicationInput, ApplicationQuery
from personnel.config import PersonnelSettings
from personnel.enterprises.service import Enterprises
from personnel.errors import (
    AlreadySubmitted,
    ApplicationLocked,
    KindDiscontinued,
    MustModifyFirst,
    NotAwaitingPreReview,
    NotLabourOfficer,
    RegistrationExists,
)
from personnel.people import repository as people
from personnel.people.models import ForeignPerson, TravelDocumentType
from servicekit.auth import Actor, Role
from servicekit.calendar import CHINA_TZ, WorkingCalendar
from servicekit.db import utcnow
from servicekit.errors import FieldErrors, Forbidden, Message, NotFound, ValidationFailed

log = logging.getLogger(__name__)

MAX_OPINION = 2000
MAX_REASON = 500
HKMOTW_DOCUMENTS = frozenset({TravelDocumentType.HK_MO_PERMIT, TravelDocumentType.TW_PERMIT})
# What a passed pre-review issues: (number series) per kind.
ISSUES = {
    ApplicationKind.LICENCE: numbers.LICENCE_SERIES,
    ApplicationKind.REGISTRATION: numbers.CERTIFICATE_SERIES,
    ApplicationKind.HKMOTW_EMPLOYMENT: numbers.CERTIFICATE_SERIES,
}


@dataclass
class Applications:
    settings: PersonnelSettings
    enterprises: Enterprises
    documents: Documents
    calendar: WorkingCalendar

    @property
    def numbering(self) -> numbers.NumberFormat:
        return numbers.NumberFormat(self.settings.local_licence_prefix)

    # --- saving ----------------------------------------------------------------------------

    async def save(
        self, session: AsyncSession, actor: Actor, data: ApplicationInput
    ) -> EmploymentApplication:
        enterprise = await access.filed_enterprise(session, self.enterprises, actor)
        kind = ApplicationKind(data.kind)
        if kind in HKMOTW_KINDS and not self.settings.hkmotw_enabled:
            raise ValidationFailed.single(
                "input.kind",
                "台港澳人员就业证已于2018年停办，本系统不再受理此类申请",
                "TW/HK/Macau employment certificates were abolished in 2018",
            )
        record = await access.own(session, enterprise.id, data.id) if data.id else None
        if record is not None and not record.is_editable:
            raise ApplicationLocked()
        person = await _person_of(session, enterprise.id, data.foreign_person_id)
        errors = FieldErrors()
        if record is not None and record.kind != kind:
            errors.add(
                "input.kind", "申请类别不能修改，请新建申请", "the kind cannot change: start anew"
            )
        _check_person_fits(kind, person, errors)
        if not data.tips_acknowledged:
            errors.add("input.tipsAcknowledged", "请阅读并勾选全部提示", "read and tick the tips")
        if kind == ApplicationKind.LICENCE and not data.requirements_acknowledged:
            errors.add(
                "input.requirementsAcknowledged",
                "请阅读并勾选全部申请条件",
                "read and tick the requirements",
            )
        form: dict[str, Any] = {}
        try:
            form = forms.stored(forms.parse(kind, data.form))
        except ValidationFailed as exc:
            errors.items += exc.fields
        opinion = _opinion(kind, data, errors)
        found = await basis.check(
            session, self.numbering, data, person, record.id if record else None, errors
        )
        errors.raise_if_any()

        if record is None:
            record = await self._create(session, actor, enterprise.id, kind)
        before = _printed_data(record)
        after_revision = record.revision
        if record.review == ReviewStatus.FAILED:
            after_revision += 1  # 修改 after a failed pre-review: a new revision
        elif (record.printed_revision or 0) >= record.revision and before != {
            "form": form,
            "person": str(person.id),
            "basis": found,
        }:
            after_revision += 1  # the printed (maybe stamped) paper no longer shows the data

        attachment_id = opinion.attachment_id
        if attachment_id is not None and attachment_id != record.exit_entry_opinion_attachment_id:
            await check_opinion_attachment(
                self.documents,
                record,
                after_revision,
                str(attachment_id),
                "input.exitEntryOpinionAttachmentId",
            )
        if record.review == ReviewStatus.FAILED:
            record.submission = SubmissionStatus.UNSUBMITTED
            record.review = ReviewStatus.NONE
            record.due_at = None
        record.revision = after_revision
        record.foreign_person_id = person.id
        record.tips_acknowledged = True
        record.requirements_acknowledged = bool(data.requirements_acknowledged)
        record.form = form
        record.licence_number = found.licence_number
        record.certificate_number = found.certificate_number
        record.based_on_application_id = found.based_on_application_id
        record.exit_entry_opinion = opinion.text
        record.exit_entry_opinion_attachment_id = attachment_id
        record.updated_at = utcnow()
        audit.record(session, actor, "application.saved", record, revision=record.revision)
        await _flush(session)
        return record

    async def _create(
        self, session: AsyncSession, actor: Actor, enterprise_id: uuid.UUID, kind: ApplicationKind
    ) -> EmploymentApplication:
        now = utcnow()
        record = EmploymentApplication(
            id=uuid.uuid4(),
            number=await numbers.application_number(session, now.astimezone(CHINA_TZ).year),
            enterprise_id=enterprise_id,
            kind=kind,
            submission=SubmissionStatus.UNSUBMITTED,
            review=ReviewStatus.NONE,
            revision=1,
            form={},
            tips_acknowledged=True,
            requirements_acknowledged=False,
            created_by=uuid.UUID(actor.account_id),
            created_at=now,
            updated_at=now,
        )
        session.add(record)
        return record

    # --- submitting ------------------------------------------------------------------------

    async def submit(
        self, session: AsyncSession, actor: Actor, application_id: str
    ) -> EmploymentApplication:
        enterprise = await access.filed_enterprise(session, self.enterprises, actor)
        record = await access.own(session, enterprise.id, application_id)
        if record.submission == SubmissionStatus.SUBMITTED:
            raise MustModifyFirst() if record.review == ReviewStatus.FAILED else AlreadySubmitted()
        if record.kind in HKMOTW_KINDS and not self.settings.hkmotw_enabled:
            raise KindDiscontinued()
        person = await people.get(session, record.foreign_person_id)
        assert person is not None
        errors = printing.missing(record, person)
        if record.kind in OPINION_REQUIRED:
            if not record.exit_entry_opinion:
                errors.add(
                    "exitEntryOpinion",
                    "请将打印的申请表送市公安出入境管理部门盖章，并录入其意见",
                    "record the exit-entry bureau's opinion (stamped on the printed form)",
                )
            if record.exit_entry_opinion_attachment_id is None:
                errors.add(
                    "exitEntryOpinionAttachmentId",
                    "请上传经市公安出入境管理部门盖章的申请表",
                    "upload the form stamped by the exit-entry bureau",
                )
        errors.raise_if_any()
        if record.exit_entry_opinion_attachment_id is not None:
            await check_opinion_attachment(
                self.documents,
                record,
                record.revision,
                str(record.exit_entry_opinion_attachment_id),
                "exitEntryOpinionAttachmentId",
            )
        details = await self.enterprises.filing.get(str(record.enterprise_id))
        now = utcnow()
        record.submission = SubmissionStatus.SUBMITTED
        record.review = ReviewStatus.PENDING
        record.submitted_at = now
        record.due_at = pre_review_due(self.calendar, now, self.settings.review_working_days)
        record.decided_at = record.decided_by = record.failure_reason = None
        record.updated_at = now
        audit.record(session, actor, "application.submitted", record, revision=record.revision)
        await events.publisher.record(
            session,
            events.SUBMITTED,
            str(record.id),
            events.progress_data(events.SUBMITTED, record, person, details),
        )
        await session.flush()
        return record

    # --- pre-review ------------------------------------------------------------------------

    async def decide(
        self,
        session: AsyncSession,
        actor: Actor,
        application_id: str,
        passed: bool,
        reason: str | None,
    ) -> EmploymentApplication:
        if Role.LABOUR_OFFICER not in actor.roles:
            raise NotLabourOfficer()
        record = await applications.get(session, access.parse(application_id), for_update=True)
        if record is None:
            raise NotFound()
        if record.submission != SubmissionStatus.SUBMITTED or record.review != ReviewStatus.PENDING:
            raise NotAwaitingPreReview()
        text = " ".join((reason or "").split()) or None
        if not passed and text is None:
            raise ValidationFailed.single(
                "reason", "请填写预审不通过的原因", "a failed pre-review needs a reason"
            )
        if text is not None and len(text) > MAX_REASON:
            raise ValidationFailed.single(
                "reason", f"原因不超过{MAX_REASON}字", f"at most {MAX_REASON} characters"
            )
        person = await people.get(session, record.foreign_person_id)
        assert person is not None
        details = await self.enterprises.filing.get(str(record.enterprise_id))
        now = utcnow()
        record.decided_at = now
        record.decided_by = uuid.UUID(actor.account_id)
        record.updated_at = now
        if passed:
            record.review = ReviewStatus.PASSED
            record.failure_reason = None
            series = ISSUES.get(record.kind)
            if series is not None and record.issued_number is None:
                year = now.astimezone(CHINA_TZ).year
                sequence = await numbers.next_in_series(session, series, year)
                record.issued_number = self.numbering.issued(series, year, sequence)
            event = events.APPROVED
        else:
            record.review = ReviewStatus.FAILED
            record.failure_reason = text
            event = events.REJECTED
        audit.record(
            session,
            actor,
            "application.passed" if passed else "application.failed",
            record,
            revision=record.revision,
            reason=text,
            issuedNumber=record.issued_number,
        )
        await events.publisher.record(
            session, event, str(record.id), events.progress_data(event, record, person, details)
        )
        await session.flush()
        log.info("application %s: %s by %s", record.id, event, actor.account_id)
        return record

    # --- reading ---------------------------------------------------------------------------

    async def get(
        self, session: AsyncSession, actor: Actor, application_id: str
    ) -> EmploymentApplication:
        scope = await access.read_scope(self.enterprises, actor)
        found = await applications.get(session, access.parse(application_id))
        if found is None or not scope.allows(found):
            raise NotFound()
        audit.reads(session, actor, [found])
        return found

    async def search(
        self, session: AsyncSession, actor: Actor, query: ApplicationQuery
    ) -> tuple[list[EmploymentApplication], int]:
        """Enterprise users: their enterprise's, newest first. Labour officers: the submitted
        ones, soonest due first."""
        scope = await access.read_scope(self.enterprises, actor)
        statement = applications.filtered(
            select(EmploymentApplication), query.kind, query.submission, query.review
        )
        if scope.officer:
            statement = statement.where(
                EmploymentApplication.submission == SubmissionStatus.SUBMITTED
            )
            order: Sequence[Any] = (EmploymentApplication.due_at.asc(), EmploymentApplication.id)
        elif scope.enterprise_id is None:
            return [], 0
        else:
            statement = statement.where(EmploymentApplication.enterprise_id == scope.enterprise_id)
            order = (EmploymentApplication.created_at.desc(), EmploymentApplication.id)
        rows, total = await applications.page(session, statement, order, query.offset, query.limit)
        audit.reads(session, actor, rows)
        return rows, total

    async def visible(
        self, session: AsyncSession, actor: Actor, ids: Sequence[str]
    ) -> dict[str, EmploymentApplication]:
        """Entity lookups: the applications among `ids` the actor may read (others absent)."""
        keys = []
        for value in ids:
            try:
                keys.append(uuid.UUID(value))
            except ValueError:
                continue
        try:
            scope = await access.read_scope(self.enterprises, actor)
        except Forbidden:
            return {}
        rows = [row for row in await applications.get_many(session, keys) if scope.allows(row)]
        audit.reads(session, actor, rows)
        return {str(row.id): row for row in rows}

    async def registrations(
        self, session: AsyncSession, recruitment_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, uuid.UUID]:
        return await applications.registrations_for(session, recruitment_ids)

    async def internal(self, session: AsyncSession, application_id: str) -> EmploymentApplication:
        """For other services over gRPC (no user in the loop)."""
        found = await applications.get(session, access.parse(application_id))
        if found is None:
            raise NotFound()
        return found

    # --- printed papers --------------------------------------------------------------------

    async def application_form(self, session: AsyncSession, record: EmploymentApplication) -> str:
        person = await people.get(session, record.foreign_person_id)
        assert person is not None
        details = await self.enterprises.filing.get(str(record.enterprise_id))
        printing.missing(record, person, details).raise_if_any()
        document_id = await self.documents.render(
            printing.FORM_KINDS[record.kind],
            str(record.id),
            record.revision,
            printing.form_data(record, person, details),
            str(record.enterprise_id),
        )
        if (
            record.submission == SubmissionStatus.UNSUBMITTED
            and (record.printed_revision or 0) < record.revision
        ):
            locked = await applications.get(session, record.id, for_update=True)
            if locked is not None and locked.revision == record.revision:
                locked.printed_revision = record.revision
        return document_id

    async def handling_notice(
        self, session: AsyncSession, record: EmploymentApplication
    ) -> str | None:
        if record.review != ReviewStatus.PASSED:
            return None
        person = await people.get(session, record.foreign_person_id)
        assert person is not None
        details = await self.enterprises.filing.get(str(record.enterprise_id))
        return await self.documents.render(
            printing.NOTICE,
            str(record.id),
            record.revision,
            printing.notice_data(record, person, details.name, self.settings),
            str(record.enterprise_id),
        )


@dataclass(frozen=True)
class _Opinion:
    text: str | None
    attachment_id: uuid.UUID | None


def _opinion(kind: ApplicationKind, data: ApplicationInput, errors: FieldErrors) -> _Opinion:
    text = (data.exit_entry_opinion or "").strip() or None
    raw_attachment = (data.exit_entry_opinion_attachment_id or "").strip() or None
    if kind not in OPINION_ACCEPTED and (text or raw_attachment):
        errors.add(
            "input.exitEntryOpinion",
            "此类申请表没有出入境管理部门意见栏",
            "this kind's form has no exit-entry opinion",
        )
        return _Opinion(None, None)
    if text is not None and len(text) > MAX_OPINION:
        errors.add(
            "input.exitEntryOpinion", f"不超过{MAX_OPINION}字", f"at most {MAX_OPINION} characters"
        )
    attachment = None
    if raw_attachment is not None:
        try:
            attachment = uuid.UUID(raw_attachment)
        except ValueError:
            errors.add("input.exitEntryOpinionAttachmentId", "编号格式不正确", "not a valid id")
    return _Opinion(text, attachment)


def _check_person_fits(kind: ApplicationKind, person: ForeignPerson, errors: FieldErrors) -> None:
    holds_permit = person.document_type in HKMOTW_DOCUMENTS
    if kind in HKMOTW_KINDS and not holds_permit:
        errors.add(
            "input.foreignPersonId",
            "台港澳人员就业证仅适用于持港澳或台湾通行证的人员",
            "TW/HK/Macau kinds are for holders of a HK/Macau or Taiwan permit",
        )
    elif kind not in HKMOTW_KINDS and holds_permit:
        errors.add(
            "input.foreignPersonId",
            "持港澳或台湾通行证的人员请办理台港澳人员就业证",
            "holders of a HK/Macau or Taiwan permit apply with the TW/HK/Macau kinds",
        )


async def _person_of(
    session: AsyncSession, enterprise_id: uuid.UUID, person_id: str
) -> ForeignPerson:
    person = await people.get(session, access.parse(person_id))
    if person is None or person.enterprise_id != enterprise_id:
        raise NotFound(Message("找不到该境外人员", "No such foreign person"))
    return person


def _printed_data(record: EmploymentApplication) -> dict[str, Any]:
    """What the printed form shows of the record's own data (not the opinion entered after)."""
    return {
        "form": record.form,
        "person": str(record.foreign_person_id) if record.foreign_person_id else None,
        "basis": basis.Basis(
            record.licence_number, record.certificate_number, record.based_on_application_id
        ),
    }


async def _flush(session: AsyncSession) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent request filled the same recruitment's form
        if REGISTRATION_BASIS_UNIQUE in str(exc.orig):
            raise RegistrationExists() from exc
        raise
