"""The enterprise's HR user (企业邮箱 account, the labour side): a liaison binds it by its e-mail
address, so that both see the enterprise's foreign persons and permit applications. An account
acts for one enterprise; an HR user does not file or request changes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from filing.accounts.models import AccountProjection
from filing.enterprises import repository
from filing.enterprises.models import Enterprise, EnterpriseMember, MemberRole
from filing.records import audit
from filing.records.access import member_enterprise
from servicekit.auth import Actor, Role
from servicekit.errors import Conflict, Forbidden, Message, NotFound, ValidationFailed

NO_SUCH_ACCOUNT = Message(
    "没有使用该邮箱且已审核通过的账号，请先用企业邮箱注册",
    "No approved account uses this e-mail address; register it first",
)


@dataclass
class Members:
    async def bind_hr(self, session: AsyncSession, actor: Actor, email: str) -> Enterprise:
        enterprise = await self._liaisons_enterprise(session, actor)
        address = email.strip().lower()
        if "@" not in address:
            raise ValidationFailed.single("email", "邮箱格式不正确", "not an e-mail address")
        account = await session.scalar(
            select(AccountProjection).where(
                func.lower(AccountProjection.email) == address,
                AccountProjection.status == "ACTIVE",
            )
        )
        if account is None:
            raise ValidationFailed.single("email", NO_SUCH_ACCOUNT.zh, NO_SUCH_ACCOUNT.en)
        existing = await session.get(EnterpriseMember, account.account_id)
        if existing is not None:
            if existing.enterprise_id == enterprise.id:
                return enterprise  # already bound: binding twice changes nothing
            raise Conflict(
                Message("该账号已是其他单位的用户", "The account acts for another enterprise")
            )
        session.add(
            EnterpriseMember(
                account_id=account.account_id, enterprise_id=enterprise.id, role=MemberRole.HR
            )
        )
        audit.record(
            session,
            actor,
            "enterprise.hr_bound",
            enterprise_id=enterprise.id,
            accountId=str(account.account_id),
        )
        await session.flush()
        return enterprise

    async def unbind_hr(self, session: AsyncSession, actor: Actor, account_id: str) -> Enterprise:
        enterprise = await self._liaisons_enterprise(session, actor)
        try:
            key = uuid.UUID(account_id)
        except ValueError as exc:
            raise NotFound() from exc
        member = await session.get(EnterpriseMember, key)
        if member is None or member.enterprise_id != enterprise.id or member.role != MemberRole.HR:
            raise NotFound()
        await session.delete(member)
        audit.record(
            session,
            actor,
            "enterprise.hr_unbound",
            enterprise_id=enterprise.id,
            accountId=account_id,
        )
        await session.flush()
        return enterprise

    async def _liaisons_enterprise(self, session: AsyncSession, actor: Actor) -> Enterprise:
        if Role.ENTERPRISE_USER not in actor.roles:
            raise Forbidden()
        enterprise_id = await member_enterprise(session, actor, liaison=True)
        if enterprise_id is None:
            raise Forbidden(Message("请先办理单位备案", "File the enterprise first"))
        enterprise = await repository.enterprise(session, enterprise_id, for_update=True)
        assert enterprise is not None
        return enterprise
