"""Enterprise filing rules: the NEW record's drafts (and a takeover's: a new liaison filing again
for an enterprise already filed, 附件3 一(二)), who acts for which enterprise, and liaisons."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from filing.accounts.identity_client import IdentityAccounts
from filing.config import FilingSettings
from filing.enterprises import repository
from filing.enterprises.models import (
    ChangeKind,
    Enterprise,
    EnterpriseMember,
    EnterpriseStatus,
    Filing,
    FilingStatus,
    Liaison,
    MemberRole,
    RecordType,
)
from filing.enterprises.schemas import FilingForm
from filing.enterprises.validation import check_filing
from filing.errors import AccountNotActive, NotEnterpriseUser
from filing.records import audit
from filing.records.access import LIAISONS_ONLY
from filing.records.revisions import begin_edit
from servicekit.auth import Actor, Role
from servicekit.errors import Conflict, Forbidden, InvalidState, Message, NotFound, ValidationFailed
from servicekit.validation import normalise_mobile

USCC_TAKEN = Message(
    "该统一社会信用代码已由其他账号备案", "Another account already files this enterprise"
)
TAKEOVER_USCC = (
    "接管备案的统一社会信用代码不能修改",
    "a takeover keeps the unified social credit code of the enterprise it takes over",
)
APPROVED_USE_CHANGES = Message(
    "备案已审核通过，如需修改请办理单位信息变更或联络员变更",
    "The filing is approved; request an information or liaison change instead",
)


@dataclass
class Enterprises:
    identity: IdentityAccounts
    settings: FilingSettings

    async def save_filing(self, session: AsyncSession, actor: Actor, form: FilingForm) -> Filing:
        """Creates or updates the DRAFT/REJECTED record (a draft may be partial)."""
        if Role.ENTERPRISE_USER not in actor.roles:
            raise NotEnterpriseUser()
        check_filing(form, self.settings.districts)
        account = await self.identity.get(actor.account_id)
        if not account.is_active:
            raise AccountNotActive()
        account_id = uuid.UUID(actor.account_id)
        member = await session.get(EnterpriseMember, account_id)
        if member is not None and member.role != MemberRole.LIAISON:
            raise Forbidden(LIAISONS_ONLY)
        data = form.as_data()
        if member is None:
            takeover = await self._takeover(session, account_id, form)
            if takeover is not None:
                begin_edit(takeover, data)
                audit.record(session, actor, "filing.saved", takeover, revision=takeover.revision)
                return takeover
            enterprise, record = await self._start(session, account_id, form)
        else:
            enterprise, record = await self._new_record(session, member.enterprise_id, form)
        begin_edit(record, data)
        enterprise.name = form.enterprise_name.strip()
        enterprise.district = form.district
        record.district = form.district
        if enterprise.uscc != form.uscc:
            other = await repository.enterprise_by_uscc(session, form.uscc)
            if other is not None and other.id != enterprise.id:
                raise Conflict(USCC_TAKEN)
            enterprise.uscc = form.uscc
        if form.liaisons is not None:
            await self._save_liaisons(session, enterprise.id, form)
        try:
            await session.flush()
        except IntegrityError as exc:  # a concurrent save took the same USCC
            raise Conflict(USCC_TAKEN) from exc
        audit.record(session, actor, "filing.saved", record, revision=record.revision)
        return record

    async def _takeover(
        self, session: AsyncSession, account_id: uuid.UUID, form: FilingForm
    ) -> Filing | None:
        """A new liaison files for an enterprise that is already filed: their record is a
        CHANGE (LIAISON_TAKEOVER) of that enterprise, decided in review. None otherwise."""
        if form.id is not None:
            record = await repository.filing(session, form.id, for_update=True)
            if record is None or record.created_by != account_id:
                raise NotFound()
            if record.change_kind != ChangeKind.LIAISON_TAKEOVER:
                return None
            taken = await repository.enterprise(session, record.enterprise_id)
            if taken is not None and taken.uscc != form.uscc:
                raise ValidationFailed.single("uscc", *TAKEOVER_USCC)
            return record
        existing = await repository.enterprise_by_uscc(session, form.uscc)
        if existing is None:
            return None
        if existing.status != EnterpriseStatus.FILED:
            raise Conflict(USCC_TAKEN)
        record = await repository.open_takeover(session, existing.id, account_id)
        if record is None:
            record = Filing(
                id=uuid.uuid4(),
                enterprise_id=existing.id,
                record_type=RecordType.CHANGE,
                change_kind=ChangeKind.LIAISON_TAKEOVER,
                status=FilingStatus.DRAFT,
                revision=1,
                data={},
                base_data=dict(existing.data),
                district=form.district or existing.district,
                created_by=account_id,
            )
            session.add(record)
        return record

    async def _start(
        self, session: AsyncSession, account_id: uuid.UUID, form: FilingForm
    ) -> tuple[Enterprise, Filing]:
        enterprise = Enterprise(id=uuid.uuid4(), name=form.enterprise_name, uscc=form.uscc)
        session.add(enterprise)
        await session.flush()
        session.add(EnterpriseMember(account_id=account_id, enterprise_id=enterprise.id))
        record = Filing(
            id=uuid.uuid4(),
            enterprise_id=enterprise.id,
            record_type=RecordType.NEW,
            status=FilingStatus.DRAFT,
            revision=1,
            created_by=account_id,
            data={},
        )
        session.add(record)
        return enterprise, record

    async def _new_record(
        self, session: AsyncSession, enterprise_id: uuid.UUID, form: FilingForm
    ) -> tuple[Enterprise, Filing]:
        enterprise = await repository.enterprise(session, enterprise_id, for_update=True)
        assert enterprise is not None
        if form.id is not None:
            record = await repository.filing(session, form.id, for_update=True)
            if record is None or record.enterprise_id != enterprise_id:
                raise NotFound()  # another enterprise's record: never reveal that it exists
        else:
            record = await repository.latest_filing(session, enterprise_id)
            assert record is not None
        if record.record_type != RecordType.NEW or record.status == FilingStatus.APPROVED:
            raise InvalidState(APPROVED_USE_CHANGES)
        return enterprise, record

    async def _save_liaisons(
        self, session: AsyncSession, enterprise_id: uuid.UUID, form: FilingForm
    ) -> None:
        assert form.liaisons is not None
        mobiles = [normalise_mobile(liaison.mobile) for liaison in form.liaisons]
        accounts = await repository.active_accounts_by_phone(session, mobiles)
        rows = [
            Liaison(
                id=uuid.uuid4(),
                enterprise_id=enterprise_id,
                account_id=accounts.get(mobile),
                name=liaison.name.strip(),
                sex=liaison.sex,
                id_type=liaison.id_type,
                id_number=liaison.id_number.upper(),
                mobile=mobile,
                position=liaison.position,
                social_security_months=liaison.social_security_months,
                photo_attachment_id=liaison.photo_attachment_id,
                position_order=index,
            )
            for index, (liaison, mobile) in enumerate(zip(form.liaisons, mobiles, strict=True))
        ]
        await repository.replace_liaisons(session, enterprise_id, rows)

    async def enterprise_of(self, session: AsyncSession, account_id: str) -> Enterprise | None:
        try:
            key = uuid.UUID(account_id)
        except ValueError:
            return None
        return (await repository.enterprises_of_accounts(session, [key])).get(key)

    async def visible_enterprise(
        self, session: AsyncSession, actor: Actor, enterprise_id: uuid.UUID
    ) -> Enterprise:
        """An enterprise user sees only its own enterprise; officers see all."""
        found = await repository.enterprise(session, enterprise_id)
        if found is None:
            raise NotFound()
        if not actor.is_officer:
            own = await self.enterprise_of(session, actor.account_id)
            if own is None or own.id != found.id:
                raise NotFound()
        return found
