"""Admin command: import the old system's export (CSV: enterprise, liaison name, phone).

    uv run python -m identity.legacy_import export.csv

Same rules as the `importLegacyAccounts` mutation: landlines and invalid numbers are reported and
not imported; running it again changes nothing."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from identity.accounts.admin import import_rows
from identity.accounts.passwords import Passwords
from identity.config import IdentitySettings
from identity.db import outbox, vault
from servicekit.db import Database, make_engine
from servicekit.outbox import Outbox


async def run(settings: IdentitySettings, text: str) -> int:
    vault.configure(dev=settings.is_dev)
    db = Database(make_engine(settings.database_url, 2))
    try:
        async with db.unit_of_work() as session:
            report = await import_rows(
                session, Passwords(settings), Outbox(outbox, "/services/identity"), text
            )
    finally:
        await db.dispose()
    print(
        f"imported {report.imported}, unchanged {report.unchanged}, rejected {len(report.rejected)}"
    )
    for line, reason in report.rejected:
        print(f"  line {line}: {reason}")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m identity.legacy_import", description=__doc__)
    parser.add_argument("csv", type=Path)
    args = parser.parse_args()
    raise SystemExit(asyncio.run(run(IdentitySettings(), args.csv.read_text(encoding="utf-8-sig"))))


if __name__ == "__main__":
    main()
