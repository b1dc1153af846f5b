"""Account rules: registration, officer approval, sign-in and refresh-token sessions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from identity.accounts import events, repository
from identity.accounts.models import Account, AccountStatus, RefreshToken
from identity.accounts.passwords import Passwords, check_policy
from identity.accounts.schemas import AccountReview, Registration, Session
from identity.accounts.tokens import TokenIssuer, hash_refresh_token, new_refresh_token
from identity.config import IdentitySettings
from identity.errors import AccountDisabled, AccountRejected, WrongCredentials
from identity.verification.models import Channel, CodePurpose
from identity.verification.senders import Sender
from identity.verification.service import Codes, normalise_email, notify
from servicekit.auth import Actor, Role
from servicekit.calendar import CHINA_TZ, WorkingCalendar
from servicekit.db import keep_on_error, utcnow
from servicekit.errors import (
    AccountPending,
    Conflict,
    FieldErrors,
    InvalidState,
    NotFound,
    Unauthenticated,
    ValidationFailed,
)
from servicekit.outbox import Outbox
from servicekit.validation import normalise_mobile

REVIEWERS = (Role.BRANCH_OFFICER, Role.CITY_OFFICER, Role.ADMIN)


@dataclass
class Accounts:
    settings: IdentitySettings
    passwords: Passwords
    tokens: TokenIssuer
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

    async def login(self, session: AsyncSession, username: str, password: str) -> Session:
        account = await repository.by_username(session, username.strip().lower())
        if account is None or not self.passwords.verify(account.password_hash, password):
            raise WrongCredentials()
        if account.status == AccountStatus.PENDING_APPROVAL:
            raise AccountPending()
        if account.status == AccountStatus.REJECTED:
            raise AccountRejected()
        if account.status == AccountStatus.DISABLED:
            raise AccountDisabled()
        if self.passwords.needs_rehash(account.password_hash):
            account.password_hash = self.passwords.hash(password)
        return await self._open_session(session, account, family_id=uuid.uuid4())

    async def refresh(self, session: AsyncSession, refresh_token: str) -> Session:
        """Rotates the refresh token. Presenting a used one revokes the whole family."""
        stored = await repository.refresh_token(session, hash_refresh_token(refresh_token))
        now = utcnow()
        if stored is None or stored.revoked_at is not None or stored.expires_at <= now:
            raise Unauthenticated()
        if stored.used_at is not None:
            await _revoke_family(session, stored.family_id)
            keep_on_error(session)
            raise Unauthenticated()
        account = await repository.get(session, stored.account_id)
        if account is None or account.status != AccountStatus.ACTIVE:
            raise Unauthenticated()
        stored.used_at = now
        return await self._open_session(session, account, family_id=stored.family_id)

    async def logout(self, session: AsyncSession, refresh_token: str) -> bool:
        stored = await repository.refresh_token(session, hash_refresh_token(refresh_token))
        if stored is None:
            return False
        await _revoke_family(session, stored.family_id)
        return True

    async def _open_session(
        self, session: AsyncSession, account: Account, family_id: uuid.UUID
    ) -> Session:
        token, token_hash = new_refresh_token()
        session.add(
            RefreshToken(
                account_id=account.id,
                family_id=family_id,
                token_hash=token_hash,
                expires_at=utcnow() + timedelta(days=self.settings.refresh_token_days),
            )
        )
        return Session(
            access_token=self.tokens.access_token(account),
            refresh_token=token,
            expires_in=self.tokens.access_token_seconds,
            account=account,
        )

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
        try:
            key = uuid.UUID(account_id)
        except ValueError as exc:
            raise NotFound() from exc
        account = await repository.get(session, key)
        if account is None:
            raise NotFound()
        return account


async def _revoke_family(session: AsyncSession, family_id: uuid.UUID) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
