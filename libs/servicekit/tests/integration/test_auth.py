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
