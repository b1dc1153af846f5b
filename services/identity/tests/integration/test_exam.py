"""The liaison exam through GraphQL: papers, autosave, scoring, deadline, ownership, history."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import update

from devstack.testing import error_code, graphql
from identity.accounts.models import Account, AccountStatus
from identity.config import IdentitySettings
from identity.exam.config import DEFAULT_QUOTAS

from .exam_support import (
    ATTEMPT,
    START,
    SUBMIT,
    answer,
    answer_keys,
    database,
    move_deadline,
    signed_in_liaison,
    wrong_answer,
)
from .test_accounts import officer_token


async def test_paper_follows_the_quotas_and_starting_again_resumes_it(
    identity: httpx.AsyncClient, identity_settings: IdentitySettings
) -> None:
    liaison = await signed_in_liaison(identity, identity_settings)
    paper = (await graphql(identity, START, token=liaison.token))["data"]["startExam"]
    assert paper["state"] == "IN_PROGRESS"
    assert paper["questionCount"] == len(paper["questions"]) == 50
    assert Counter(q["category"] for q in paper["questions"]) == DEFAULT_QUOTAS
    assert sum(q["points"] for q in paper["questions"]) == 100
    assert [q["position"] for q in paper["questions"]] == list(range(1, 51))
    assert 3590 <= paper["secondsRemaining"] <= 3600
    deadline = datetime.fromisoformat(paper["deadline"])
    assert timedelta(minutes=59) < deadline - datetime.now(UTC) <= timedelta(minutes=60)
    again = (await graphql(identity, START, token=liaison.token))["data"]["startExam"]
    assert again["id"] == paper["id"]
    assert again["questions"] == paper["questions"]


async def test_each_attempt_shuffles_questions_and_options(
    identity: httpx.AsyncClient, identity_settings: IdentitySettings
) -> None:
    papers = []
    for _ in range(2):
        liaison = await signed_in_liaison(identity, identity_settings)
        papers.append((await graphql(identity, START, token=liaison.token))["data"]["startExam"])
    first, second = ([q["id"] for q in p["questions"]] for p in papers)
    assert first != second
    options = [{q["id"]: [o["text"] for o in q["options"]] for q in p["questions"]} for p in papers]
    shared = [i for i in options[0] if i in options[1] and len(options[0][i]) > 2]
    assert any(options[0][i] != options[1][i] for i in shared)
    assert all(sorted(options[0][i]) == sorted(options[1][i]) for i in shared)


async def test_answers_are_autosaved_and_answers_invalid_for_the_question_are_refused(
    identity: httpx.AsyncClient, identity_settings: IdentitySettings
) -> None:
    liaison = await signed_in_liaison(identity, identity_settings)
    paper = (await graphql(identity, START, token=liaison.token))["data"]["startExam"]
    attempt = paper["id"]
    single = next(q for q in paper["questions"] if q["kind"] == "SINGLE")
    multiple = next(q for q in paper["questions"] if q["kind"] == "MULTIPLE")
    assert (await answer(identity, liaison, attempt, single["id"], ["b"]))["data"]
    assert (await answer(identity, liaison, attempt, multiple["id"], ["C", "A"]))["data"]
    assert (await answer(identity, liaison, attempt, single["id"], ["D"]))["data"]  # changed
    body = await graphql(identity, ATTEMPT, {"a": attempt}, token=liaison.token)
    saved = {q["id"]: q for q in body["data"]["examAttempt"]["questions"]}
    assert saved[single["id"]]["answer"] == ["D"]
    assert saved[multiple["id"]]["answer"] == ["A", "C"]
    assert saved[single["id"]]["correctAnswer"] is None  # not while the attempt is open
    assert body["data"]["examAttempt"]["answeredCount"] == 2
    assert (await answer(identity, liaison, attempt, single["id"], []))["data"]  # cleared
    body = await graphql(identity, ATTEMPT, {"a": attempt}, token=liaison.token)
    assert body["data"]["examAttempt"]["answeredCount"] == 1

    for keys in (["A", "B"], ["Z"], ["A", "A"]):
        refused = await answer(identity, liaison, attempt, single["id"], keys)
        assert error_code(refused) == "VALIDATION_FAILED", keys
    drawn = {q["id"] for q in paper["questions"]}
    other = await signed_in_liaison(identity, identity_settings)
    others = (await graphql(identity, START, token=other.token))["data"]["startExam"]
    not_drawn = next(q["id"] for q in others["questions"] if q["id"] not in drawn)
    refused = await answer(identity, liaison, attempt, not_drawn, ["A"])
    assert error_code(refused) == "NOT_FOUND"


async def test_all_right_passes_marks_the_account_and_the_attempt_is_then_closed(
    identity: httpx.AsyncClient, identity_settings: IdentitySettings
) -> None:
    liaison = await signed_in_liaison(identity, identity_settings)
    paper = (await graphql(identity, START, token=liaison.token))["data"]["startExam"]
    keys = await answer_keys(identity, liaison, paper["id"])
    for question_id, right in keys.items():
        assert (await answer(identity, liaison, paper["id"], question_id, right))["data"]
    result = (await graphql(identity, SUBMIT, {"a": paper["id"]}, token=liaison.token))["data"]
    assert result["submitExam"] == {
        "attemptId": paper["id"],
        "state": "SUBMITTED",
        "score": 100,
        "passed": True,
        "passMark": 90,
        "totalPoints": 100,
        "correctCount": 50,
        "questionCount": 50,
    }
    me = await graphql(identity, "{ me { examPassed } }", token=liaison.token)
    assert me["data"]["me"]["examPassed"] is True
    again = (await graphql(identity, SUBMIT, {"a": paper["id"]}, token=liaison.token))["data"]
    assert again == result  # submitting twice changes nothing
    first = paper["questions"][0]
    refused = await answer(identity, liaison, paper["id"], first["id"], ["A"])
    assert error_code(refused) == "INVALID_STATE"
    review = await graphql(identity, ATTEMPT, {"a": paper["id"]}, token=liaison.token)
    reviewed = review["data"]["examAttempt"]["questions"][0]
    assert reviewed["isCorrect"] is True
    assert reviewed["correctAnswer"] == keys[first["id"]]
    assert reviewed["explanation"]


async def test_45_of_50_right_is_90_and_passes_44_right_is_88_and_fails(
    identity: httpx.AsyncClient, identity_settings: IdentitySettings
) -> None:
    for right_count, score, passed in ((45, 90, True), (44, 88, False)):
        liaison = await signed_in_liaison(identity, identity_settings)
        paper = (await graphql(identity, START, token=liaison.token))["data"]["startExam"]
        keys = await answer_keys(identity, liaison, paper["id"])
        for number, question in enumerate(paper["questions"]):
            right = keys[question["id"]]
            given = right if number < right_count else wrong_answer(question["options"], right)
            await answer(identity, liaison, paper["id"], question["id"], given)
        body = await graphql(identity, SUBMIT, {"a": paper["id"]}, token=liaison.token)
        result = body["data"]["submitExam"]
        assert (result["score"], result["passed"]) == (score, passed)


async def test_past_the_deadline_the_saved_answers_are_scored_and_changes_refused(
    identity: httpx.AsyncClient, identity_settings: IdentitySettings
) -> None:
    liaison = await signed_in_liaison(identity, identity_settings)
    paper = (await graphql(identity, START, token=liaison.token))["data"]["startExam"]
    keys = await answer_keys(identity, liaison, paper["id"])
    questions = paper["questions"]
    for question in questions[:3]:
        await answer(identity, liaison, paper["id"], question["id"], keys[question["id"]])
    wrong = wrong_answer(questions[3]["options"], keys[questions[3]["id"]])
    await answer(identity, liaison, paper["id"], questions[3]["id"], wrong)
    await move_deadline(identity_settings, paper["id"], datetime.now(UTC) - timedelta(minutes=1))

    refused = await answer(identity, liaison, paper["id"], questions[4]["id"], ["A"])
    assert error_code(refused) == "INVALID_STATE"
    body = await graphql(identity, ATTEMPT, {"a": paper["id"]}, token=liaison.token)
    scored = body["data"]["examAttempt"]
    assert (scored["state"], scored["score"], scored["passed"]) == ("EXPIRED", 6, False)
    assert scored["answeredCount"] == 4  # the refused answer was not saved
    result = (await graphql(identity, SUBMIT, {"a": paper["id"]}, token=liaison.token))["data"]
    assert (result["submitExam"]["state"], result["submitExam"]["score"]) == ("EXPIRED", 6)
    fresh = (await graphql(identity, START, token=liaison.token))["data"]["startExam"]
    assert fresh["id"] != paper["id"]  # no cooldown by default


async def test_another_accounts_attempt_is_not_found(
    identity: httpx.AsyncClient, identity_settings: IdentitySettings
) -> None:
    owner = await signed_in_liaison(identity, identity_settings)
    paper = (await graphql(identity, START, token=owner.token))["data"]["startExam"]
    stranger = await signed_in_liaison(identity, identity_settings)
    question = paper["questions"][0]["id"]
    attempts = [
        await answer(identity, stranger, paper["id"], question, ["A"]),
        await graphql(identity, SUBMIT, {"a": paper["id"]}, token=stranger.token),
        await graphql(identity, ATTEMPT, {"a": paper["id"]}, token=stranger.token),
        await graphql(
            identity,
            "query($a: ID!) { devExamAnswers(attemptId: $a) { answer } }",
            {"a": paper["id"]},
            token=stranger.token,
        ),
    ]
    assert [error_code(body) for body in attempts] == ["NOT_FOUND"] * 4
    body = await graphql(identity, ATTEMPT, {"a": paper["id"]}, token=owner.token)
    assert body["data"]["examAttempt"]["state"] == "IN_PROGRESS"  # untouched


async def test_only_active_enterprise_users_take_the_exam(
    identity: httpx.AsyncClient, identity_settings: IdentitySettings
) -> None:
    officer = await officer_token(identity)
    assert error_code(await graphql(identity, START, token=officer)) == "FORBIDDEN"
    liaison = await signed_in_liaison(identity, identity_settings)
    paper = (await graphql(identity, START, token=liaison.token))["data"]["startExam"]
    async with database(identity_settings) as db, db.unit_of_work() as session:
        await session.execute(
            update(Account)
            .where(Account.id == uuid.UUID(liaison.account_id))
            .values(status=AccountStatus.DISABLED)
        )
    # the access token is still valid for a few minutes: the account's state decides
    question = paper["questions"][0]["id"]
    refused = await answer(identity, liaison, paper["id"], question, ["A"])
    assert error_code(refused) == "FORBIDDEN"
    assert error_code(await graphql(identity, START, token=liaison.token)) == "FORBIDDEN"


async def test_history_lists_ones_own_attempts_newest_first_officers_see_anyones(
    identity: httpx.AsyncClient, identity_settings: IdentitySettings
) -> None:
    liaison = await signed_in_liaison(identity, identity_settings)
    first = (await graphql(identity, START, token=liaison.token))["data"]["startExam"]["id"]
    await graphql(identity, SUBMIT, {"a": first}, token=liaison.token)
    second = (await graphql(identity, START, token=liaison.token))["data"]["startExam"]["id"]
    history = """query($acc: ID) { examAttempts(first: 10, accountId: $acc) {
      totalCount edges { node { id state score questionCount } } } }"""
    body = await graphql(identity, history, token=liaison.token)
    mine = body["data"]["examAttempts"]
    assert mine["totalCount"] == 2
    assert [(e["node"]["id"], e["node"]["state"]) for e in mine["edges"]] == [
        (second, "IN_PROGRESS"),
        (first, "SUBMITTED"),
    ]
    officer = await officer_token(identity)
    body = await graphql(identity, history, {"acc": liaison.account_id}, token=officer)
    assert body["data"]["examAttempts"]["totalCount"] == 2
    stranger = await signed_in_liaison(identity, identity_settings)
    body = await graphql(identity, history, {"acc": liaison.account_id}, token=stranger.token)
    assert error_code(body) == "FORBIDDEN"
