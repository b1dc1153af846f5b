"""Signed, expiring download links: `<public_url>/attachments/<id>?expires=<unix>&sig=<mac>`.

The link itself is the permission: it is only handed to readers the service layer allowed
(`Attachment.url`), so a browser can open it without an Authorization header. The MAC is
HMAC-SHA256 over the attachment id and the expiry; changing either breaks it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

_LABEL = b"documents/attachment-download-links/v1"


def key_from_signing_key(private_key: Ed25519PrivateKey) -> bytes:
    """A MAC key derived from the documents signing key (used when no separate secret is set);
    the derivation is one-way, so the link key reveals nothing about the signing key."""
    raw = private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return hmac.new(raw, _LABEL, hashlib.sha256).digest()


class DownloadLinks:
    def __init__(self, key: bytes, public_url: str, ttl_seconds: int) -> None:
        if len(key) < 16:
            raise ValueError("the download link key must have at least 16 bytes")
        self._key = key
        self.base_url = public_url.rstrip("/")
        self.ttl_seconds = ttl_seconds

    def _mac(self, attachment_id: str, expires: int) -> str:
        message = f"{attachment_id}\n{expires}".encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def url_for(self, attachment_id: str, *, now: float | None = None) -> str:
        expires = int(time.time() if now is None else now) + self.ttl_seconds
        signature = self._mac(attachment_id, expires)
        return f"{self.base_url}/attachments/{attachment_id}?expires={expires}&sig={signature}"

    def is_valid(
        self,
        attachment_id: str,
        expires: str | None,
        signature: str | None,
        *,
        now: float | None = None,
    ) -> bool:
        """True when the link was issued here for this attachment and has not expired."""
        if not expires or not signature or not expires.isascii() or not expires.isdigit():
            return False
        if len(expires) > 12 or int(expires) < (time.time() if now is None else now):
            return False
        expected = self._mac(attachment_id, int(expires))
        return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))
