"""The sign-in limit per client address, at the service layer with a small limit (and the real
database), and once through the subgraph with the default limit."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select

from devstack.testing import error_code, graphql
from identity.accounts import repository
from identity.accounts.models import SignInFailure
from identity.accounts.sign_in_limit import (
    SignInFailureSweeper,
    counted_address,
    retry_after_message,
)
from identity.config import IdentitySettings
from identity.inject import Container, build_container
from servicekit.db import utcnow
from servicekit.errors import AppError, RateLimited

from .exam_support import PASSWORD, add_liaison, database
from .test_accounts import LOGIN

LIMIT = 3


@pytest.fixture
async def container(identity_settings: IdentitySettings) -> AsyncIterator[Container]:
    settings = identity_settings.model_copy(update={"sign_in_failures_per_ip_per_hour": LIMIT})
    value = build_container(settings)
    try:
        yield value
    finally:
        await value.db.dispose()


def new_address() -> str:
    """An address of a /64 network (of the documentation range) no other test uses."""
    return f"2001:db8:{random.getrandbits(16):x}:{random.getrandbits(16):x}::1"


def same_network(address: str) -> str:
    """Another address of the IPv6 /64 network of `address`."""
    return address.removesuffix("::1") + f":{random.getrandbits(16):x}::2"


async def new_accounts(container: Container, count: int) -> list[str]:
    async with container.db.unit_of_work() as session:
        accounts = [await add_liaison(session, container.settings) for _ in range(count)]
    return [str(account.phone) for account in accounts]


async def sign_in(container: Container, username: str, password: str, address: str) -> str:
    """ "OK" or the error code of one sign-in, in its own unit of work (as a request)."""
    try:
        async with container.db.unit_of_work() as session:
            await container.sessions.login(session, username, password, address)
    except AppError as error:
        return error.code.value
    return "OK"


async def failed_logins(container: Container, phone: str) -> int:
    async with container.db.unit_of_work() as session:
        account = await repository.by_username(session, phone)
        assert account is not None
        return account.failed_logins


async def test_an_address_past_its_failures_is_refused_even_the_right_password(
    container: Container,
) -> None:
    first, second, third = await new_accounts(container, 3)
    address = new_address()
    answers = [
        await sign_in(container, first, "Wrong-pass-1", address),
        await sign_in(container, second, "Wrong-pass-2", address),
        await sign_in(container, "13000000000", "Wrong-pass-3", address),  # no such account
    ]
    assert answers == ["UNAUTHENTICATED"] * LIMIT
    assert await sign_in(container, third, PASSWORD, address) == "RATE_LIMITED"
    # refused before the password was checked: the account's own counter did not move
    assert await failed_logins(container, third) == 0
    assert await failed_logins(container, first) == 1


async def test_another_address_is_not_limited_but_one_of_the_same_ipv6_64_is(
    container: Container,
) -> None:
    victim, *others = await new_accounts(container, LIMIT + 1)
    sprayer = new_address()
    for phone in others:  # a new address of its /64 for every guess
        rotated = same_network(sprayer)
        assert await sign_in(container, phone, "Wrong-pass-1", rotated) == "UNAUTHENTICATED"
    assert await sign_in(container, victim, PASSWORD, sprayer) == "RATE_LIMITED"
    assert await sign_in(container, victim, PASSWORD, new_address()) == "OK"


async def test_successful_sign_ins_neither_count_nor_clear_the_failures(
    container: Container,
) -> None:
    (phone,) = await new_accounts(container, 1)
    address = new_address()
    for _ in range(LIMIT - 1):
        assert await sign_in(container, "13000000001", "Wrong-pass-1", address) == "UNAUTHENTICATED"
    for _ in range(LIMIT + 2):
        assert await sign_in(container, phone, PASSWORD, address) == "OK"
    assert await sign_in(container, "13000000001", "Wrong-pass-1", address) == "UNAUTHENTICATED"
    assert await sign_in(container, phone, PASSWORD, address) == "RATE_LIMITED"


async def test_concurrent_failures_from_one_address_do_not_pass_the_limit(
    container: Container,
) -> None:
    phones = await new_accounts(container, 4)
    address = new_address()
    tries = [(phone, "Wrong-pass-1") for phone in phones]
    tries += [(f"1300000{n:04d}", "Wrong-pass-1") for n in range(6)]  # no such accounts
    answers = await asyncio.gather(*(sign_in(container, u, p, address) for u, p in tries))
    assert sorted(answers) == sorted(["UNAUTHENTICATED"] * LIMIT + ["RATE_LIMITED"] * 7)


async def test_the_refusal_says_when_the_address_may_try_again(container: Container) -> None:
    (phone,) = await new_accounts(container, 1)
    address = new_address()
    oldest = utcnow() - timedelta(minutes=50)
    async with container.db.unit_of_work() as session:
        for minutes in range(LIMIT):
            at = oldest + timedelta(minutes=minutes)
            session.add(SignInFailure(client_ip=counted_address(address), attempted_at=at))
    with pytest.raises(RateLimited) as refused:
        async with container.db.unit_of_work() as session:
            await container.sessions.login(session, phone, PASSWORD, address)
    assert refused.value.message == retry_after_message(oldest + timedelta(hours=1))


async def test_failures_older_than_an_hour_do_not_count_and_are_deleted(
    container: Container,
) -> None:
    (phone,) = await new_accounts(container, 1)
    address = new_address()
    expired = utcnow() - timedelta(hours=1, minutes=1)
    async with container.db.unit_of_work() as session:
        for _ in range(LIMIT):
            session.add(SignInFailure(client_ip=counted_address(address), attempted_at=expired))
    assert await sign_in(container, phone, "Wrong-pass-1", address) == "UNAUTHENTICATED"
    assert await sign_in(container, phone, PASSWORD, address) == "OK"

    await SignInFailureSweeper(container.db, 0).sweep()
    async with container.db.unit_of_work() as session:
        left = await session.scalars(
            select(SignInFailure.attempted_at).where(
                SignInFailure.client_ip == counted_address(address)
            )
        )
        assert [at > expired for at in left] == [True]  # the recent failure still counts
        oldest = await session.scalar(select(func.min(SignInFailure.attempted_at)))
        assert oldest is None or oldest >= utcnow() - timedelta(hours=1)


async def test_the_subgraph_refuses_an_address_past_the_default_limit(
    identity: httpx.AsyncClient, identity_settings: IdentitySettings
) -> None:
    """The address is the first X-Forwarded-For hop (the gateway sets it)."""
    async with database(identity_settings) as db, db.unit_of_work() as session:
        phone = str((await add_liaison(session, identity_settings)).phone)
    limit = identity_settings.sign_in_failures_per_ip_per_hour
    sprayer = {"x-forwarded-for": new_address()}
    for n in range(limit):
        wrong = await graphql(
            identity, LOGIN, {"u": f"1300{n:07d}", "p": "Wrong-1"}, headers=sprayer
        )
        assert error_code(wrong) == "UNAUTHENTICATED", wrong
    refused = await graphql(identity, LOGIN, {"u": phone, "p": PASSWORD}, headers=sprayer)
    assert refused["data"] is None
    assert error_code(refused) == "RATE_LIMITED"
    assert "后再试" in refused["errors"][0]["message"]
    english = await graphql(
        identity, LOGIN, {"u": phone, "p": PASSWORD}, headers={**sprayer, "accept-language": "en"}
    )
    assert "try again after" in english["errors"][0]["message"]
    elsewhere = {"x-forwarded-for": new_address()}
    signed_in = await graphql(identity, LOGIN, {"u": phone, "p": PASSWORD}, headers=elsewhere)
    assert signed_in["data"]["login"]["accessToken"]
