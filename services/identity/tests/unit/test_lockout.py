from datetime import UTC, datetime, timedelta

from identity.accounts.lockout import LockoutPolicy, is_locked, record_failure, record_success
from identity.accounts.models import Account

policy = LockoutPolicy()
T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def fresh() -> Account:
    return Account(failed_logins=0, lock_level=0)


def test_five_failures_within_fifteen_minutes_lock_for_fifteen_minutes() -> None:
    account = fresh()
    assert not any(record_failure(account, T0 + timedelta(minutes=i), policy) for i in range(4))
    assert record_failure(account, T0 + timedelta(minutes=4), policy)
    assert is_locked(account, T0 + timedelta(minutes=18))
    assert not is_locked(account, T0 + timedelta(minutes=19, seconds=1))


def test_failures_spread_beyond_the_window_do_not_lock() -> None:
    account = fresh()
    for i in range(10):
        assert not record_failure(account, T0 + timedelta(minutes=4 * i), policy)


def test_each_lock_lasts_twice_as_long_up_to_a_day() -> None:
    account = fresh()
    durations = []
    now = T0
    for _ in range(9):
        for _ in range(5):
            record_failure(account, now, policy)
        assert account.locked_until is not None
        durations.append(account.locked_until - now)
        now = account.locked_until + timedelta(seconds=1)
    assert durations[:4] == [timedelta(minutes=m) for m in (15, 30, 60, 120)]
    assert durations[-1] == timedelta(hours=24)


def test_a_successful_sign_in_resets_the_growth() -> None:
    account = fresh()
    for _ in range(5):
        record_failure(account, T0, policy)
    record_success(account)
    assert account.lock_level == 0 and account.locked_until is None
