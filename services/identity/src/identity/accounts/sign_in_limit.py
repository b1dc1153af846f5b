"""Sign-in limit per client address: at most N failed sign-ins (wrong password or unknown
username, whatever the account) per address in the last hour. The account lockout stops
guessing one account's password, not one guess at each of many accounts (password spraying).
IPv6 clients are counted by their /64 network, whose addresses they can change at will.

A refused address is refused before the account is looked up or a password checked, so a refusal
tells nothing about the account or the password. Successful sign-ins neither count nor clear the
count (one valid account must not buy an attacker more guesses at the others). Failures older than
the hour no longer count; a worker's sweeper deletes them."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from identity.accounts import repository
from identity.accounts.models import SignInFailure
from servicekit.calendar import CHINA_TZ
from servicekit.db import Database, utcnow
from servicekit.errors import Message, RateLimited
from servicekit.sweeper import BatchSweeper

WINDOW = timedelta(hours=1)


def counted_address(client_ip: str) -> str:
    """What the limit counts by: the IPv4 address, or the IPv6 /64 network (one subscriber's
    allocation: its holder picks any address inside it at will)."""
    try:
        address = ipaddress.ip_address(client_ip)
    except ValueError:
        return client_ip[:64]  # not an address (a client calling a subgraph directly): as sent
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(address) >> 64 << 64, 64)))
    return str(address)


def retry_after_message(retry_at: datetime) -> Message:
    # Rounded up to the minute: a retry at the minute shown is never refused again.
    minute = retry_at.replace(second=0, microsecond=0)
    if minute < retry_at:
        minute += timedelta(minutes=1)
    until = minute.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    return Message(
        f"该网络地址登录失败次数过多，请于 {until}（北京时间）后再试",
        f"Too many failed sign-ins from this network address: try again after {until} "
        "(Beijing time)",
    )


@dataclass(frozen=True)
class SignInLimit:
    failures_per_hour: int

    async def check(self, session: AsyncSession, client_ip: str, now: datetime) -> None:
        """Raises RATE_LIMITED when the address has used up its failures. Holds the address's
        lock until the transaction ends, so that the failure this sign-in may add is counted by
        the next one."""
        address = counted_address(client_ip)
        await repository.lock_sign_ins_from(session, address)
        latest = await repository.sign_in_failures_since(
            session, address, now - WINDOW, self.failures_per_hour
        )
        if len(latest) >= self.failures_per_hour:
            # The address may try again once the oldest of these is an hour old.
            raise RateLimited(retry_after_message(min(latest) + WINDOW))

    def record_failure(self, session: AsyncSession, client_ip: str, now: datetime) -> None:
        session.add(SignInFailure(client_ip=counted_address(client_ip), attempted_at=now))


async def prune_expired(session: AsyncSession, batch: int) -> int:
    """Deletes up to `batch` failures that no longer count; how many."""
    return await repository.delete_sign_in_failures_before(session, utcnow() - WINDOW, batch)


class SignInFailureSweeper(BatchSweeper):
    """Keeps `sign_in_failures` to the last hour (a worker's loop, like the exam sweeper)."""

    def __init__(self, db: Database, interval_seconds: float) -> None:
        super().__init__(
            db,
            prune_expired,
            interval_seconds,
            name="sign-in-failure-sweeper",
            done="deleted %d expired sign-in failures",
        )
