"""Ed25519 signing keys kept in PEM files, and their RFC 7638 thumbprints (used as key ids)."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def load_or_create_key(path: Path, *, create: bool) -> Ed25519PrivateKey:
    """The private key at `path`; with `create` (dev and test) a missing file is generated."""
    if not path.exists():
        if not create:
            raise FileNotFoundError(f"signing key {path} is missing")
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


def public_key_text(key: Ed25519PublicKey) -> str:
    """The raw public key, base64url: the JWK `x` member."""
    return b64url(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def thumbprint(key: Ed25519PublicKey) -> str:
    """RFC 7638 JWK thumbprint (members in lexicographic order, no whitespace)."""
    canonical = json.dumps(
        {"crv": "Ed25519", "kty": "OKP", "x": public_key_text(key)},
        separators=(",", ":"),
        sort_keys=True,
    )
    return b64url(hashlib.sha256(canonical.encode("ascii")).digest())
