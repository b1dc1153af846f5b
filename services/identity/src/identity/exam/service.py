"""Exam attempts: start (draw a paper), autosave, submit, scoring at the deadline, history.

Decisions: `start` while an attempt is open returns that attempt (a reload resumes it); an open
attempt past its deadline is scored with the answers saved by then, wherever it is next touched
(or by the sweeper), and then refuses changes with INVALID_STATE; submitting a finished attempt
returns its result again. After a failure, a configured cooldown answers RATE_LIMITED with the
time the next attempt may start.

Locks: an attempt row is locked before its account row, everywhere (no deadlocks); one open
attempt per account is guaranteed by a partial unique index.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from identity.accounts import repository as accounts
from identity.accounts.models import Account, AccountStatus
from identity.exam import events, repository, rules
from identity.exam.config import ExamSettings
from identity.exam.models import AttemptQuestion, AttemptState, ExamAttempt
from identity.exam.schemas import AnswerKey, ExamResult, ExamStatus, Paper
from servicekit.auth import Actor, Role
from servicekit.calendar import CHINA_TZ
from servicekit.db import keep_on_error, utcnow
from servicekit.errors import (
    Conflict,
    Forbidden,
    InvalidState,
    Message,
    NotFound,
    RateLimited,
    ValidationFailed,
)
from servicekit.outbox import Outbox

NOT_ACTIVE = Message("账号未开通，不能参加考试", "Only active accounts can take the exam")
TIME_IS_UP = Message("考试时间已到，试卷已按已保存的答案评分", "Time is up: the paper was scored")
FINISHED = Message("本次考试已交卷，不能再修改答案", "This attempt is finished")


def _key(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise NotFound() from exc


def _cooling_down(until: datetime) -> RateLimited:
    shown = until.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    return RateLimited(
        Message(
            f"考试未通过，请于 {shown}（北京时间）后再次参加考试",
            f"Failed attempt: the next one may start at {shown} (Beijing time)",
        )
    )


@dataclass
class Exams:
    settings: ExamSettings
    outbox: Outbox
    rng: random.Random = field(default_factory=random.SystemRandom)
    clock: Callable[[], datetime] = utcnow

    # --- candidate ------------------------------------------------------------------------

    async def start(self, session: AsyncSession, actor: Actor) -> Paper:
        account = await self._candidate(session, actor)
        now = self.clock()
        current = await repository.open_attempt(session, account.id)
        if current is not None:
            paper = await self._paper(session, current)
            if not self._is_over(current, now):
                return paper
            await self._finish(session, paper, AttemptState.EXPIRED, now)
        last = await repository.last_finished(session, account.id)
        retry_after = self._retry_after(last)
        if retry_after is not None and retry_after > now:
            keep_on_error(session)  # an attempt scored just now stays scored
            raise _cooling_down(retry_after)
        return await self._new_paper(session, account, now)

    async def paper(self, session: AsyncSession, actor: Actor, attempt_id: str) -> Paper:
        attempt = await self._visible_attempt(session, actor, attempt_id)
        paper = await self._paper(session, attempt)
        if attempt.state == AttemptState.IN_PROGRESS and self._is_over(attempt, self.clock()):
            await self._finish(session, paper, AttemptState.EXPIRED, self.clock())
        return paper

    async def save_answer(
        self,
        session: AsyncSession,
        actor: Actor,
        attempt_id: str,
        question_id: str,
        answer: Sequence[str],
    ) -> None:
        """Saves (or, with an empty list, clears) the answer to one question of an open paper."""
        await self._candidate(session, actor)  # e.g. disabled meanwhile: no more answers
        attempt = await self._open_attempt(session, actor, attempt_id)
        question = await repository.paper_question(session, attempt.id, _key(question_id))
        if question is None:
            raise NotFound()
        chosen = rules.to_bank_keys(question, answer)
        if chosen is None:
            raise ValidationFailed.single(
                "answer", "答案不符合该题的选项或题型", "not a valid answer to this question"
            )
        question.answer = chosen or None
        question.answered_at = self.clock()

    async def submit(self, session: AsyncSession, actor: Actor, attempt_id: str) -> ExamResult:
        await self._candidate(session, actor)
        attempt = await self._own_attempt(session, actor, attempt_id, for_update=True)
        paper = await self._paper(session, attempt)
        if attempt.state == AttemptState.IN_PROGRESS:
            now = self.clock()
            over = self._is_over(attempt, now)
            await self._finish(
                session, paper, AttemptState.EXPIRED if over else AttemptState.SUBMITTED, now
            )
        return ExamResult.of(paper, self._retry_after(attempt))

    async def attempts(
        self,
        session: AsyncSession,
        actor: Actor,
        account_id: str | None,
        offset: int,
        limit: int,
    ) -> tuple[list[Paper], int]:
        """An account's attempts, newest first: one's own, or any account's for officers."""
        if account_id is not None and account_id != actor.account_id and not actor.is_officer:
            raise Forbidden()
        owner = _key(account_id or actor.account_id)
        await self._finish_if_over(session, owner)
        rows, total = await repository.attempts_of(session, owner, offset, limit)
        papers = await repository.paper_questions(session, [a.id for a in rows])
        return [Paper(a, papers[a.id]) for a in rows], total

    async def answer_keys(
        self, session: AsyncSession, actor: Actor, attempt_id: str
    ) -> list[AnswerKey]:
        """Dev mode only (the adapter checks): the correct letters of a paper, for e2e tests."""
        attempt = await self._visible_attempt(session, actor, attempt_id)
        paper = await self._paper(session, attempt)
        return [
            AnswerKey(q.question_id, rules.to_display_keys(q, q.correct)) for q in paper.questions
        ]

    def retry_after(self, attempt: ExamAttempt) -> datetime | None:
        return self._retry_after(attempt)

    # --- other services and the sweeper ---------------------------------------------------

    async def status(self, session: AsyncSession, account: Account) -> ExamStatus:
        """For other services (gRPC). An attempt whose time ran out is scored first, so that the
        answer never lags behind the deadline."""
        await self._finish_if_over(session, account.id)  # updates `account` if it passed
        return ExamStatus(account.exam_passed_at, await repository.best_score(session, account.id))

    async def finish_expired(self, session: AsyncSession, limit: int = 100) -> int:
        """Scores attempts whose time ran out and nobody came back to; returns how many."""
        now = self.clock()
        grace = timedelta(seconds=self.settings.grace_seconds)
        rows = await repository.expired_open_attempts(session, now - grace, limit)
        for attempt in rows:
            paper = await self._paper(session, attempt)
            await self._finish(session, paper, AttemptState.EXPIRED, now)
        return len(rows)

    # --- inside ---------------------------------------------------------------------------

    async def _candidate(self, session: AsyncSession, actor: Actor) -> Account:
        actor.require(Role.ENTERPRISE_USER)
        account = await accounts.get(session, _key(actor.account_id))
        if account is None:
            raise NotFound()
        if account.status != AccountStatus.ACTIVE:
            raise Forbidden(NOT_ACTIVE)
        return account

    async def _own_attempt(
        self, session: AsyncSession, actor: Actor, attempt_id: str, *, for_update: bool = False
    ) -> ExamAttempt:
        """The actor's attempt; another account's is NOT_FOUND (its existence is not told)."""
        actor.require(Role.ENTERPRISE_USER)
        attempt = await repository.attempt(session, _key(attempt_id), for_update=for_update)
        if attempt is None or str(attempt.account_id) != actor.account_id:
            raise NotFound()
        return attempt

    async def _visible_attempt(
        self, session: AsyncSession, actor: Actor, attempt_id: str
    ) -> ExamAttempt:
        if not actor.is_officer:
            return await self._own_attempt(session, actor, attempt_id, for_update=True)
        attempt = await repository.attempt(session, _key(attempt_id), for_update=True)
        if attempt is None:
            raise NotFound()
        return attempt

    async def _open_attempt(
        self, session: AsyncSession, actor: Actor, attempt_id: str
    ) -> ExamAttempt:
        """The actor's attempt, locked, if it may still change; one whose time is up is scored
        now and refused."""
        attempt = await self._own_attempt(session, actor, attempt_id, for_update=True)
        if attempt.state != AttemptState.IN_PROGRESS:
            raise InvalidState(FINISHED)
        now = self.clock()
        if self._is_over(attempt, now):
            await self._finish(
                session, await self._paper(session, attempt), AttemptState.EXPIRED, now
            )
            keep_on_error(session)  # the scoring stays; the change is refused
            raise InvalidState(TIME_IS_UP)
        return attempt

    async def _paper(self, session: AsyncSession, attempt: ExamAttempt) -> Paper:
        questions = await repository.paper_questions(session, [attempt.id])
        return Paper(attempt, questions[attempt.id])

    def _is_over(self, attempt: ExamAttempt, now: datetime) -> bool:
        return now > attempt.deadline + timedelta(seconds=self.settings.grace_seconds)

    def _retry_after(self, attempt: ExamAttempt | None) -> datetime | None:
        if attempt is None or attempt.passed is not False or attempt.finished_at is None:
            return None
        if self.settings.cooldown_minutes <= 0:
            return None
        return attempt.finished_at + timedelta(minutes=self.settings.cooldown_minutes)

    async def _finish_if_over(self, session: AsyncSession, account_id: uuid.UUID) -> None:
        current = await repository.open_attempt(session, account_id)
        if current is not None and self._is_over(current, self.clock()):
            await self._finish(session, await self._paper(session, current), AttemptState.EXPIRED)

    async def _new_paper(self, session: AsyncSession, account: Account, now: datetime) -> Paper:
        quotas = self.settings.quotas
        pool = await repository.active_questions(session, list(quotas))
        drawn, shortages = rules.draw_paper(pool, quotas, self.rng)
        if shortages:
            missing = "、".join(f"{s.category}（{s.available}/{s.needed}）" for s in shortages)
            raise InvalidState(
                Message(
                    f"题库题目不足，暂时无法组卷，请联系管理员：{missing}",
                    f"The question bank is short of questions: {missing}",
                )
            )
        attempt = ExamAttempt(
            id=uuid.uuid4(),
            account_id=account.id,
            state=AttemptState.IN_PROGRESS,
            started_at=now,
            deadline=now + timedelta(minutes=self.settings.time_limit_minutes),
            pass_mark=self.settings.pass_mark,
            total_points=self.settings.total_points,
            question_count=len(drawn),
        )
        session.add(attempt)
        try:
            await session.flush()  # the attempt row first: its questions refer to it
        except IntegrityError as exc:  # a simultaneous start won (partial unique index)
            raise Conflict() from exc
        questions = [
            AttemptQuestion(
                attempt_id=attempt.id,
                position=position,
                question_id=q.id,
                question_revision=q.revision,
                kind=q.kind,
                category=q.category,
                text=q.text,
                options=rules.shuffled_options(q, self.rng),
                correct=list(q.answer),
                points=q.points,
                explanation=q.explanation,
            )
            for position, q in enumerate(drawn)
        ]
        session.add_all(questions)
        await session.flush()
        return Paper(attempt, questions)

    async def _finish(
        self,
        session: AsyncSession,
        paper: Paper,
        state: AttemptState,
        now: datetime | None = None,
    ) -> None:
        """Scores the paper with the answers saved so far and publishes the outcome."""
        attempt = paper.attempt
        attempt.state = state
        attempt.finished_at = now or self.clock()
        attempt.score = rules.score_paper(paper.questions, attempt.total_points)
        attempt.passed = attempt.score >= attempt.pass_mark
        first_pass = False
        if attempt.passed:
            account = await accounts.get(session, attempt.account_id, for_update=True)
            assert account is not None
            first_pass = account.exam_passed_at is None
            if first_pass:
                account.exam_passed_at = attempt.finished_at
        await session.flush()
        retry_after = self._retry_after(attempt)
        data = events.exam_data(paper, first_pass=first_pass, retry_after=retry_after)
        event = events.PASSED if attempt.passed else events.FAILED
        await self.outbox.record(session, event, str(attempt.account_id), data)
