"""Verification tokens printed as QR codes: one base64url string of 103 bytes (138 characters),
short enough for a small, reliably scanned code.

    version (1) | key id prefix (6) | document id (16) | revision (4, big-endian)
    | content hash prefix (8) | issued at (4, Unix seconds) | Ed25519 signature (64)

The signature covers the 39 bytes before it. The key id prefix is the first 6 bytes of the
signing key's RFC 7638 thumbprint (its first 8 base64url characters), enough to pick the key
out of the few ever used. Kind and subject are not carried: the document row the token names
has them, and a token only verifies when that row's revision and content hash match it.
Pure functions only: finding keys and documents is the service's.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from servicekit.keys import b64url, thumbprint

VERSION = 1
KEY_PREFIX_BYTES = 6
KEY_PREFIX_LENGTH = 8  # base64url characters of the thumbprint: exactly 6 bytes
HASH_PREFIX_LENGTH = 16  # hex characters: 8 bytes
MAX_INT32 = 2**31 - 1
_LAYOUT = struct.Struct(f">B{KEY_PREFIX_BYTES}s16sI8sI")
SIGNATURE_BYTES = 64
TOKEN_BYTES = _LAYOUT.size + SIGNATURE_BYTES
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


def key_prefix(key_id: str) -> str:
    """The part of a key id (thumbprint) a token carries."""
    return key_id[:KEY_PREFIX_LENGTH]


@dataclass(frozen=True)
class TokenClaims:
    document_id: uuid.UUID
    revision: int
    content_hash: str  # HASH_PREFIX_LENGTH hex characters
    issued_at: int  # Unix seconds

    def __post_init__(self) -> None:
        if not 1 <= self.revision <= MAX_INT32:
            raise ValueError("revision out of range")
        if not 0 <= self.issued_at < 2**32:
            raise ValueError("issued_at out of range")
        if not _HEX_PREFIX.match(self.content_hash):
            raise ValueError("content_hash must be 16 lowercase hex characters")


class Signer:
    """The active private key and its key id."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private_key = private_key
        self.public_key = private_key.public_key()
        self.key_id = thumbprint(self.public_key)
        self.key_prefix = key_prefix(self.key_id)

    def encode(self, claims: TokenClaims) -> str:
        signing_input = _LAYOUT.pack(
            VERSION,
            b64url_decode(self.key_prefix),
            claims.document_id.bytes,
            claims.revision,
            bytes.fromhex(claims.content_hash),
            claims.issued_at,
        )
        return b64url(signing_input + self._private_key.sign(signing_input))


@dataclass(frozen=True)
class SignedToken:
    """A token that parsed; its signature is not checked yet."""

    key_prefix: str
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
    try:
        raw = b64url_decode(token)
    except ValueError:
        return None
    if len(raw) != TOKEN_BYTES:
        return None
    signing_input, signature = raw[: _LAYOUT.size], raw[_LAYOUT.size :]
    version, prefix, document, revision, digest, issued_at = _LAYOUT.unpack(signing_input)
    if version != VERSION:
        return None
    try:
        claims = TokenClaims(uuid.UUID(bytes=document), revision, digest.hex(), issued_at)
    except ValueError:
        return None
    return SignedToken(b64url(prefix), claims, signing_input, signature)


def decode(token: str, keys: Mapping[str, Ed25519PublicKey]) -> TokenClaims | None:
    """The claims of a well-formed token signed by one of `keys` (by key id), else None."""
    signed = parse(token)
    if signed is None:
        return None
    for key_id, key in keys.items():
        if key_prefix(key_id) == signed.key_prefix and signed.is_signed_by(key):
            return signed.claims
    return None
