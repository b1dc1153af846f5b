"""A request's actor is verified once, however many resolvers ask for it at the same time."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from servicekit.auth import Actor, Role
from servicekit.errors import Unauthenticated
from servicekit.graphql import ServiceContext

ACTOR = Actor(account_id="a1", roles=frozenset({Role.ENTERPRISE_USER}))


class SlowVerifier:
    """Like a verifier fetching identity's keys first: the answer takes a while."""

    def __init__(self, answer: Actor | Exception) -> None:
        self.answer = answer
        self.calls = 0

    async def verify(self, token: str) -> Actor:
        self.calls += 1
        await asyncio.sleep(0.05)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def context(verifier: SlowVerifier, authorization: str | None) -> ServiceContext:
    ctx = ServiceContext(verifier)  # type: ignore[arg-type]
    headers = {} if authorization is None else {"authorization": authorization}
    ctx.request = SimpleNamespace(headers=headers)  # type: ignore[assignment]
    return ctx


async def test_concurrent_resolvers_all_get_the_actor_of_one_verification() -> None:
    verifier = SlowVerifier(ACTOR)
    ctx = context(verifier, "Bearer token")
    actors: list[Any] = await asyncio.gather(*(ctx.optional_actor() for _ in range(50)))
    assert actors == [ACTOR] * 50
    assert verifier.calls == 1
    assert await ctx.actor() == ACTOR


async def test_a_refused_token_is_refused_to_every_concurrent_resolver() -> None:
    verifier = SlowVerifier(Unauthenticated())
    ctx = context(verifier, "Bearer bad")
    results = await asyncio.gather(
        *(ctx.optional_actor() for _ in range(10)), return_exceptions=True
    )
    assert all(isinstance(result, Unauthenticated) for result in results)
    assert verifier.calls == 1


async def test_no_token_is_no_actor_and_actor_requires_one() -> None:
    ctx = context(SlowVerifier(ACTOR), None)
    assert await ctx.optional_actor() is None
    with pytest.raises(Unauthenticated):
        await ctx.actor()
