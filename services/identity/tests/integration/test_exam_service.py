"""Exam rules that need other settings than the running app's (quotas, cooldown, clock), at the
service layer against the real database."""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from identity.config import IdentitySettings
from identity.db import outbox
from identity.demo import seed_demo
from identity.exam import rules
from identity.exam.config import ExamSettings
from identity.exam.models import AttemptState, QuestionKind
from identity.exam.questions import QuestionBank
from identity.exam.schemas import Paper, QuestionDraft
from identity.exam.seed import load_seed_questions
from identity.exam.service import Exams
from servicekit.auth import Actor, Role
from servicekit.db import Database
from servicekit.errors import InvalidState, RateLimited
from servicekit.outbox import Outbox

from .exam_support import add_liaison, database

ADMIN = Actor(account_id=str(uuid.uuid4()), roles=frozenset({Role.ADMIN}))


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def db(identity_settings: IdentitySettings) -> AsyncIterator[Database]:
    async with database(identity_settings) as value:
        yield value


def exams(quotas: dict[str, int], clock: Clock, **rules_: int) -> Exams:
    settings = ExamSettings(quotas=quotas, sweep_seconds=0, **rules_)
    return Exams(settings, Outbox(outbox, "/services/identity"), random.Random(7), clock)


async def new_questions(db: Database, category: str, *specs: tuple[QuestionKind, int]) -> list[str]:
    ids = []
    bank = QuestionBank(ExamSettings())
    async with db.unit_of_work() as session:
        for number, (kind, points) in enumerate(specs):
            options = (
                []
                if kind == QuestionKind.TRUE_FALSE
                else [{"key": k, "text": f"{k}{number}"} for k in "ABCD"]
            )
            answer = {QuestionKind.SINGLE: ["B"], QuestionKind.MULTIPLE: ["A", "C"]}.get(
                kind, ["T"]
            )
            draft = QuestionDraft(
                kind, category, f"{category}第{number}题", options, answer, points
            )
            ids.append(str((await bank.create(session, ADMIN, draft)).id))
    return ids


async def new_liaison(db: Database, settings: IdentitySettings) -> Actor:
    async with db.unit_of_work() as session:
        account = await add_liaison(session, settings)
    return Actor(account_id=str(account.id), roles=frozenset({Role.ENTERPRISE_USER}))


async def answer_all(
    db: Database, service: Exams, actor: Actor, paper: Paper, right: set[int]
) -> None:
    """Answers the questions worth the points in `right` correctly, the others half right or
    wrong."""
    async with db.unit_of_work() as session:
        for q in paper.questions:
            keys = rules.to_display_keys(q, q.correct)
            if q.points not in right:
                keys = (
                    keys[:1]
                    if q.kind == QuestionKind.MULTIPLE
                    else (["A"] if keys != ["A"] else ["B"])
                )
            await service.save_answer(
                session, actor, str(paper.attempt.id), str(q.question_id), keys
            )


async def test_pass_mark_is_inclusive_90_passes_89_fails_and_half_right_multiple_scores_nothing(
    db: Database, identity_settings: IdentitySettings
) -> None:
    category = f"及格线{uuid.uuid4().hex[:6]}"
    await new_questions(
        db,
        category,
        (QuestionKind.SINGLE, 50),
        (QuestionKind.TRUE_FALSE, 39),
        (QuestionKind.MULTIPLE, 10),
        (QuestionKind.SINGLE, 1),
    )
    service = exams({category: 4}, Clock())
    for right, score, passed in (({50, 39, 1}, 90, True), ({50, 39}, 89, False)):
        actor = await new_liaison(db, identity_settings)
        async with db.unit_of_work() as session:
            paper = await service.start(session, actor)
        await answer_all(db, service, actor, paper, right)
        async with db.unit_of_work() as session:
            result = await service.submit(session, actor, str(paper.attempt.id))
        assert (result.score, result.passed, result.pass_mark) == (score, passed, 90)
        assert result.correct_count == len(right)


