"""Personal data at rest: envelope encryption per value, a keyed hash for exact-match search.

Why envelope per value: each value gets a fresh random AES-256 data key, used once (AES-GCM
with a random nonce, so no nonce budget to watch), and the data key is wrapped by the master key
(key encryption key) with AES key wrap (RFC 3394, deterministic and nonce-free). The master key
therefore only ever encrypts random keys, never data, and a value names the master key it needs:

    v1:<key id>:<base64url(wrapped data key (40) | nonce (12) | ciphertext + tag)>

(a binary column, `EncryptedBytes`, holds the same text as ASCII bytes: the outbox's payloads).
The associated data is `v1:<key id>:<table>.<column>`: a value copied into another column, or
with its key id edited, does not decrypt. Equality search and uniqueness use `<column>_hash`:
HMAC-SHA256 under a separate index key of the normalised value, so a leaked hash column tells
nothing without that key, and the data keys can rotate without touching the hashes.

Keys: `<SERVICE>_DATA_KEYS_FILE` (JSON `{key id: base64 32-byte key}`), `<SERVICE>_DATA_KEY_ID`
(the active id: new values are encrypted under it; every id in the file stays readable) and
`<SERVICE>_DATA_INDEX_KEY_FILE` (base64 32 bytes). In dev and test missing files are generated
under `var/keys/`; in production they are required.

This module holds the keys, the vault and the column types. `servicekit.crypto.migrations` has
the helpers Alembic migrations use to convert existing rows; `servicekit.crypto.rotation` the
commands (`python -m servicekit.crypto rotate --service NAME` re-encrypts every encrypted column
under the active key, docs/DATA_PROTECTION.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap, aes_key_wrap
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import LargeBinary, Text, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.types import TypeDecorator

from servicekit.settings import AppEnv

VERSION = "v1"
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_WRAPPED, _NONCE = 40, 12


class DataKeyError(Exception):
    """A key is missing or a value does not decrypt: never shown to users, always a bug or an
    operator's mistake (wrong key file), so it is not an AppError."""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def new_key_text() -> str:
    """A fresh random 32-byte key as key files hold it (base64url)."""
    return _b64(os.urandom(32))


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def normalise(value: str) -> str:
    """What the keyed hash sees: full-width forms folded, spaces and hyphens dropped, upper case
    (a passport number typed `e 1234-567` finds `E1234567`)."""
    folded = unicodedata.normalize("NFKC", value)
    return re.sub(r"[\s\-]", "", folded).upper()


@dataclass(frozen=True)
class KeyRing:
    keys: dict[str, bytes]
    active: str
    index_key: bytes

    def __post_init__(self) -> None:
        if self.active not in self.keys:
            raise DataKeyError(f"the active data key id {self.active!r} is not in the key file")
        for key_id, key in self.keys.items():
            if not KEY_ID.match(key_id) or len(key) != 32:
                raise DataKeyError(f"data key {key_id!r} must be a 32-byte key with a plain id")
        if len(self.index_key) != 32:
            raise DataKeyError("the index key must be 32 bytes")

    def encrypt(self, plaintext: bytes, context: str) -> str:
        data_key, nonce = AESGCM.generate_key(256), os.urandom(_NONCE)
        wrapped = aes_key_wrap(self.keys[self.active], data_key)
        sealed = AESGCM(data_key).encrypt(nonce, plaintext, _aad(self.active, context))
        return f"{VERSION}:{self.active}:{_b64(wrapped + nonce + sealed)}"

    def decrypt(self, token: str, context: str) -> bytes:
        version, key_id, body = _split(token)
        if version != VERSION or key_id not in self.keys:
            raise DataKeyError(f"no data key {key_id!r} for a {context} value")
        raw = _unb64(body)
        wrapped, nonce, sealed = raw[:_WRAPPED], raw[_WRAPPED : _WRAPPED + _NONCE], raw[52:]
        try:
            data_key = aes_key_unwrap(self.keys[key_id], wrapped)
            return AESGCM(data_key).decrypt(nonce, sealed, _aad(key_id, context))
        except Exception as exc:  # InvalidTag / InvalidUnwrap: tampered, moved or wrong key
            raise DataKeyError(f"a {context} value does not decrypt") from exc

    def is_current(self, token: str) -> bool:
        return token.startswith(f"{VERSION}:{self.active}:")

    def blind_index(self, value: str, kind: str) -> str:
        """HMAC-SHA256 of the normalised value; `kind` separates e.g. phones from passports."""
        message = f"{kind}\x00{normalise(value)}".encode()
        return hmac.new(self.index_key, message, hashlib.sha256).hexdigest()


def _aad(key_id: str, context: str) -> bytes:
    return f"{VERSION}:{key_id}:{context}".encode()


def _split(token: str) -> tuple[str, str, str]:
    parts = token.split(":", 2)
    if len(parts) != 3:
        raise DataKeyError("not an encrypted value")
    return parts[0], parts[1], parts[2]


