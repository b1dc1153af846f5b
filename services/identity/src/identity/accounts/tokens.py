"""EdDSA (Ed25519) access tokens, their JWKS, and opaque refresh tokens (stored hashed)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from identity.accounts.models import Account
from identity.config import IdentitySettings
from servicekit.db import utcnow
from servicekit.keys import public_key_text, thumbprint


class TokenIssuer:
    def __init__(self, settings: IdentitySettings, key: Ed25519PrivateKey) -> None:
        self.settings = settings
        self._key = key
        self._public_x = public_key_text(key.public_key())
        # RFC 7638 thumbprint as key id, so a rotated key gets a new kid by itself.
        self.key_id = thumbprint(key.public_key())

    @property
    def access_token_seconds(self) -> int:
        return self.settings.access_token_minutes * 60

    def access_token(self, account: Account) -> str:
        now = utcnow()
        claims: dict[str, Any] = {
            "iss": self.settings.jwt_issuer,
            "aud": self.settings.jwt_audience,
            "sub": str(account.id),
            "iat": now,
            "exp": now + timedelta(seconds=self.access_token_seconds),
            "jti": uuid.uuid4().hex,
            "name": account.name,
            "roles": list(account.roles),
            "districts": list(account.districts or []),
        }
        return jwt.encode(claims, self._key, algorithm="EdDSA", headers={"kid": self.key_id})

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {
            "keys": [
                {
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "x": self._public_x,
                    "kid": self.key_id,
                    "use": "sig",
                    "alg": "EdDSA",
                }
            ]
        }


def new_refresh_token() -> tuple[str, str]:
    """(token for the client, sha256 hex stored server-side)."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
