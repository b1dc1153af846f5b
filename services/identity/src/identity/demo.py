"""Demo data for `./dev up`: the officer accounts of API.md and the exam question bank
(idempotent)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from identity.accounts.models import Account, AccountStatus
from identity.accounts.passwords import Passwords
from identity.config import IdentitySettings
from identity.db import vault
from identity.exam.seed import load_seed_questions
from servicekit.auth import Role
from servicekit.db import Database, make_engine

DEMO_PASSWORD = "Dev-Password-1"
DEMO_OFFICERS = [
    ("admin", "平台管理员", [Role.ADMIN], []),
    ("branch-officer", "市南分局民警", [Role.BRANCH_OFFICER], ["370202", "370203"]),
    ("city-officer", "市局民警", [Role.CITY_OFFICER], []),
    ("labour-officer", "人社局工作人员", [Role.LABOUR_OFFICER], []),
]


async def seed_demo(settings: IdentitySettings) -> None:
    vault.configure(dev=settings.is_dev)
    db = Database(make_engine(settings.database_url, 2))
    passwords = Passwords(settings)
    try:
        async with db.unit_of_work() as session:
            existing = set(await session.scalars(select(Account.username)))
            for username, name, roles, districts in DEMO_OFFICERS:
                if username in existing:
                    continue
                session.add(
                    Account(
                        id=uuid.uuid4(),
                        username=username,
                        name=name,
                        roles=[r.value for r in roles],
                        districts=districts,
                        status=AccountStatus.ACTIVE,
                        password_hash=passwords.hash(DEMO_PASSWORD),
                    )
                )
            await load_seed_questions(session)
    finally:
        await db.dispose()
