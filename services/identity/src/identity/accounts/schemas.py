from __future__ import annotations

import uuid
from dataclasses import dataclass

from identity.accounts.models import Account


@dataclass(frozen=True)
class Registration:
    code: str
    password: str
    name: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Session:
    access_token: str
    refresh_token: str
    expires_in: int
    account: Account


@dataclass(frozen=True)
class AccountReview:
    account_id: uuid.UUID
    approve: bool
    reason: str | None


@dataclass(frozen=True)
class PasswordReset:
    recipient: str  # the phone or e-mail the code was sent to
    code: str
    new_password: str
