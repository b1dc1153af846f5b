"""EdDSA (Ed25519) access tokens, their JWKS, and opaque refresh tokens (stored hashed)."""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from identity.accounts.models import Account
from identity.config import IdentitySettings
from servicekit.db import utcnow


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def load_or_create_key(path: Path, *, create: bool) -> Ed25519PrivateKey:
    if not path.exists():
        if not create:
            raise FileNotFoundError(f"JWT signing key {path} is missing")
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.write_bytes(pem)
        path.chmod(0o600)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


class TokenIssuer:
    def __init__(self, settings: IdentitySettings, key: Ed25519PrivateKey) -> None:
        self.settings = settings
        self._key = key
        public = key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self._public_x = _b64url(public)
        # RFC 7638 thumbprint as key id, so a rotated key gets a new kid by itself.
        canonical = f'{{"crv":"Ed25519","kty":"OKP","x":"{self._public_x}"}}'.encode()
        self.key_id = _b64url(hashlib.sha256(canonical).digest())

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
