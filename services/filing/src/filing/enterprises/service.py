"""Enterprise filing rules: drafts, who acts for which enterprise, and liaisons."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from filing.accounts.identity_client import IdentityAccounts
from filing.enterprises import repository
from filing.enterprises.models import (
    Enterprise,
    EnterpriseMember,
    Filing,
    FilingStatus,
    Liaison,
    RecordType,
)
from filing.enterprises.schemas import FilingForm
from filing.enterprises.validation import check_filing
from filing.errors import AccountNotActive, FilingLocked, NotEnterpriseUser
from servicekit.auth import Actor, Role
from servicekit.errors import Conflict, Message, NotFound
from servicekit.validation import normalise_mobile

EDITABLE = (FilingStatus.DRAFT, FilingStatus.REJECTED)
USCC_TAKEN = Message(
    "该统一社会信用代码已由其他账号备案", "Another account already files this enterprise"
)


@dataclass
class Enterprises:
    identity: IdentityAccounts

    async def save_filing(self, session: AsyncSession, actor: Actor, form: FilingForm) -> Filing:
        """Creates or updates the enterprise's DRAFT/REJECTED record (a draft may be partial)."""
        if Role.ENTERPRISE_USER not in actor.roles:
            raise NotEnterpriseUser()
        check_filing(form)
        account = await self.identity.get(actor.account_id)
        if not account.is_active:
            raise AccountNotActive()
        account_id = uuid.UUID(actor.account_id)
        member = await session.get(EnterpriseMember, account_id)
        if member is None:
            enterprise, record = await self._start(session, account_id, form)
        else:
            enterprise, record = await self._editable_record(session, member.enterprise_id, form)
        enterprise.name = form.enterprise_name.strip()
        enterprise.district = form.district
        if enterprise.uscc != form.uscc:
            other = await repository.enterprise_by_uscc(session, form.uscc)
            if other is not None and other.id != enterprise.id:
                raise Conflict(USCC_TAKEN)
            enterprise.uscc = form.uscc
        if record.status == FilingStatus.REJECTED:
            record.status = FilingStatus.DRAFT
            record.revision += 1  # every edit after a rejection is a new revision
        record.data = form.as_data()
        if form.liaisons is not None:
            await self._save_liaisons(session, enterprise.id, form)
        try:
            await session.flush()
        except IntegrityError as exc:  # a concurrent save took the same USCC
            raise Conflict(USCC_TAKEN) from exc
        return record

    async def _start(
        self, session: AsyncSession, account_id: uuid.UUID, form: FilingForm
    ) -> tuple[Enterprise, Filing]:
        if form.id is not None:
            raise NotFound()
        if await repository.enterprise_by_uscc(session, form.uscc) is not None:
            # Liaison change (b) — linking a new liaison to a filed enterprise — is a later issue.
            raise Conflict(USCC_TAKEN)
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

    async def _editable_record(
        self, session: AsyncSession, enterprise_id: uuid.UUID, form: FilingForm
    ) -> tuple[Enterprise, Filing]:
        enterprise = await repository.enterprise(session, enterprise_id)
        assert enterprise is not None
        if form.id is not None:
            record = await repository.filing(session, form.id, for_update=True)
            if record is None or record.enterprise_id != enterprise_id:
                raise NotFound()  # another enterprise's record: never reveal that it exists
        else:
            record = await repository.latest_filing(session, enterprise_id)
            assert record is not None
        if record.status not in EDITABLE:
            raise FilingLocked()
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
