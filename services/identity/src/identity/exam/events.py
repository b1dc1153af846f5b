"""Events identity publishes about exams (topic `identity.exam.v1`, key = account id)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from identity.exam.schemas import Paper

PASSED = "identity.exam.passed"
FAILED = "identity.exam.failed"


def exam_data(
    paper: Paper, *, first_pass: bool = False, retry_after: datetime | None = None
) -> dict[str, Any]:
    attempt = paper.attempt
    assert attempt.finished_at is not None
    data: dict[str, Any] = {
        "accountId": str(attempt.account_id),
        "attemptId": str(attempt.id),
        "score": attempt.score,
        "passMark": attempt.pass_mark,
        "totalPoints": attempt.total_points,
        "correctCount": paper.correct_count,
        "questionCount": attempt.question_count,
        "state": attempt.state,
        "startedAt": attempt.started_at.isoformat(),
        "finishedAt": attempt.finished_at.isoformat(),
    }
    if attempt.passed:
        data["firstPass"] = first_pass
    else:
        data["retryAfter"] = retry_after.isoformat() if retry_after else None
    return data
