"""Key rotation and key files: `rotate` re-encrypts every encrypted column of a service's tables
under the active data key, batch by batch; `main` is `python -m servicekit.crypto` (rotate,
new-key, new-index-key)."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import LargeBinary, MetaData, Table, Text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from servicekit.crypto import (
    KEY_ID,
    VERSION,
    DataKeyError,
    DataVault,
    EncryptedBytes,
    EncryptedColumn,
    KeyRing,
    new_key_text,
    open_sealed,
)


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
        fresh = ring.encrypt(open_sealed(ring, bytes(stored), context), context)
        return sa.type_coerce(fresh.encode("ascii"), LargeBinary)
    if ring.is_current(stored):
        return None
    return sa.type_coerce(ring.encrypt(ring.decrypt(stored, context), context), Text)


def _rotate_batch(bind: Connection, table: Table, ring: KeyRing, batch: int) -> int:
    """Re-encrypts up to `batch` rows not yet under the active key; 0 when the table is done."""
    columns = [c for c in table.columns if isinstance(c.type, EncryptedColumn)]
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
        if not any(isinstance(c.type, EncryptedColumn) for c in table.columns):
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
    keys[key_id] = new_key_text()
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
        args.file.write_text(new_key_text())
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
