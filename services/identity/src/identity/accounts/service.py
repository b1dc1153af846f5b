"""Account rules: registration and officer approval (sign-in is in sessions.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from identity.accounts import events, repository
from identity.accounts.models import Account, AccountStatus
from identity.accounts.passwords import Passwords, check_policy
from identity.accounts.schemas import AccountReview, Registration
from identity.config import IdentitySettings
from identity.verification.models import Channel, CodePurpose
from identity.verification.senders import Sender
from identity.verification.service import Codes, normalise_email, notify
from servicekit.auth import Actor, Role
from servicekit.calendar import CHINA_TZ, WorkingCalendar
from servicekit.db import utcnow
from servicekit.errors import (
    Conflict,
    FieldErrors,
    InvalidState,
    NotFound,
    ValidationFailed,
)
from servicekit.outbox import Outbox
from servicekit.validation import normalise_mobile

REVIEWERS = (Role.BRANCH_OFFICER, Role.CITY_OFFICER, Role.ADMIN)


@dataclass
class Accounts:
    settings: IdentitySettings
    passwords: Passwords
    codes: Codes
    sender: Sender
    outbox: Outbox
    calendar: WorkingCalendar

    async def register(self, session: AsyncSession, form: Registration) -> Account:
        errors = FieldErrors()
        phone = email = None
        try:
            if form.phone:
                phone = normalise_mobile(form.phone)
            if form.email:
                email = normalise_email(form.email)
        except ValidationFailed as exc:
            errors.items.extend(exc.fields)
        if not form.phone and not form.email:
            errors.add("phone", "请填写手机号码或电子邮箱", "give a phone number or an e-mail")
        name = form.name.strip()
        if not 1 <= len(name) <= 64:
            errors.add(
                "name", "请填写姓名（不超过64字）", "name is required (at most 64 characters)"
            )
        check_policy(form.password, phone, errors)
        errors.raise_if_any()
        if await repository.exists_with(session, phone=phone, email=email):
            raise ValidationFailed.single(
                "phone" if phone else "email", "该号码或邮箱已注册", "already registered"
            )
        recipient = phone or email
        assert recipient is not None
        await self.codes.consume(session, recipient, CodePurpose.REGISTER, form.code)
        now = utcnow()
        account = Account(
            id=uuid.uuid4(),
            username=recipient,
            phone=phone,
            email=email,
            name=name,
            password_hash=self.passwords.hash(form.password),
            roles=[Role.ENTERPRISE_USER.value],
            districts=[],
            status=AccountStatus.PENDING_APPROVAL,
            created_at=now,
            approval_due_at=self.calendar.add_working_hours(
                now.astimezone(CHINA_TZ), self.settings.approval_working_hours
            ),
        )
        session.add(account)
        try:
            await session.flush()
        except IntegrityError as exc:  # a concurrent registration of the same phone won
            raise Conflict() from exc
        await self.outbox.record(
            session, events.REGISTERED, str(account.id), events.account_data(account)
        )
        return account

    async def pending(
        self, session: AsyncSession, actor: Actor, offset: int, limit: int
    ) -> tuple[list[Account], int]:
        actor.require(*REVIEWERS)
        return await repository.pending(session, offset, limit)

    async def review(self, session: AsyncSession, actor: Actor, review: AccountReview) -> Account:
        actor.require(*REVIEWERS)
        account = await repository.get(session, review.account_id, for_update=True)
        if account is None:
            raise NotFound()
        if account.status != AccountStatus.PENDING_APPROVAL:
            raise InvalidState()
        reason = (review.reason or "").strip()
        if not review.approve and not reason:
            raise ValidationFailed.single(
                "reason", "驳回时请填写原因", "a reason is required to reject"
            )
        account.status = AccountStatus.ACTIVE if review.approve else AccountStatus.REJECTED
        account.reviewed_by = uuid.UUID(actor.account_id)
        account.reviewed_at = utcnow()
        account.rejection_reason = None if review.approve else reason
        if review.approve:
            event, text = events.APPROVED, "您的涉外单位服务平台账号已审核通过，现在可以登录。"
        else:
            event, text = events.REJECTED, f"您的涉外单位服务平台账号未通过审核，原因：{reason}"
        await self.outbox.record(
            session,
            event,
            str(account.id),
            events.account_data(
                account,
                reviewedBy=actor.account_id,
                reviewedAt=account.reviewed_at.isoformat(),
                reason=account.rejection_reason,
            ),
        )
        channel = Channel.SMS if account.phone else Channel.EMAIL
        await notify(session, self.sender, channel, account.phone or account.email or "", text)
        return account

    async def get(self, session: AsyncSession, account_id: str) -> Account:
        return await existing_account(session, account_id)


async def existing_account(
    session: AsyncSession, account_id: str, *, for_update: bool = False
) -> Account:
    """The account with this id; NOT_FOUND for an unknown or malformed id."""
    try:
        key = uuid.UUID(account_id)
    except ValueError as exc:
        raise NotFound() from exc
    account = await repository.get(session, key, for_update=for_update)
    if account is None:
        raise NotFound()
    return account
