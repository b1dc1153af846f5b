"""Officer and admin operations on accounts: disable/enable, and the legacy account import."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from identity.accounts import events, repository
from identity.accounts.models import Account, AccountStatus, LegacyImport
from identity.accounts.passwords import Passwords
from identity.accounts.service import existing_account
from identity.accounts.sessions import sign_out_everywhere
from servicekit.auth import Actor, Role
from servicekit.errors import Forbidden, InvalidState, ValidationFailed
from servicekit.logs import mask_personal_data
from servicekit.outbox import Outbox
from servicekit.validation import normalise_mobile

OFFICERS = (Role.BRANCH_OFFICER, Role.CITY_OFFICER, Role.ADMIN)
# The old system's export: enterprise, liaison name, phone (English or Chinese headers).
HEADERS = {
    "enterprise": "enterprise",
    "单位名称": "enterprise",
    "liaison_name": "liaison_name",
    "联络员姓名": "liaison_name",
    "phone": "phone",
    "手机号码": "phone",
    "联系电话": "phone",
}


@dataclass
class ImportReport:
    imported: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)


@dataclass
class AccountAdmin:
    passwords: Passwords
    outbox: Outbox

    async def set_disabled(
        self,
        session: AsyncSession,
        actor: Actor,
        account_id: str,
        disabled: bool,
        reason: str | None,
    ) -> Account:
        actor.require(*OFFICERS)
        account = await existing_account(session, account_id, for_update=True)
        if str(account.id) == actor.account_id:
            raise Forbidden()
        if Role.ADMIN not in actor.roles and account.roles != [Role.ENTERPRISE_USER.value]:
            raise Forbidden()  # officers manage enterprise accounts; admins manage everyone
        if disabled:
            if account.status != AccountStatus.ACTIVE:
                raise InvalidState()
            if not (reason or "").strip():
                raise ValidationFailed.single("reason", "停用时请填写原因", "a reason is required")
            account.status, account.disabled_reason = AccountStatus.DISABLED, reason
            await sign_out_everywhere(session, account.id)
        else:
            if account.status != AccountStatus.DISABLED:
                raise InvalidState()
            account.status, account.disabled_reason = AccountStatus.ACTIVE, None
        await self.outbox.record(
            session,
            events.DISABLED if disabled else events.ENABLED,
            str(account.id),
            events.account_data(account, by=actor.account_id, reason=account.disabled_reason),
        )
        return account

    async def import_legacy(self, session: AsyncSession, actor: Actor, text: str) -> ImportReport:
        """Creates an ACTIVE account per valid row, with the phone as username and initial
        password and PASSWORD_CHANGE_REQUIRED; landlines and bad rows are reported, not
        imported; a row imported before changes nothing."""
        actor.require(Role.ADMIN)
        return await import_rows(session, self.passwords, self.outbox, text)


async def import_rows(
    session: AsyncSession, passwords: Passwords, outbox: Outbox, text: str
) -> ImportReport:
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = {HEADERS.get((name or "").strip()): name for name in reader.fieldnames or []}
    if not {"enterprise", "liaison_name", "phone"} <= columns.keys():
        raise ValidationFailed.single(
            "csv",
            "表头应为：单位名称,联络员姓名,手机号码",
            "the header must be: enterprise,liaison_name,phone",
        )
    done = set(await session.scalars(select(LegacyImport.phone)))
    for row in reader:
        line = reader.line_num
        enterprise = (row[columns["enterprise"]] or "").strip()
        name = (row[columns["liaison_name"]] or "").strip()
        raw_phone = (row[columns["phone"]] or "").strip()
        try:
            phone = normalise_mobile(raw_phone)
        except ValidationFailed:
            report.rejected.append(
                (line, f"不是手机号码（座机或格式错误）：{mask_personal_data(raw_phone)}")
            )
            continue
        if not enterprise or not name:
            report.rejected.append((line, "单位名称和联络员姓名不能为空"))
            continue
        if phone in done:
            report.unchanged += 1
            continue
        if await repository.exists_with(session, phone=phone, email=None):
            report.rejected.append((line, "该手机号码已注册账号，请该单位在新系统中办理"))
            continue
        account = Account(
            id=uuid.uuid4(),
            username=phone,
            phone=phone,
            name=name,
            password_hash=passwords.hash(phone),
            roles=[Role.ENTERPRISE_USER.value],
            districts=[],
            status=AccountStatus.ACTIVE,
            password_change_required=True,
        )
        session.add(account)
        session.add(
            LegacyImport(
                phone=phone, enterprise_name=enterprise, liaison_name=name, account_id=account.id
            )
        )
        await outbox.record(
            session,
            events.IMPORTED,
            str(account.id),
            events.account_data(account, enterpriseName=enterprise, legacy=True),
        )
        done.add(phone)
        report.imported += 1
    return report
