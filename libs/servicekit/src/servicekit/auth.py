"""Actors, roles, and local verification of identity's access tokens against its cached JWKS."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import httpx
import jwt
from opentelemetry.trace import SpanKind

from servicekit import tracing
from servicekit.errors import Forbidden, Message, Unauthenticated

log = logging.getLogger(__name__)


class Role(StrEnum):
    ENTERPRISE_USER = "ENTERPRISE_USER"
    BRANCH_OFFICER = "BRANCH_OFFICER"
    CITY_OFFICER = "CITY_OFFICER"
    LABOUR_OFFICER = "LABOUR_OFFICER"
    ADMIN = "ADMIN"


OFFICER_ROLES = frozenset({Role.BRANCH_OFFICER, Role.CITY_OFFICER, Role.LABOUR_OFFICER, Role.ADMIN})


@dataclass(frozen=True)
class Actor:
    account_id: str
    roles: frozenset[Role]
    name: str = ""
    districts: tuple[str, ...] = field(default_factory=tuple)
    # An imported account signs in with its initial password and must change it before anything
    # else: every operation but changing the password answers PASSWORD_CHANGE_REQUIRED.
    password_change_required: bool = False

    def has_any(self, roles: Iterable[Role]) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_officer(self) -> bool:
        return self.has_any(OFFICER_ROLES)

    def require(self, *roles: Role) -> Actor:
        if not self.has_any(roles):
            raise Forbidden()
        return self


INVALID_TOKEN = Message(
    "登录凭证无效或已过期，请重新登录", "The access token is invalid or expired"
)


class JwksVerifier:
    """Verifies EdDSA access tokens locally. Keys are cached; an unknown key id refetches the
    set (at most every `min_refetch_seconds`), which is how key rotation reaches every service."""

    def __init__(
        self,
        jwks_url: str,
        issuer: str,
        audience: str,
        *,
        ttl_seconds: float = 300,
        min_refetch_seconds: float = 10,
        http: httpx.AsyncClient | None = None,
        local_jwks: Callable[[], dict[str, Any]] | None = None,
        cache_size: int = 4096,
    ) -> None:
        """`local_jwks` serves the issuer itself (identity), which needs no HTTP round trip."""
        self.jwks_url = jwks_url
        self.issuer = issuer
        self.audience = audience
        self.ttl_seconds = ttl_seconds
        self.min_refetch_seconds = min_refetch_seconds
        self._http = http or httpx.AsyncClient(timeout=3.0)
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()
        self._local_jwks = local_jwks
        self.cache_size = cache_size
        self._verified: OrderedDict[str, tuple[Actor, float]] = OrderedDict()

    async def _refresh(self, *, force: bool) -> None:
        async with self._lock:
            age = time.monotonic() - self._fetched_at
            if (force and age < self.min_refetch_seconds) or (not force and age < self.ttl_seconds):
                return
            if self._local_jwks is not None:
                document = self._local_jwks()
            else:
                document = await self._fetch()
            key_set = jwt.PyJWKSet.from_dict(document)
            self._keys = {key.key_id: key for key in key_set.keys if key.key_id}
            self._fetched_at = time.monotonic()

    async def _fetch(self) -> Any:
        """The JWKS document, fetched in a client span of the request that needed it (so the
        fetch is part of that request's trace, not a trace of its own in identity)."""
        attributes = {"http.request.method": "GET", "url.full": self.jwks_url}
        with tracing.start_span("GET jwks", SpanKind.CLIENT, attributes=attributes) as span:
            headers = {"traceparent": value} if (value := tracing.traceparent_of(span)) else {}
            response = await self._http.get(self.jwks_url, headers=headers)
            response.raise_for_status()
            return response.json()

    async def _key_for(self, kid: str) -> jwt.PyJWK:
        try:
            await self._refresh(force=False)
            if kid not in self._keys:
                await self._refresh(force=True)
        except (httpx.HTTPError, jwt.PyJWKSetError) as exc:
            log.error("cannot fetch JWKS from %s: %s", self.jwks_url, exc)
            if kid not in self._keys:
                raise Unauthenticated(INVALID_TOKEN) from exc
        if kid not in self._keys:
            raise Unauthenticated(INVALID_TOKEN)
        return self._keys[kid]

    async def verify(self, token: str) -> Actor:
        """The actor of a valid token. A token verified before is answered from a small cache
        until it expires (each client sends the same token with every request)."""
        cached = self._verified.get(token)
        if cached is not None and cached[1] > time.time():
            self._verified.move_to_end(token)
            return cached[0]
        actor, expires_at = await self._verify(token)
        self._verified[token] = (actor, expires_at)
        if len(self._verified) > self.cache_size:
            self._verified.popitem(last=False)
        return actor

    async def _verify(self, token: str) -> tuple[Actor, float]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise Unauthenticated(INVALID_TOKEN) from exc
        key = await self._key_for(str(header.get("kid", "")))
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=["EdDSA"],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub"]},
            )
        except jwt.InvalidTokenError as exc:
            raise Unauthenticated(INVALID_TOKEN) from exc
        return actor_from_claims(claims), float(claims["exp"])

    async def aclose(self) -> None:
        await self._http.aclose()


def actor_from_claims(claims: dict[str, Any]) -> Actor:
    roles = frozenset(Role(role) for role in claims.get("roles", []) if role in Role.__members__)
    return Actor(
        account_id=str(claims["sub"]),
        roles=roles,
        name=str(claims.get("name", "")),
        districts=tuple(claims.get("districts", [])),
        password_change_required=bool(claims.get("pcr", False)),
    )


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated(INVALID_TOKEN)
    return token.strip()
