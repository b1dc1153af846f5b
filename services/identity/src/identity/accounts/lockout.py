"""Sign-in lockout: 5 failures within 15 minutes lock the account; each lock lasts twice as long
as the one before (15 min, 30 min, 1 h, … at most 24 h) until a successful sign-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from identity.accounts.models import Account


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    first_lock: timedelta = timedelta(minutes=15)
    longest_lock: timedelta = timedelta(hours=24)


def is_locked(account: Account, now: datetime) -> bool:
    return account.locked_until is not None and account.locked_until > now


def record_failure(account: Account, now: datetime, policy: LockoutPolicy) -> bool:
    """Counts a failed sign-in; True when this failure locked the account."""
    started = account.failed_window_started_at
    if started is None or now - started > policy.window:
        account.failed_window_started_at = now
        account.failed_logins = 0
    account.failed_logins += 1
    if account.failed_logins < policy.max_failures:
        return False
    account.locked_until = now + min(policy.first_lock * 2**account.lock_level, policy.longest_lock)
    account.lock_level += 1
    account.failed_logins = 0
    account.failed_window_started_at = None
    return True


def record_success(account: Account) -> None:
    account.failed_logins = 0
    account.failed_window_started_at = None
    account.locked_until = None
    account.lock_level = 0
