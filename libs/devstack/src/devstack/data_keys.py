"""Test helpers for a service's encrypted columns: data-key files written the way production
reads them, Alembic run under production settings (so the keys must come from those files), and
rows as raw SQL sees them, which is what a backup copies."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from devstack.stack import ROOT


def key_env(
    service: str, folder: Path, keys: dict[str, bytes], active: str, index_key: bytes
) -> dict[str, str]:
    """Writes the key files into `folder`; the service's settings that point at them."""
    keys_file, index_file = folder / "data-keys.json", folder / "data-index.key"
    encoded = {kid: base64.urlsafe_b64encode(key).decode() for kid, key in keys.items()}
    keys_file.write_text(json.dumps(encoded))
    index_file.write_text(base64.urlsafe_b64encode(index_key).decode())
    prefix = service.upper()
    return {
        f"{prefix}_DATA_KEYS_FILE": str(keys_file),
        f"{prefix}_DATA_INDEX_KEY_FILE": str(index_file),
        f"{prefix}_DATA_KEY_ID": active,
    }


def run_in_production(
    service: str, url: str, env: dict[str, str], *command: str
) -> subprocess.CompletedProcess[bytes]:
    """`python -m COMMAND` against `url` with production settings (APP_ENV unset, so the keys
    must come from the files) and `env` added. A non-zero exit fails with what it printed."""
    environment = {k: v for k, v in os.environ.items() if k != "APP_ENV"}
    environment.update(env, **{f"{service.upper()}_DATABASE_URL": url})
    done = subprocess.run(
        [sys.executable, "-m", *command], env=environment, cwd=ROOT, capture_output=True
    )
    if done.returncode:
        output = (done.stdout + done.stderr).decode(errors="replace")
        raise AssertionError(f"{' '.join(command)} exited {done.returncode}:\n{output}")
    return done


def alembic(service: str, url: str, env: dict[str, str], *args: str) -> None:
    """`alembic -c services/<service>/alembic.ini ARGS`, as `run_in_production`."""
    ini = str(ROOT / "services" / service / "alembic.ini")
    run_in_production(service, url, env, "alembic", "-c", ini, *args)


async def raw_rows(url: str, *tables: str) -> list[str]:
    """Every row of `tables` as JSON text, read past the models (no decryption)."""
    engine = create_async_engine(url)
    rows: list[str] = []
    async with engine.connect() as connection:
        for table in tables:  # the test's own table names, never input
            query = text(f"SELECT row_to_json(t)::text FROM {table} t")  # noqa: S608
            found = await connection.execute(query)
            rows += [row[0] for row in found]
    await engine.dispose()
    return rows
