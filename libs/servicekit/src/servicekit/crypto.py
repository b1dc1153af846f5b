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
under `var/keys/`; in production they are required. `python -m servicekit.crypto rotate
--service NAME` re-encrypts every encrypted column under the active key (docs/DATA_PROTECTION.md).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import importlib
import json
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap, aes_key_wrap
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import LargeBinary, MetaData, Table, Text, event
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
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
        keys_file.write_text(json.dumps({"dev-1": _b64(os.urandom(32))}))
        keys_file.chmod(0o600)
    if not index_file.exists():
        index_file.write_text(_b64(os.urandom(32)))
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


class _EncryptedColumn(TypeDecorator[Any]):
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


class EncryptedString(_EncryptedColumn):
    """A text column stored as `v1:<key id>:…`. Never compare it in SQL (every ciphertext
    differs): compare its `_hash` column instead."""

    impl = Text
    cache_ok = True

    def seal(self, value: str) -> str:
        return self.vault.ring.encrypt(value.encode(), self.context)

    def open(self, stored: str) -> str:
        return self.vault.ring.decrypt(stored, self.context).decode()


class EncryptedJSON(_EncryptedColumn):
    """A JSON document encrypted whole: for form data that SQL never looks inside."""

    impl = Text
    cache_ok = True

    def seal(self, value: Any) -> str:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return self.vault.ring.encrypt(text.encode(), self.context)

    def open(self, stored: str) -> Any:
        return json.loads(self.vault.ring.decrypt(stored, self.context))


class EncryptedBytes(_EncryptedColumn):
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
        return _open_bytes(self.vault.ring, bytes(stored), self.context)


_SEALED = f"{VERSION}:".encode()


def _open_bytes(ring: KeyRing, stored: bytes, context: str) -> bytes:
    if not stored.startswith(_SEALED):
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


# --- migrations: clear columns in, encrypted columns out (and back on downgrade) -------------


@dataclass(frozen=True)
class ClearColumn:
    """One clear column of `table` to encrypt in place; `hash_kind` adds `<name>_hash`."""

    table: str
    name: str
    key: tuple[str, ...] = ("id",)
    hash_kind: str | None = None
    is_json: bool = False

    @property
    def context(self) -> str:
        return f"{self.table}.{self.name}"


def encrypt_column(op: Any, column: ClearColumn, vault: DataVault, batch: int = 500) -> None:
    """Adds `<name>__enc` (and `<name>_hash`), fills them batch by batch, then replaces the clear
    column. Constraints on the clear column are the migration's business (drop them first). The
    key ring is read only when there are rows to convert (a fresh database needs no keys)."""
    enc = f"{column.name}__enc"
    op.add_column(column.table, sa.Column(enc, Text))
    if column.hash_kind:
        op.add_column(column.table, sa.Column(f"{column.name}_hash", sa.String(64)))
    bind = op.get_bind()
    clear = f"CAST({column.name} AS text)" if column.is_json else column.name
    keys = ", ".join(column.key)
    select_rows = sa.text(
        f"SELECT {keys}, {clear} AS value FROM {column.table} "  # noqa: S608 (names are ours)
        f"WHERE {column.name} IS NOT NULL AND {enc} IS NULL ORDER BY {keys} LIMIT :n"
    )
    sets = f"{enc} = :enc" + (f", {column.name}_hash = :hash" if column.hash_kind else "")
    where = " AND ".join(f"{k} = :{k}" for k in column.key)
    update_row = sa.text(f"UPDATE {column.table} SET {sets} WHERE {where}")  # noqa: S608
    while rows := bind.execute(select_rows, {"n": batch}).mappings().all():
        bind.execute(update_row, [_encrypted_row(row, column, vault.ring) for row in rows])
    nullable = _is_nullable(bind, column)
    op.drop_column(column.table, column.name)
    op.alter_column(column.table, enc, new_column_name=column.name, nullable=nullable)


def _encrypted_row(row: Any, column: ClearColumn, ring: KeyRing) -> dict[str, Any]:
    values = {k: row[k] for k in column.key}
    values["enc"] = ring.encrypt(str(row["value"]).encode(), column.context)
    if column.hash_kind:
        values["hash"] = ring.blind_index(str(row["value"]), column.hash_kind)
    return values


def _is_nullable(bind: Any, column: ClearColumn) -> bool:
    found = sa.inspect(bind).get_columns(column.table)
    return bool(next(c for c in found if c["name"] == column.name)["nullable"])