async def test_a_failure_starts_a_cooldown_and_the_next_attempt_waits_for_its_end(
    db: Database, identity_settings: IdentitySettings
) -> None:
    category = f"冷却{uuid.uuid4().hex[:6]}"
    await new_questions(db, category, (QuestionKind.SINGLE, 2), (QuestionKind.TRUE_FALSE, 2))
    clock = Clock()
    service = exams({category: 2}, clock, cooldown_minutes=30)
    actor = await new_liaison(db, identity_settings)
    async with db.unit_of_work() as session:
        paper = await service.start(session, actor)
    async with db.unit_of_work() as session:
        result = await service.submit(session, actor, str(paper.attempt.id))
    assert result.passed is False
    assert result.retry_after == clock.now + timedelta(minutes=30)
    clock.now += timedelta(minutes=29)
    with pytest.raises(RateLimited) as refused:
        async with db.unit_of_work() as session:
            await service.start(session, actor)
    assert "再次参加考试" in refused.value.message.zh
    clock.now += timedelta(minutes=2)
    async with db.unit_of_work() as session:
        fresh = await service.start(session, actor)
    assert fresh.attempt.id != paper.attempt.id


async def test_attempts_nobody_came_back_to_are_scored_by_the_sweeper_and_published(
    db: Database, identity_settings: IdentitySettings
) -> None:
    category = f"超时{uuid.uuid4().hex[:6]}"
    await new_questions(db, category, (QuestionKind.SINGLE, 1), (QuestionKind.SINGLE, 1))
    clock = Clock()
    service = exams({category: 2}, clock, time_limit_minutes=60)
    actor = await new_liaison(db, identity_settings)
    async with db.unit_of_work() as session:
        paper = await service.start(session, actor)
    await answer_all(db, service, actor, paper, {1})  # both right, saved before the deadline
    clock.now += timedelta(minutes=60, seconds=1)  # inside the grace period: still open
    async with db.unit_of_work() as session:
        await service.finish_expired(session)
        assert (await service.paper(session, actor, str(paper.attempt.id))).attempt.state == (
            AttemptState.IN_PROGRESS
        )
    clock.now += timedelta(minutes=1)
    async with db.unit_of_work() as session:
        assert await service.finish_expired(session) >= 1
    async with db.unit_of_work() as session:
        scored = await service.paper(session, actor, str(paper.attempt.id))
        rows = (
            await session.execute(
                select(outbox.c.event_type).where(outbox.c.key == actor.account_id)
            )
        ).all()
    assert (scored.attempt.state, scored.attempt.score, scored.attempt.passed) == (
        AttemptState.EXPIRED,
        100,
        True,
    )
    assert [row.event_type for row in rows] == ["identity.exam.passed"]


async def test_inactive_questions_are_not_drawn_and_edits_do_not_change_drawn_papers(
    db: Database, identity_settings: IdentitySettings
) -> None:
    category = f"停用{uuid.uuid4().hex[:6]}"
    ids = await new_questions(db, category, *[(QuestionKind.SINGLE, 2)] * 3)
    bank = QuestionBank(ExamSettings())
    async with db.unit_of_work() as session:
        await bank.set_active(session, ADMIN, ids[0], False)
    service = exams({category: 2}, Clock())
    actor = await new_liaison(db, identity_settings)
    async with db.unit_of_work() as session:
        paper = await service.start(session, actor)
    drawn = [str(q.question_id) for q in paper.questions]
    assert sorted(drawn) == sorted(ids[1:])

    edited = QuestionDraft(QuestionKind.TRUE_FALSE, category, "改过的题干", [], ["F"], 5)
    async with db.unit_of_work() as session:
        await bank.update(session, ADMIN, drawn[0], edited)
        again = await service.paper(session, actor, str(paper.attempt.id))
    first = again.questions[0]
    assert (first.text, first.kind, first.points, first.question_revision) == (
        paper.questions[0].text,
        QuestionKind.SINGLE,
        2,
        1,
    )

    short = exams({category: 3}, Clock())
    other = await new_liaison(db, identity_settings)
    with pytest.raises(InvalidState) as refused:
        async with db.unit_of_work() as session:
            await short.start(session, other)
    assert f"{category}（2/3）" in refused.value.message.zh


async def test_seeding_the_demo_bank_again_adds_nothing(
    identity: object, db: Database, identity_settings: IdentitySettings
) -> None:
    await seed_demo(identity_settings)  # the `identity` fixture seeded once already
    async with db.unit_of_work() as session:
        assert await load_seed_questions(session) == 0
