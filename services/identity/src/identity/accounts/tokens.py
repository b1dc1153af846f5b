"""EdDSA (Ed25519) access tokens, their JWKS, and opaque refresh tokens (stored hashed)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from identity.accounts.models import Account
from identity.config import IdentitySettings
from servicekit.db import utcnow
from servicekit.keys import public_key_text, thumbprint


class TokenIssuer:
    def __init__(
        self,
        settings: IdentitySettings,
        key: Ed25519PrivateKey,
        retired: list[Ed25519PublicKey] | None = None,
    ) -> None:
        """Signs with `key`; the JWKS also lists `retired` keys so that tokens they signed
        stay valid until they expire."""
        self.settings = settings
        self._key = key
        # RFC 7638 thumbprint as key id, so a rotated key gets a new kid by itself.
        self.key_id = thumbprint(key.public_key())
        self._published = [key.public_key(), *(retired or [])]

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
            "pcr": account.password_change_required,
        }
        return jwt.encode(claims, self._key, algorithm="EdDSA", headers={"kid": self.key_id})

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {
            "keys": [
                {
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "x": public_key_text(public),
                    "kid": thumbprint(public),
                    "use": "sig",
                    "alg": "EdDSA",
                }
                for public in self._published
            ]
        }


def new_refresh_token() -> tuple[str, str]:
    """(token for the client, sha256 hex stored server-side)."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