def decrypt_column(
    op: Any, column: ClearColumn, vault: DataVault, clear_type: Any, batch: int = 500
) -> None:
    """The downgrade: the clear column back (of `clear_type`), the hash column dropped."""
    clear = f"{column.name}__clear"
    op.add_column(column.table, sa.Column(clear, clear_type))
    bind = op.get_bind()
    keys = ", ".join(column.key)
    select_rows = sa.text(
        f"SELECT {keys}, {column.name} AS value FROM {column.table} "  # noqa: S608
        f"WHERE {column.name} IS NOT NULL AND {clear} IS NULL ORDER BY {keys} LIMIT :n"
    )
    value = "CAST(:clear AS jsonb)" if column.is_json else ":clear"
    where = " AND ".join(f"{k} = :{k}" for k in column.key)
    update_row = sa.text(f"UPDATE {column.table} SET {clear} = {value} WHERE {where}")  # noqa: S608
    while rows := bind.execute(select_rows, {"n": batch}).mappings().all():
        updates = [
            {**{k: row[k] for k in column.key}, "clear": _decrypted(row, column, vault.ring)}
            for row in rows
        ]
        bind.execute(update_row, updates)
    nullable = _is_nullable(bind, column)
    op.drop_column(column.table, column.name)
    if column.hash_kind:
        op.drop_column(column.table, f"{column.name}_hash")
    op.alter_column(column.table, clear, new_column_name=column.name, nullable=nullable)


def _decrypted(row: Any, column: ClearColumn, ring: KeyRing) -> str:
    return ring.decrypt(row["value"], column.context).decode()


def encrypt_binary_column(op: Any, column: ClearColumn, vault: DataVault, batch: int = 500) -> None:
    """A binary column (an `EncryptedBytes` one) encrypted in place: it stays binary, so the
    schema does not change. Rows already encrypted are left alone (a second run does nothing);
    the key ring is read only when a row needs it."""

    def seal(value: bytes) -> bytes:
        return vault.ring.encrypt(value, column.context).encode("ascii")

    _convert_binary(op, column, batch, sealed=False, convert=seal)


def decrypt_binary_column(op: Any, column: ClearColumn, vault: DataVault, batch: int = 500) -> None:
    """The downgrade of `encrypt_binary_column`: every encrypted value back in clear, in place."""

    def open_(value: bytes) -> bytes:
        return _open_bytes(vault.ring, value, column.context)

    _convert_binary(op, column, batch, sealed=True, convert=open_)


def _convert_binary(
    op: Any, column: ClearColumn, batch: int, *, sealed: bool, convert: Callable[[bytes], bytes]
) -> None:
    bind = op.get_bind()
    keys = ", ".join(column.key)
    compare = "=" if sealed else "<>"
    select_rows = sa.text(
        f"SELECT {keys}, {column.name} AS value FROM {column.table} "  # noqa: S608 (names are ours)
        f"WHERE {column.name} IS NOT NULL AND substr({column.name}, 1, {len(_SEALED)}) "
        f"{compare} :sealed ORDER BY {keys} LIMIT :n"
    )
    where = " AND ".join(f"{k} = :{k}" for k in column.key)
    update_row = sa.text(f"UPDATE {column.table} SET {column.name} = :value WHERE {where}")  # noqa: S608
    while rows := bind.execute(select_rows, {"sealed": _SEALED, "n": batch}).mappings().all():
        updates = [
            {**{k: row[k] for k in column.key}, "value": convert(bytes(row["value"]))}
            for row in rows
        ]
        bind.execute(update_row, updates)


# --- rotation: every encrypted column under the active key ----------------------------------


def _is_binary(column: sa.Column[Any]) -> bool:
    return isinstance(column.type, EncryptedBytes)


def _is_stale(column: sa.Column[Any], prefix: str) -> sa.ColumnElement[bool]:
    """Not under the active key: another key's value, or (binary) a value still in clear."""
    if _is_binary(column):
        stored = sa.type_coerce(column, LargeBinary)
        head = sa.func.substr(stored, 1, len(prefix), type_=LargeBinary)
        return sa.and_(stored.is_not(None), head != prefix.encode())
    text = sa.type_coerce(column, Text)
    return sa.and_(text.is_not(None), ~text.startswith(prefix, autoescape=True))


def _reencrypted(column: sa.Column[Any], stored: Any, ring: KeyRing) -> Any:
    """The stored value under the active key (as stored: text or binary), None if it is."""
    context = column.type.context  # type: ignore[attr-defined]
    if _is_binary(column):
        if bytes(stored).startswith(f"{VERSION}:{ring.active}:".encode()):
            return None
        fresh = ring.encrypt(_open_bytes(ring, bytes(stored), context), context)
        return sa.type_coerce(fresh.encode("ascii"), LargeBinary)
    if ring.is_current(stored):
        return None
    return sa.type_coerce(ring.encrypt(ring.decrypt(stored, context), context), Text)


