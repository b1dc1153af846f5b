"""Access-token verification against a JWKS served over real HTTP."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from devstack.testing import AUDIENCE, ISSUER, TestIssuer
from servicekit.auth import JwksVerifier, Role
from servicekit.errors import Unauthenticated


@pytest.fixture
def verifier(issuer: TestIssuer) -> JwksVerifier:
    return JwksVerifier(issuer.url, ISSUER, AUDIENCE)


async def test_a_valid_token_gives_the_actor_with_roles_and_districts(
    verifier: JwksVerifier, issuer: TestIssuer
) -> None:
    actor = await verifier.verify(issuer.token("a-1", ["BRANCH_OFFICER"], districts=["370202"]))
    assert actor.account_id == "a-1"
    assert actor.roles == {Role.BRANCH_OFFICER}
    assert actor.districts == ("370202",)
    assert actor.is_officer


@pytest.mark.parametrize("case", ["expired", "forged", "audience", "garbage", "unsigned"])
async def test_bad_tokens_are_unauthenticated(
    verifier: JwksVerifier, issuer: TestIssuer, case: str
) -> None:
    token = {
        "expired": lambda: issuer.token(expires_in=-60),
        "forged": lambda: issuer.token(key=Ed25519PrivateKey.generate()),
        "audience": lambda: issuer.token(aud="someone-else"),
        "garbage": lambda: "not-a-jwt",
        "unsigned": lambda: issuer.token().rsplit(".", 1)[0] + ".",
    }[case]()
    with pytest.raises(Unauthenticated):
        await verifier.verify(token)


async def test_unknown_roles_in_a_token_grant_nothing(
    verifier: JwksVerifier, issuer: TestIssuer
) -> None:
    actor = await verifier.verify(issuer.token(roles=["SUPERUSER"]))
    assert actor.roles == frozenset()


async def test_a_verified_token_is_answered_from_the_cache_until_it_expires(
    issuer: TestIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    verifier = JwksVerifier(issuer.url, ISSUER, AUDIENCE)
    token = issuer.token("a-2", ["CITY_OFFICER"], expires_in=60)
    first = await verifier.verify(token)
    calls = 0
    real = verifier._verify

    async def counting(value: str) -> object:
        nonlocal calls
        calls += 1
        return await real(value)

    monkeypatch.setattr(verifier, "_verify", counting)
    assert await verifier.verify(token) == first
    assert calls == 0
    import time as clock

    later = clock.time() + 120  # past the token's expiry the cache no longer answers
    monkeypatch.setattr("servicekit.auth.time.time", lambda: later)
    await verifier.verify(token)  # (PyJWT's own clock still says valid)
    assert calls == 1
