"""Alembic helpers for encrypted columns: the clear values of existing rows encrypted in place
(with their blind index), a binary column sealed in place, and the downgrades that give them
back. Each converts batch by batch and reads the key ring only when a row needs it, so a fresh
database needs no keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Text

from servicekit.crypto import SEALED, DataVault, KeyRing, open_sealed


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
        return open_sealed(vault.ring, value, column.context)

    _convert_binary(op, column, batch, sealed=True, convert=open_)


def _convert_binary(
    op: Any, column: ClearColumn, batch: int, *, sealed: bool, convert: Callable[[bytes], bytes]
) -> None:
    bind = op.get_bind()
    keys = ", ".join(column.key)
    compare = "=" if sealed else "<>"
    select_rows = sa.text(
        f"SELECT {keys}, {column.name} AS value FROM {column.table} "  # noqa: S608 (names are ours)
        f"WHERE {column.name} IS NOT NULL AND substr({column.name}, 1, {len(SEALED)}) "
        f"{compare} :sealed ORDER BY {keys} LIMIT :n"
    )
    where = " AND ".join(f"{k} = :{k}" for k in column.key)
    update_row = sa.text(f"UPDATE {column.table} SET {column.name} = :value WHERE {where}")  # noqa: S608
    while rows := bind.execute(select_rows, {"sealed": SEALED, "n": batch}).mappings().all():
        updates = [
            {**{k: row[k] for k in column.key}, "value": convert(bytes(row["value"]))}
            for row in rows
        ]
        bind.execute(update_row, updates)