class DataKeySettings(BaseSettings):
    """Read with the service's prefix: `DataKeySettings(_env_prefix="FILING_")`."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    app_env: AppEnv = Field(default=AppEnv.PRODUCTION, validation_alias="APP_ENV")
    data_keys_file: Path | None = None
    data_key_id: str | None = None
    data_index_key_file: Path | None = None


def _create_dev_keys(keys_file: Path, index_file: Path) -> None:
    keys_file.parent.mkdir(parents=True, exist_ok=True)
    if not keys_file.exists():
        keys_file.write_text(json.dumps({"dev-1": new_key_text()}))
        keys_file.chmod(0o600)
    if not index_file.exists():
        index_file.write_text(new_key_text())
        index_file.chmod(0o600)


def load_key_ring(service: str, *, dev: bool, key_dir: Path = Path("var/keys")) -> KeyRing:
    """The service's key ring from its settings; dev/test generate missing files."""
    settings = DataKeySettings(_env_prefix=f"{service.upper()}_")
    keys_file = settings.data_keys_file or key_dir / f"{service}-data-keys.json"
    index_file = settings.data_index_key_file or key_dir / f"{service}-data-index.key"
    if dev:
        _create_dev_keys(keys_file, index_file)
    elif settings.data_keys_file is None or settings.data_index_key_file is None:
        raise DataKeyError(
            f"{service.upper()}_DATA_KEYS_FILE and {service.upper()}_DATA_INDEX_KEY_FILE "
            "are required in production"
        )
    try:
        keys = {kid: _unb64(text) for kid, text in json.loads(keys_file.read_text()).items()}
        index_key = _unb64(index_file.read_text().strip())
    except (OSError, ValueError) as exc:
        raise DataKeyError(f"cannot read {service}'s data keys: {exc}") from exc
    active = settings.data_key_id or (next(reversed(keys)) if dev and keys else None)
    if active is None:
        raise DataKeyError(f"{service.upper()}_DATA_KEY_ID is required in production")
    return KeyRing(keys, active, index_key)


@dataclass(eq=False)
class DataVault:
    """The service's key ring as models see it: columns are declared before settings are read,
    so the ring is configured at start (`configure`), or loaded on first use from the
    environment (migrations, operator commands)."""

    service: str
    _ring: KeyRing | None = field(default=None, repr=False)

    def configure(self, *, dev: bool) -> None:
        self._ring = load_key_ring(self.service, dev=dev)

    def use(self, ring: KeyRing) -> None:
        self._ring = ring

    @property
    def ring(self) -> KeyRing:
        if self._ring is None:
            settings = DataKeySettings()
            self._ring = load_key_ring(self.service, dev=settings.app_env != AppEnv.PRODUCTION)
        return self._ring

    def blind_index(self, value: str, kind: str) -> str:
        return self.ring.blind_index(value, kind)


class EncryptedColumn(TypeDecorator[Any]):
    """A column whose values the vault seals on the way in and opens on the way out; `context`
    is `<table>.<column>`. Subclasses say how a value becomes the sealed text and back, and
    repeat `cache_ok = True` (SQLAlchemy reads it from each class itself, not inherited)."""

    def __init__(self, vault: DataVault, context: str) -> None:
        super().__init__()
        self.vault = vault
        self.context = context

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else self.seal(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else self.open(value)

    def seal(self, value: Any) -> Any:
        raise NotImplementedError

    def open(self, stored: Any) -> Any:
        raise NotImplementedError


class EncryptedString(EncryptedColumn):
    """A text column stored as `v1:<key id>:…`. Never compare it in SQL (every ciphertext
    differs): compare its `_hash` column instead."""

    impl = Text
    cache_ok = True

    def seal(self, value: str) -> str:
        return self.vault.ring.encrypt(value.encode(), self.context)

    def open(self, stored: str) -> str:
        return self.vault.ring.decrypt(stored, self.context).decode()


class EncryptedJSON(EncryptedColumn):
    """A JSON document encrypted whole: for form data that SQL never looks inside."""

    impl = Text
    cache_ok = True

    def seal(self, value: Any) -> str:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return self.vault.ring.encrypt(text.encode(), self.context)

    def open(self, stored: str) -> Any:
        return json.loads(self.vault.ring.decrypt(stored, self.context))


class EncryptedBytes(EncryptedColumn):
    """Bytes encrypted in a binary column, stored as the ASCII of `v1:<key id>:…`: the column
    keeps its type, so a clear column is converted in place (the outbox's event payloads).

    A stored value not starting with `v1:` was written in clear, before the conversion or by the
    previous release during a rollout, and is read as it is: an outbox row must still be
    published, not stop the relay. Only for values that never start with `v1:` (JSON does not);
    `rotate` encrypts such rows."""

    impl = LargeBinary
    cache_ok = True

    def seal(self, value: bytes) -> bytes:
        return self.vault.ring.encrypt(bytes(value), self.context).encode("ascii")

    def open(self, stored: bytes) -> bytes:
        return open_sealed(self.vault.ring, bytes(stored), self.context)


SEALED = f"{VERSION}:".encode()


def open_sealed(ring: KeyRing, stored: bytes, context: str) -> bytes:
    if not stored.startswith(SEALED):
        return stored  # written in clear (EncryptedBytes)
    return ring.decrypt(stored.decode("ascii"), context)


def keep_blind_index(
    attribute: InstrumentedAttribute[Any], hash_name: str, vault: DataVault, kind: str
) -> None:
    """Sets `<hash_name>` whenever the clear attribute is set (constructor included), so no
    service code can forget the hash."""

    def on_set(target: Any, value: str | None, _old: Any, _initiator: Any) -> str | None:
        setattr(target, hash_name, None if value is None else vault.blind_index(value, kind))
        return value

    event.listen(attribute, "set", on_set, retval=True)