def _rotate_batch(bind: Connection, table: Table, ring: KeyRing, batch: int) -> int:
    """Re-encrypts up to `batch` rows not yet under the active key; 0 when the table is done."""
    columns = [c for c in table.columns if isinstance(c.type, _EncryptedColumn)]
    raw = {c.name: sa.type_coerce(c, LargeBinary if _is_binary(c) else Text) for c in columns}
    prefix = f"{VERSION}:{ring.active}:"
    stale = sa.or_(*[_is_stale(c, prefix) for c in columns])
    key = list(table.primary_key.columns)
    query = sa.select(*key, *[r.label(n) for n, r in raw.items()]).where(stale)
    rows = bind.execute(query.order_by(*key).limit(batch).with_for_update()).mappings().all()
    for row in rows:
        values = {}
        for column in columns:
            stored = row[column.name]
            fresh = None if stored is None else _reencrypted(column, stored, ring)
            if fresh is not None:
                values[column.name] = fresh
        where = sa.and_(*[k == row[k.name] for k in key])
        bind.execute(sa.update(table).where(where).values(values))
    return len(rows)


async def rotate(
    engine: AsyncEngine, metadata: MetaData, ring: KeyRing, batch: int = 500
) -> dict[str, int]:
    """Rows re-encrypted per table. Each batch is its own transaction: an interrupted rotation
    resumes where it stopped, and a finished one finds nothing to do."""
    done: dict[str, int] = {}
    for table in metadata.sorted_tables:
        if not any(isinstance(c.type, _EncryptedColumn) for c in table.columns):
            continue
        done[table.name] = 0
        while True:
            async with engine.begin() as connection:
                count = await connection.run_sync(_rotate_batch, table, ring, batch)
            if count == 0:
                break
            done[table.name] += count
    return done


@dataclass(frozen=True)
class RotationTarget:
    """What a service's `data_protection` module gives the rotation command."""

    vault: DataVault
    metadata: MetaData
    database_url: str
    dev: bool


def add_key(keys_file: Path, key_id: str) -> None:
    """Adds a fresh master key to a key file (created if missing); existing ids never change."""
    if not KEY_ID.match(key_id):
        raise DataKeyError(f"{key_id!r}: a key id is 1-32 letters, digits, '-' or '_'")
    keys = json.loads(keys_file.read_text()) if keys_file.exists() else {}
    if key_id in keys:
        raise DataKeyError(f"{keys_file} already has a key {key_id!r}")
    keys[key_id] = _b64(os.urandom(32))
    keys_file.parent.mkdir(parents=True, exist_ok=True)
    keys_file.touch(mode=0o600)
    keys_file.write_text(json.dumps(keys, indent=1))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m servicekit.crypto")
    commands = parser.add_subparsers(dest="command", required=True)
    rotate_command = commands.add_parser("rotate", help="re-encrypt under the active data key")
    rotate_command.add_argument("--service", required=True)
    rotate_command.add_argument("--batch", type=int, default=500)
    new_key = commands.add_parser("new-key", help="add a master key to a key file")
    new_key.add_argument("--keys-file", type=Path, required=True)
    new_key.add_argument("--id", required=True)
    new_index = commands.add_parser("new-index-key", help="write a new index (hash) key file")
    new_index.add_argument("--file", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.command == "new-key":
        add_key(args.keys_file, args.id)
        return
    if args.command == "new-index-key":
        if args.file.exists():
            raise DataKeyError(f"{args.file} exists: a new index key would orphan every hash")
        args.file.touch(mode=0o600)
        args.file.write_text(_b64(os.urandom(32)))
        return
    module = importlib.import_module(f"{args.service}.data_protection")
    target: RotationTarget = module.rotation_target()
    target.vault.configure(dev=target.dev)

    async def run() -> dict[str, int]:
        engine = create_async_engine(target.database_url)
        try:
            return await rotate(engine, target.metadata, target.vault.ring, args.batch)
        finally:
            await engine.dispose()

    for table, count in asyncio.run(run()).items():
        print(f"{table}: {count} rows re-encrypted under {target.vault.ring.active}")


if __name__ == "__main__":
    # Run as `-m`, this file is `__main__`, a second copy whose column types the models do not
    # use: the command must run from the imported module.
    from servicekit.crypto import main as imported_main

    imported_main()
