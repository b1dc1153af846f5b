"""Verification tokens printed as QR codes: `<base64url(payload JSON)>.<base64url(signature)>`.

The payload is `{v, kid, doc, kind, sub, rev, h, iat}`; the Ed25519 signature covers the first
segment exactly as transmitted. Pure functions only: finding keys and documents is the service's.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from servicekit.keys import b64url, thumbprint

VERSION = 1
HASH_PREFIX_LENGTH = 16
MAX_INT32 = 2**31 - 1
_SEGMENT = re.compile(r"^[A-Za-z0-9_-]+$")
_HEX_PREFIX = re.compile(rf"^[0-9a-f]{{{HASH_PREFIX_LENGTH}}}$")


def b64url_decode(text: str) -> bytes:
    """Strict: only the URL-safe alphabet, no padding, and the one canonical encoding (a token
    that differs in unused trailing bits is a different string for the same bytes)."""
    if not _SEGMENT.match(text):
        raise ValueError("not base64url")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as exc:
        raise ValueError("not base64url") from exc
    if b64url(raw) != text:
        raise ValueError("not canonical base64url")
    return raw


def public_key_from_text(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(b64url_decode(text))


def content_hash(sha256_hex: str) -> str:
    """The part of a content sha256 a token carries."""
    return sha256_hex[:HASH_PREFIX_LENGTH]


@dataclass(frozen=True)
class TokenClaims:
    key_id: str
    document_id: uuid.UUID
    kind: str
    subject_id: str
    revision: int
    content_hash: str
    issued_at: int  # Unix seconds

    def to_payload(self) -> dict[str, Any]:
        return {
            "v": VERSION,
            "kid": self.key_id,
            "doc": str(self.document_id),
            "kind": self.kind,
            "sub": self.subject_id,
            "rev": self.revision,
            "h": self.content_hash,
            "iat": self.issued_at,
        }

    @classmethod
    def from_payload(cls, payload: Any) -> TokenClaims | None:
        """None unless every field is present with the right type."""
        if not isinstance(payload, dict) or payload.get("v") != VERSION:
            return None
        texts = [payload.get(name) for name in ("kid", "doc", "kind", "sub", "h")]
        numbers = [payload.get(name) for name in ("rev", "iat")]
        if not all(isinstance(value, str) and value for value in texts):
            return None
        if not all(isinstance(value, int) and not isinstance(value, bool) for value in numbers):
            return None
        if not (1 <= payload["rev"] <= MAX_INT32 and 0 <= payload["iat"] <= MAX_INT32 * 2):
            return None
        if not _HEX_PREFIX.match(payload["h"]):
            return None
        try:
            document_id = uuid.UUID(payload["doc"])
        except ValueError:
            return None
        return cls(
            key_id=payload["kid"],
            document_id=document_id,
            kind=payload["kind"],
            subject_id=payload["sub"],
            revision=payload["rev"],
            content_hash=payload["h"],
            issued_at=payload["iat"],
        )


class Signer:
    """The active private key and its key id."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private_key = private_key
        self.public_key = private_key.public_key()
        self.key_id = thumbprint(self.public_key)

    def encode(self, claims: TokenClaims) -> str:
        if claims.key_id != self.key_id:
            raise ValueError("claims name another signing key")
        payload = json.dumps(claims.to_payload(), separators=(",", ":"), ensure_ascii=False)
        segment = b64url(payload.encode("utf-8"))
        return f"{segment}.{b64url(self._private_key.sign(segment.encode('ascii')))}"


@dataclass(frozen=True)
class SignedToken:
    """A token that parsed; its signature is not checked yet."""

    claims: TokenClaims
    signing_input: bytes
    signature: bytes

    def is_signed_by(self, key: Ed25519PublicKey) -> bool:
        try:
            key.verify(self.signature, self.signing_input)
        except InvalidSignature:
            return False
        return True


def parse(token: str, *, max_length: int = 1024) -> SignedToken | None:
    """None for anything that is not a well-formed token."""
    if len(token) > max_length:
        return None
    segment, dot, signature_text = token.partition(".")
    if not dot:
        return None
    try:
        payload = json.loads(b64url_decode(segment).decode("utf-8"))
        signature = b64url_decode(signature_text)
    except (ValueError, UnicodeDecodeError):  # JSONDecodeError is a ValueError
        return None
    claims = TokenClaims.from_payload(payload)
    if claims is None or len(signature) != 64:
        return None
    return SignedToken(claims=claims, signing_input=segment.encode("ascii"), signature=signature)


def decode(token: str, keys: Mapping[str, Ed25519PublicKey]) -> TokenClaims | None:
    """The claims of a well-formed token signed by one of `keys` (by key id), else None."""
    signed = parse(token)
    if signed is None:
        return None
    key = keys.get(signed.claims.key_id)
    if key is None or not signed.is_signed_by(key):
        return None
    return signed.claims
