"""Helpers of the exam tests: active liaison accounts, direct database access, GraphQL texts."""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from devstack.testing import graphql
from identity.accounts.models import Account, AccountStatus
from identity.accounts.passwords import Passwords
from identity.config import IdentitySettings
from identity.exam.models import ExamAttempt
from servicekit.auth import Role
from servicekit.db import Database, make_engine

from .test_accounts import LOGIN

PASSWORD = "Secret-123"

START = """mutation { startExam { id state deadline secondsRemaining questionCount
  questions { id position kind category points options { key text } answer } } }"""
SAVE = """mutation($a: ID!, $q: ID!, $answer: [String!]!) {
  saveExamAnswer(attemptId: $a, questionId: $q, answer: $answer) }"""
SUBMIT = """mutation($a: ID!) { submitExam(attemptId: $a) {
  attemptId state score passed passMark totalPoints correctCount questionCount } }"""
ANSWERS = "query($a: ID!) { devExamAnswers(attemptId: $a) { questionId answer } }"
ATTEMPT = """query($a: ID!) { examAttempt(id: $a) { id state score passed answeredCount
  questions { id answer isCorrect correctAnswer explanation } } }"""


@asynccontextmanager
async def database(settings: IdentitySettings) -> AsyncIterator[Database]:
    db = Database(make_engine(settings.database_url, 2))
    try:
        yield db
    finally:
        await db.dispose()


async def add_liaison(session: AsyncSession, settings: IdentitySettings) -> Account:
    """An ACTIVE enterprise user, made directly (registration has its own tests)."""
    phone = f"137{random.randint(0, 99_999_999):08d}"
    account = Account(
        id=uuid.uuid4(),
        username=phone,
        phone=phone,
        name="联络员",
        password_hash=Passwords(settings).hash(PASSWORD),
        roles=[Role.ENTERPRISE_USER.value],
        districts=[],
        status=AccountStatus.ACTIVE,
    )
    session.add(account)
    await session.flush()
    return account


@dataclass(frozen=True)
class Liaison:
    account_id: str
    phone: str
    token: str


async def signed_in_liaison(client: httpx.AsyncClient, settings: IdentitySettings) -> Liaison:
    async with database(settings) as db, db.unit_of_work() as session:
        account = await add_liaison(session, settings)
    assert account.phone is not None
    body = await graphql(client, LOGIN, {"u": account.phone, "p": PASSWORD})
    return Liaison(str(account.id), account.phone, body["data"]["login"]["accessToken"])


async def move_deadline(settings: IdentitySettings, attempt_id: str, deadline: datetime) -> None:
    async with database(settings) as db, db.unit_of_work() as session:
        await session.execute(
            update(ExamAttempt)
            .where(ExamAttempt.id == uuid.UUID(attempt_id))
            .values(deadline=deadline)
        )


async def answer_keys(
    client: httpx.AsyncClient, liaison: Liaison, attempt_id: str
) -> dict[str, Any]:
    body = await graphql(client, ANSWERS, {"a": attempt_id}, token=liaison.token)
    return {row["questionId"]: row["answer"] for row in body["data"]["devExamAnswers"]}


async def answer(
    client: httpx.AsyncClient, liaison: Liaison, attempt_id: str, question_id: str, keys: list[str]
) -> dict[str, Any]:
    variables = {"a": attempt_id, "q": question_id, "answer": keys}
    return await graphql(client, SAVE, variables, token=liaison.token)


def wrong_answer(options: list[dict[str, str]], right: list[str]) -> list[str]:
    """A key that is not right, or (every option right) a part of the answer: both score 0."""
    wrong = [o["key"] for o in options if o["key"] not in right]
    return wrong[:1] or right[:1]
