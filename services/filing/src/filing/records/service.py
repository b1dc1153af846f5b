"""A record's life after the first save up to its review: reading and lists, printed forms,
attachments, submission (the review itself is `records.review`). Rules only; the GraphQL layer
translates, the caller's unit of work commits."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from filing.accounts.identity_client import IdentityAccounts
from filing.config import FilingSettings
from filing.enterprises import repository
from filing.enterprises.models import (
    ChangeKind,
    Enterprise,
    FiledAttachment,
    Filing,
    FilingRevision,
    FilingStatus,
    Review,
    ReviewLevel,
)
from filing.enterprises.validation import check_complete
from filing.errors import ExamNotPassed, MustEditFirst
from filing.records import audit, events, forms, requirements
from filing.records.access import parse, record_for
from filing.records.paths import FieldChange, diff
from filing.records.revisions import begin_edit
from filing.records.schemas import FilingFilter
from servicekit.auth import Actor, Role
from servicekit.db import utcnow
from servicekit.errors import Conflict, FieldErrors, Forbidden, Message, NotFound, ValidationFailed
from servicekit.graphql import Page

log = logging.getLogger(__name__)

_FORM_FIELD = "attachmentId"


@dataclass
class Records:
    settings: FilingSettings
    identity: IdentityAccounts
    printer: forms.FormPrinter

    # --- reading ---------------------------------------------------------------------------

    async def get(self, session: AsyncSession, actor: Actor, filing_id: str) -> Filing:
        """The record (an officer's read is audited by the GraphQL layer, once per request and
        record, whichever field shows the data)."""
        return await record_for(session, actor, filing_id)

    async def search(
        self, session: AsyncSession, actor: Actor, where: FilingFilter, page: Page
    ) -> tuple[list[Filing], int]:
        """Officers: their queue (branch: their districts; city: what the branch approved;
        admins: everything submitted), oldest submission first. Enterprise users: their
        enterprise's records, newest first."""
        query: Select[Filing] = select(Filing).join(
            Enterprise, Enterprise.id == Filing.enterprise_id
        )
        if actor.is_officer:
            if not actor.has_any([Role.BRANCH_OFFICER, Role.CITY_OFFICER, Role.ADMIN]):
                raise Forbidden()
            query = query.where(Filing.status != FilingStatus.DRAFT)
            if Role.ADMIN in actor.roles:
                pass  # everything submitted
            elif Role.CITY_OFFICER in actor.roles:
                query = query.where(self._past_branch())
            else:
                query = query.where(Filing.district.in_(actor.districts))
            order: tuple[Any, ...] = (Filing.submitted_at.asc(), Filing.id)
        else:
            enterprise = await repository.enterprises_of_accounts(
                session, [uuid.UUID(actor.account_id)]
            )
            # As `record_for`: an undecided takeover is its applicant's only.
            takeover = Filing.change_kind == ChangeKind.LIAISON_TAKEOVER
            mine = takeover & (Filing.created_by == uuid.UUID(actor.account_id))
            own = next(iter(enterprise.values()), None)
            theirs = (Filing.enterprise_id == own.id if own else false()) & (
                Filing.change_kind.is_distinct_from(ChangeKind.LIAISON_TAKEOVER)
                | (Filing.status == FilingStatus.APPROVED)
            )
            query = query.where(mine | theirs)
            order = (Filing.created_at.desc(), Filing.id)
        query = where.apply(query)
        total = await session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await session.scalars(query.order_by(*order).offset(page.offset).limit(page.limit))
        return list(rows), total or 0

    @staticmethod
    def _past_branch() -> ColumnElement[bool]:
        """Records a branch approved: at city review, approved, or decided by the city."""
        decided_by_city = (
            select(Review.id)
            .where(Review.filing_id == Filing.id, Review.level == ReviewLevel.CITY)
            .exists()
        )
        return (
            Filing.status.in_([FilingStatus.CITY_REVIEW, FilingStatus.APPROVED]) | decided_by_city
        )

    async def changes(
        self, session: AsyncSession, record: Filing
    ) -> tuple[int | None, list[FieldChange]]:
        """What changed against the previously submitted revision (or, for a change record's
        first revision, against the approved data it started from)."""
        previous = await session.scalar(
            select(FilingRevision)
            .where(FilingRevision.filing_id == record.id, FilingRevision.revision < record.revision)
            .order_by(FilingRevision.revision.desc())
            .limit(1)
        )
        if previous is not None:
            return previous.revision, diff(previous.data, record.data)
        if record.base_data is not None:
            # Only what the record holds: a liaison change holds the liaison, not the enterprise.
            base = {key: value for key, value in record.base_data.items() if key in record.data}
            return 0, diff(base, record.data)
        return None, []

    # --- printed forms ---------------------------------------------------------------------

    async def application_form(self, session: AsyncSession, actor: Actor, record: Filing) -> str:
        kind = forms.application_form_kind(record)
        enterprise = await repository.enterprise(session, record.enterprise_id)
        assert enterprise is not None
        if kind == forms.LIAISON_CHANGE_FORM:
            data = forms.liaison_change(record, enterprise.data, self.settings.districts)
        elif kind == forms.ENTERPRISE_CHANGE_FORM:
            data = forms.enterprise_change(record, self.settings.districts)
        else:
            check_complete(record.data)
            data = forms.filing_application(record.data, self.settings.districts)
        return await self._print(session, record, kind, data)

    async def commitment_letter(self, session: AsyncSession, actor: Actor, record: Filing) -> str:
        if record.change_kind not in (None, ChangeKind.LIAISON_TAKEOVER):
            raise ValidationFailed.single(
                "commitmentLetter",
                "变更申请不需要承诺书",
                "a change request needs no commitment letter",
            )
        check_complete(record.data)
        return await self._print(
            session, record, forms.COMMITMENT_LETTER, self.printer.commitment_letter(record.data)
        )

    async def _print(self, session: AsyncSession, record: Filing, kind: str, data: dict) -> str:
        owner = (
            str(record.created_by) if record.change_kind == ChangeKind.LIAISON_TAKEOVER else None
        )
        rendered = await self.printer.render(record, kind, data, owner)
        if (record.printed_revision or 0) < record.revision and record.status in (
            FilingStatus.DRAFT,
            FilingStatus.REJECTED,
        ):
            locked = await repository.filing(session, record.id, for_update=True)
            if locked is not None and locked.revision == record.revision:
                locked.printed_revision = record.revision
        return rendered.document_id

    # --- attachments -----------------------------------------------------------------------

    async def attach(
        self,
        session: AsyncSession,
        actor: Actor,
        filing_id: str,
        kind: str,
        attachment_id: str,
        liaison_index: int,
    ) -> Filing:
        record = await self._own_record(session, actor, filing_id)
        accepted = {slot.kind for slot in requirements.slots(record)} | {requirements.SUPPLEMENTARY}
        if kind not in accepted:
            raise ValidationFailed.single(
                "kind",
                "本记录不需要这类材料",
                f"this record takes {', '.join(sorted(accepted))}",
            )
        begin_edit(record)
        if kind in requirements.PER_LIAISON:
            count = max(len(record.data.get("liaisons") or []), 1)
            if not 0 <= liaison_index < count:
                raise ValidationFailed.single(
                    "liaisonIndex", f"联络员序号应为0–{count - 1}", f"must be 0–{count - 1}"
                )
        else:
            liaison_index = 0
        file = await self.printer.attachment(str(parse(attachment_id, _FORM_FIELD)))
        self._check_owner(actor, record, file)
        if file.kind != kind:
            raise ValidationFailed.single(
                "kind",
                f"该文件上传时的类别为{requirements.LABELS.get(file.kind, file.kind)}，"
                "与所选类别不符",
                f"the file was uploaded as {file.kind}, not {kind}",
            )
        if kind in requirements.PRINTED:
            self._check_printed(record, kind, file)
        session.add(
            FiledAttachment(
                filing_id=record.id,
                kind=kind,
                liaison_index=liaison_index,
                attachment_id=uuid.UUID(file.id),
                revision=record.revision,
                file_name=file.file_name,
                attached_by=uuid.UUID(actor.account_id),
                attached_at=utcnow(),
            )
        )
        record.updated_at = utcnow()
        audit.record(session, actor, "filing.attached", record, kind=kind, attachmentId=file.id)
        await session.flush()
        return record

    @staticmethod
    def _check_owner(actor: Actor, record: Filing, file: object) -> None:
        owner_enterprise = getattr(file, "owner_enterprise_id", "")
        owner_account = getattr(file, "owner_account_id", "")
        # A takeover's applicant does not act for the enterprise (yet): its files are not theirs.
        by_member = record.change_kind != ChangeKind.LIAISON_TAKEOVER
        if (by_member and owner_enterprise == str(record.enterprise_id)) or (
            owner_account == actor.account_id
        ):
            return
        raise NotFound(Message("找不到该附件（请先上传）", "No such attachment (upload it first)"))

    def _check_printed(self, record: Filing, kind: str, file: object) -> None:
        expected = {
            requirements.APPLICATION_FORM: forms.application_form_kind(record),
            requirements.CHANGE_FORM: forms.ENTERPRISE_CHANGE_FORM,
            requirements.COMMITMENT_LETTER: forms.COMMITMENT_LETTER,
        }[kind]
        printed_kind = getattr(file, "printed_kind", "")
        subject = getattr(file, "printed_subject_id", "")
        revision = getattr(file, "printed_revision", 0)
        label = requirements.LABELS[kind]
        if not printed_kind:
            raise ValidationFailed.single(
                _FORM_FIELD,
                f"未能识别{label}右上角的二维码，请上传本系统下载打印的{label}的完整清晰扫描件",
                f"No QR code of this system was found on the {kind.lower()}: upload a complete, "
                "legible scan of the form printed from this system",
            )
        if printed_kind != expected or subject != str(record.id):
            raise ValidationFailed.single(
                _FORM_FIELD,
                f"该{label}不是本条备案记录打印的，请下载本记录的{label}",
                f"This {kind.lower()} was printed for another record",
            )
        if revision != record.revision:
            raise ValidationFailed.single(
                _FORM_FIELD,
                f"该{label}打印自第{revision}版，当前为第{record.revision}版，"
                f"请下载最新的{label}打印后重新上传",
                f"This form was printed from revision {revision}; the record is at revision "
                f"{record.revision}. Download the current form, print it and upload it again",
            )

    # --- submission ------------------------------------------------------------------------

    async def submit(self, session: AsyncSession, actor: Actor, filing_id: str) -> Filing:
        record = await self._own_record(session, actor, filing_id)
        if record.status == FilingStatus.REJECTED:
            raise MustEditFirst()
        if record.status != FilingStatus.DRAFT:
            raise Conflict(
                Message("该备案已提交，请勿重复提交", "The filing was already submitted")
            )
        account = await self.identity.get(actor.account_id)
        if not account.exam_passed:
            raise ExamNotPassed()
        enterprise = await repository.enterprise(session, record.enterprise_id)
        assert enterprise is not None
        if record.change_kind in (ChangeKind.LIAISON_CHANGE, ChangeKind.LIAISON_ADDITION):
            await self._check_new_liaison(session, record)
        elif record.change_kind != ChangeKind.INFORMATION:
            check_complete(record.data)
        record.district = record.data.get("district") or enterprise.district
        if record.district not in self.settings.districts:
            raise ValidationFailed.single(
                "district", "请填写本市受理范围内的区（市）", "the district is not accepted here"
            )
        attached = (await repository.attachments_of(session, [record.id]))[record.id]
        missing = [item for item in requirements.check(record, attached) if not item.satisfied]
        if missing:
            errors = FieldErrors()
            for item in missing:
                errors.add(
                    f"attachments.{item.slot.kind}.{item.slot.liaison_index}",
                    item.problem or "",
                    f"{item.slot.kind} (liaison {item.slot.liaison_index}) is missing or stale",
                )
            errors.raise_if_any()
        now = utcnow()
        record.status = FilingStatus.BRANCH_REVIEW
        record.submitted_at = now
        record.renew_kinds = []
        await session.merge(
            FilingRevision(
                filing_id=record.id,
                revision=record.revision,
                data=record.data,
                submitted_by=uuid.UUID(actor.account_id),
                submitted_at=now,
            )
        )
        audit.record(session, actor, "filing.submitted", record, revision=record.revision)
        await events.record_progress(session, events.SUBMITTED, record, enterprise)
        await session.flush()
        return record

    async def _check_new_liaison(self, session: AsyncSession, record: Filing) -> None:
        mobile = record.data["liaison"]["mobile"]
        accounts = await repository.active_accounts_by_phone(session, [mobile])
        path = "liaison.mobile"
        if mobile not in accounts:
            raise ValidationFailed.single(
                path,
                "新联络员尚未注册账号或账号未审核通过，请先用该手机号注册",
                "the new liaison has no approved account with this mobile number",
            )
        account = await self.identity.get(str(accounts[mobile]))
        if not account.exam_passed:
            raise ValidationFailed.single(
                path, "新联络员尚未通过外管联络员考试", "the new liaison has not passed the exam"
            )
        other = await repository.enterprises_of_accounts(session, [accounts[mobile]])
        if other and next(iter(other.values())).id != record.enterprise_id:
            raise ValidationFailed.single(
                path, "新联络员已是其他单位的联络员", "the new liaison acts for another enterprise"
            )

    async def _own_record(self, session: AsyncSession, actor: Actor, filing_id: str) -> Filing:
        if Role.ENTERPRISE_USER not in actor.roles:
            raise Forbidden(Message("仅企业用户可以办理备案", "Only enterprise users can file"))
        return await record_for(session, actor, filing_id, for_update=True, liaison=True)
