"""Approved enterprises with liaison accounts and foreign persons, written straight into the
identity, filing and personnel databases of a running stack (for `bench.join`).

Going through the API costs about 12 s per filing (exam, forms, uploads, two reviews), so the
rows are written with each service's own ORM models: encryption at rest and blind indexes come
out as the services write them, under the same dev key ring (`var/keys`, relative to the working
directory the stack's services share with this process). No events are published: the rows are
what the services would hold once every event had been handled (filing's account projection,
personnel's enterprise projection).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from stdnum.cn import ric, uscc

import filing.db
import identity.db
import personnel.db
from devstack.infra import Postgres
from filing.accounts.models import AccountProjection
from filing.enterprises.models import (
    Enterprise,
    EnterpriseMember,
    EnterpriseStatus,
    EnterpriseVersion,
    Filing,
    FilingRevision,
    FilingStatus,
    Liaison,
    MemberRole,
    RecordType,
    Review,
    ReviewLevel,
)
from filing.enterprises.schemas import FilingForm, LiaisonForm, PersonForm
from identity.accounts.models import Account, AccountStatus
from personnel.enterprises.models import EnterpriseProjection
from personnel.people.models import ForeignPerson, Sex, TravelDocumentType
from servicekit.auth import Role
from servicekit.db import Database, make_engine, utcnow

DISTRICTS = ["370202", "370203", "370211", "370212", "370213", "370214"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超"]
FOREIGN = [
    ("SMITH", "JOHN", "USA"),
    ("MÜLLER", "ANNA", "DEU"),
    ("DUBOIS", "MARIE", "FRA"),
    ("TANAKA", "HIROSHI", "JPN"),
    ("KIM", "MINJUN", "KOR"),
    ("ROSSI", "LUCA", "ITA"),
    ("GARCIA", "SOFIA", "ESP"),
    ("BROWN", "EMILY", "GBR"),
    ("IVANOV", "DMITRY", "RUS"),
    ("NGUYEN", "LINH", "VNM"),
]


@dataclass(frozen=True)
class SeededEnterprise:
    id: str
    name: str
    account_ids: list[str]
    liaison_phones: list[str]  # their usernames (password: the demo password)
    persons: int


def _uscc(n: int) -> str:
    body = f"91370200MA{n:07d}"  # 17 characters; the 18th is the check digit
    return body + uscc.calc_check_digit(body)


def _resident_id(n: int) -> str:
    birth = date(1970, 1, 1) + timedelta(days=(37 * n) % 10_000)
    body = f"110105{birth:%Y%m%d}{n % 999 + 1:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum takes the number with a check digit


def _chinese_name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)] + GIVEN[(n // 7) % len(GIVEN)]


@dataclass
class _Plan:
    """Everything about one enterprise, decided before any database is written."""

    index: int
    enterprise_id: uuid.UUID
    filing_id: uuid.UUID
    name: str
    district: str
    liaisons: list[tuple[uuid.UUID, str, str, LiaisonForm]]  # account, phone, name, form
    persons: int

    def form(self) -> dict[str, Any]:
        return FilingForm(
            enterprise_name=self.name,
            uscc=_uscc(self.index),
            enterprise_type="有限责任公司",
            industry="软件和信息技术服务业",
            district=self.district,
            registered_address=f"青岛市市南区香港中路{self.index + 1}号",
            operating_address=f"青岛市市南区香港中路{self.index + 1}号8楼",
            phone="0532-88886666",
            legal_representative=PersonForm(
                name=_chinese_name(self.index + 500),
                id_type="RESIDENT_ID",
                id_number=_resident_id(self.index + 500),
                phone=f"1380000{self.index:04d}",
            ),
            responsible_person=PersonForm(
                name=_chinese_name(self.index + 700),
                id_type="RESIDENT_ID",
                id_number=_resident_id(self.index + 700),
                phone=f"1380001{self.index:04d}",
            ),
            liaisons=[form for _, _, _, form in self.liaisons],
        ).as_data()


def _plan(count: int, phone_prefix: str, rng: random.Random) -> list[_Plan]:
    plans = []
    for i in range(count):
        liaisons = []
        for j in range(1 + i % 2):  # every other enterprise has a second liaison
            n = 2 * i + j
            phone, name = f"{phone_prefix}{n:04d}", _chinese_name(n)
            form = LiaisonForm(
                name=name,
                sex="FEMALE" if n % 2 else "MALE",
                id_type="RESIDENT_ID",
                id_number=_resident_id(n),
                mobile=phone,
                social_security_months=6 + n % 30,
                position="人事经理" if j == 0 else "行政专员",
            )
            liaisons.append((uuid.uuid4(), phone, name, form))
        plans.append(
            _Plan(
                index=i,
                enterprise_id=uuid.uuid4(),
                filing_id=uuid.uuid4(),
                name=f"青岛压测{i + 1:02d}号国际贸易有限公司",
                district=DISTRICTS[i % len(DISTRICTS)],
                liaisons=liaisons,
                persons=rng.randint(2, 5),
            )
        )
    return plans


async def seed(postgres: Postgres, count: int = 50, *, rng_seed: int = 9) -> list[SeededEnterprise]:
    """`count` approved enterprises, each with 1–2 liaison accounts and 2–5 foreign persons."""
    for vault in (identity.db.vault, filing.db.vault, personnel.db.vault):
        vault.configure(dev=True)  # as the services do with APP_ENV=dev
    rng = random.Random(rng_seed)
    plans = _plan(count, f"139{rng.randint(0, 9999):04d}", rng)
    await _identity(postgres.url("identity"), plans)
    await _filing(postgres.url("filing"), plans)
    await _personnel(postgres.url("personnel"), plans, rng)
    return [
        SeededEnterprise(
            id=str(plan.enterprise_id),
            name=plan.name,
            account_ids=[str(account) for account, _, _, _ in plan.liaisons],
            liaison_phones=[phone for _, phone, _, _ in plan.liaisons],
            persons=plan.persons,
        )
        for plan in plans
    ]


async def _identity(url: str, plans: list[_Plan]) -> None:
    db = Database(make_engine(url, 2))
    try:
        async with db.unit_of_work() as session:
            # The demo admin's hash: the demo password under identity's own argon2 parameters.
            password_hash = await session.scalar(
                select(Account.password_hash).where(
                    Account.username_hash == identity.db.vault.blind_index("admin", "username")
                )
            )
            assert password_hash is not None, "identity has no demo admin (seed-demo ran?)"
            now = utcnow()
            for plan in plans:
                for account_id, phone, name, _ in plan.liaisons:
                    session.add(
                        Account(
                            id=account_id,
                            username=phone,
                            phone=phone,
                            name=name,
                            password_hash=password_hash,
                            roles=[Role.ENTERPRISE_USER.value],
                            status=AccountStatus.ACTIVE,
                            exam_passed_at=now - timedelta(days=30),
                            reviewed_at=now - timedelta(days=40),
                        )
                    )
    finally:
        await db.dispose()


async def _filing(url: str, plans: list[_Plan]) -> None:
    db = Database(make_engine(url, 2))
    now = utcnow()
    try:
        async with db.unit_of_work() as session:
            for plan in plans:
                data = plan.form()
                creator = plan.liaisons[0][0]
                submitted = now - timedelta(days=20, minutes=plan.index * 17)
                decided = submitted + timedelta(days=3)
                session.add(
                    Enterprise(
                        id=plan.enterprise_id,
                        name=plan.name,
                        uscc=data["uscc"],
                        district=plan.district,
                        status=EnterpriseStatus.FILED,
                        data=data,
                        version=1,
                    )
                )
                await session.flush()  # the enterprise before the rows that refer to it
                for order, (account_id, phone, name, form) in enumerate(plan.liaisons):
                    session.add(
                        AccountProjection(
                            account_id=account_id,
                            name=name,
                            phone=phone,
                            status=AccountStatus.ACTIVE.value,
                            updated_at=now,
                        )
                    )
                    session.add(
                        EnterpriseMember(
                            account_id=account_id,
                            enterprise_id=plan.enterprise_id,
                            role=MemberRole.LIAISON,
                        )
                    )
                    session.add(
                        Liaison(
                            enterprise_id=plan.enterprise_id,
                            account_id=account_id,
                            name=name,
                            sex=form.sex,
                            id_type=form.id_type,
                            id_number=form.id_number,
                            mobile=phone,
                            position=form.position,
                            social_security_months=form.social_security_months,
                            position_order=order,
                        )
                    )
                session.add(
                    Filing(
                        id=plan.filing_id,
                        enterprise_id=plan.enterprise_id,
                        record_type=RecordType.NEW,
                        status=FilingStatus.APPROVED,
                        revision=1,
                        data=data,
                        district=plan.district,
                        created_by=creator,
                        created_at=submitted - timedelta(days=1),
                        submitted_at=submitted,
                        decided_at=decided,
                        printed_revision=1,
                    )
                )
                await session.flush()
                session.add(
                    FilingRevision(
                        filing_id=plan.filing_id,
                        revision=1,
                        data=data,
                        submitted_by=creator,
                        submitted_at=submitted,
                    )
                )
                for level, officer, days in (
                    (ReviewLevel.BRANCH, "市南分局民警", 1),
                    (ReviewLevel.CITY, "市局民警", 3),
                ):
                    session.add(
                        Review(
                            filing_id=plan.filing_id,
                            revision=1,
                            level=level,
                            approved=True,
                            comment="材料齐全，同意",
                            officer_id=uuid.uuid4(),
                            officer_name=officer,
                            decided_at=submitted + timedelta(days=days),
                        )
                    )
                session.add(
                    EnterpriseVersion(
                        enterprise_id=plan.enterprise_id,
                        version=1,
                        filing_id=plan.filing_id,
                        record_type=RecordType.NEW,
                        data=data,
                        approved_at=decided,
                    )
                )
    finally:
        await db.dispose()


async def _personnel(url: str, plans: list[_Plan], rng: random.Random) -> None:
    db = Database(make_engine(url, 2))
    now = utcnow()
    try:
        async with db.unit_of_work() as session:
            for plan in plans:
                session.add(
                    EnterpriseProjection(
                        enterprise_id=plan.enterprise_id,
                        name=plan.name,
                        uscc=_uscc(plan.index),
                        district=plan.district,
                        is_filed=True,
                        version=1,
                        updated_at=now,
                    )
                )
                for k in range(plan.persons):
                    surname, given, nationality = FOREIGN[(plan.index + k) % len(FOREIGN)]
                    session.add(
                        ForeignPerson(
                            enterprise_id=plan.enterprise_id,
                            surname=surname,
                            given_names=given,
                            sex=Sex.FEMALE if k % 2 else Sex.MALE,
                            birth_date=date(1975 + rng.randint(0, 20), rng.randint(1, 12), 15),
                            nationality=nationality,
                            document_type=TravelDocumentType.PASSPORT,
                            document_number=f"E{plan.index:04d}{k:04d}",
                            issuing_state=nationality,
                            document_expiry=date(2031, 6, 30),
                            visa_type="Z",
                            visa_number=f"V{plan.index:04d}{k:04d}",
                            visa_expiry=date(2027, 6, 30),
                            entry_date=date(2025, 3, 1),
                            entry_port="青岛流亭",
                            position="工程师",
                            mobile=f"1370000{plan.index:02d}{k:02d}",
                            created_by=plan.liaisons[0][0],
                            created_at=now - timedelta(days=10, minutes=plan.index * 5 + k),
                        )
                    )
    finally:
        await db.dispose()
