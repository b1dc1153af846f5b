"""Sign-in, lockout, refresh-token sessions and passwords."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from identity.accounts import events, repository
from identity.accounts.lockout import LockoutPolicy, is_locked, record_failure, record_success
from identity.accounts.models import Account, AccountStatus, RefreshToken
from identity.accounts.passwords import Passwords, check_policy
from identity.accounts.schemas import PasswordReset, Session
from identity.accounts.sign_in_limit import SignInLimit
from identity.accounts.tokens import TokenIssuer, hash_refresh_token, new_refresh_token
from identity.config import IdentitySettings
from identity.errors import AccountDisabled, AccountRejected, WrongCredentials
from identity.verification.models import Channel, CodePurpose
from identity.verification.service import Codes, normalise_recipient
from servicekit.auth import Actor
from servicekit.calendar import CHINA_TZ
from servicekit.db import keep_on_error, utcnow
from servicekit.errors import (
    AccountLocked,
    AccountPending,
    FieldErrors,
    Message,
    NotFound,
    Unauthenticated,
)
from servicekit.outbox import Outbox


def locked_until_message(account: Account) -> Message:
    assert account.locked_until is not None
    until = account.locked_until.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    return Message(
        f"登录失败次数过多，账号已锁定至 {until}（北京时间），可通过验证码重置密码",
        f"Too many failed sign-ins: locked until {until} (Beijing time); a password reset by "
        "code unlocks it",
    )


@dataclass
class Sessions:
    settings: IdentitySettings
    passwords: Passwords
    tokens: TokenIssuer
    codes: Codes
    outbox: Outbox
    lockout: LockoutPolicy
    sign_in_limit: SignInLimit

    async def login(
        self, session: AsyncSession, username: str, password: str, client_ip: str | None
    ) -> Session:
        now = utcnow()
        if client_ip:
            # First of all: an address past its limit learns nothing of the account or password.
            await self.sign_in_limit.check(session, client_ip, now)
        account = await repository.by_username(session, username.strip().lower(), for_update=True)
        if account is None:
            self._count_failure(session, client_ip, now)
            raise WrongCredentials()
        if is_locked(account, now):
            raise AccountLocked(locked_until_message(account))
        if not self.passwords.verify(account.password_hash, password):
            self._count_failure(session, client_ip, now)
            if record_failure(account, now, self.lockout):
                await self.outbox.record(
                    session,
                    events.LOCKED,
                    str(account.id),
                    events.account_data(
                        account,
                        lockedUntil=account.locked_until.isoformat()
                        if account.locked_until
                        else None,
                    ),
                )
                raise AccountLocked(locked_until_message(account))
            raise WrongCredentials()
        if account.status == AccountStatus.PENDING_APPROVAL:
            raise AccountPending()
        if account.status == AccountStatus.REJECTED:
            raise AccountRejected()
        if account.status == AccountStatus.DISABLED:
            raise AccountDisabled()
        record_success(account)
        if self.passwords.needs_rehash(account.password_hash):
            account.password_hash = self.passwords.hash(password)
        return await self._open(session, account, family_id=uuid.uuid4())

    def _count_failure(self, session: AsyncSession, client_ip: str | None, now: datetime) -> None:
        """Counts for the address's limit (and the account's lockout, by the caller) even though
        the request fails."""
        keep_on_error(session)
        if client_ip:
            self.sign_in_limit.record_failure(session, client_ip, now)

    async def refresh(self, session: AsyncSession, refresh_token: str) -> Session:
        """Rotates the refresh token. Presenting a used one revokes the whole family."""
        stored = await repository.refresh_token(session, hash_refresh_token(refresh_token))
        now = utcnow()
        if stored is None or stored.revoked_at is not None or stored.expires_at <= now:
            raise Unauthenticated()
        if stored.used_at is not None:
            await revoke_family(session, stored.family_id)
            keep_on_error(session)
            raise Unauthenticated()
        account = await repository.get(session, stored.account_id)
        if account is None or account.status != AccountStatus.ACTIVE:
            raise Unauthenticated()
        stored.used_at = now
        return await self._open(session, account, family_id=stored.family_id)

    async def logout(self, session: AsyncSession, refresh_token: str) -> bool:
        stored = await repository.refresh_token(session, hash_refresh_token(refresh_token))
        if stored is None:
            return False
        await revoke_family(session, stored.family_id)
        return True

    async def change_password(
        self, session: AsyncSession, actor: Actor, old_password: str, new_password: str
    ) -> Account:
        """Also how an imported account clears PASSWORD_CHANGE_REQUIRED."""
        account = await repository.get(session, uuid.UUID(actor.account_id), for_update=True)
        if account is None:
            raise NotFound()
        errors = FieldErrors()
        if not self.passwords.verify(account.password_hash, old_password):
            errors.add("oldPassword", "原密码不正确", "the current password is wrong")
        check_policy(new_password, account.phone, errors, path="newPassword")
        if old_password == new_password:
            errors.add("newPassword", "新密码不能与原密码相同", "must differ from the current one")
        errors.raise_if_any()
        self._set_password(account, new_password)
        return account

    async def request_reset_code(
        self, session: AsyncSession, channel: Channel, raw_recipient: str, client_ip: str | None
    ) -> None:
        """Sends a reset code to an existing account only, and answers the same either way, so
        that nobody learns which numbers have accounts."""
        recipient = normalise_recipient(channel, raw_recipient)
        if await repository.by_username(session, recipient) is not None:
            await self.codes.request(
                session, channel, recipient, CodePurpose.RESET_PASSWORD, client_ip
            )

    async def reset_password(self, session: AsyncSession, form: PasswordReset) -> None:
        """By a code sent to the account's phone or e-mail; unlocks and signs out everywhere."""
        recipient = form.recipient.strip().lower()
        errors = FieldErrors()
        check_policy(
            form.new_password,
            recipient if recipient.isdigit() else None,
            errors,
            path="newPassword",
        )
        errors.raise_if_any()
        await self.codes.consume(session, recipient, CodePurpose.RESET_PASSWORD, form.code)
        account = await repository.by_username(session, recipient, for_update=True)
        if account is None:  # a code is only sent to existing accounts; race with a deletion
            raise NotFound()
        self._set_password(account, form.new_password)
        record_success(account)
        await sign_out_everywhere(session, account.id)

    def _set_password(self, account: Account, password: str) -> None:
        account.password_hash = self.passwords.hash(password)
        account.password_change_required = False
        account.password_changed_at = utcnow()

    async def _open(self, session: AsyncSession, account: Account, family_id: uuid.UUID) -> Session:
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


async def revoke_family(session: AsyncSession, family_id: uuid.UUID) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def sign_out_everywhere(session: AsyncSession, account_id: uuid.UUID) -> int:
    """Revokes every refresh token of the account, so that none of its sessions can be refreshed;
    answers how many sessions (token families) that ended. Revoking again ends none."""
    families = await session.scalars(
        update(RefreshToken)
        .where(RefreshToken.account_id == account_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .returning(RefreshToken.family_id)
    )
    return len(set(families))
