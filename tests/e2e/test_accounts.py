"""Accounts through the gateway: legacy import and forced password change, brute force, refresh
reuse, role checks."""

from __future__ import annotations

import asyncio
import random

import httpx

from devstack.testing import error_code

from .test_slice import LOGIN, ask, signed_up_and_approved

REFRESH = "mutation($t: String!) { refreshSession(refreshToken: $t) { refreshToken } }"


async def admin_token(gateway: httpx.AsyncClient) -> str:
    body = await ask(gateway, LOGIN, {"u": "admin", "p": "Dev-Password-1"})
    return str(body["data"]["login"]["accessToken"])


async def test_a_legacy_account_must_change_its_password_before_anything_else(
    gateway: httpx.AsyncClient,
) -> None:
    phone = f"136{random.randint(0, 99_999_999):08d}"
    csv = f"enterprise,liaison_name,phone\n青岛旧系统企业有限公司,孙联络,{phone}\n某座机单位,周联络,0532-8000000\n"
    report = await ask(
        gateway,
        """mutation($c: String!) { importLegacyAccounts(csv: $c) {
        imported unchanged rejected { line reason } } }""",
        {"c": csv},
        await admin_token(gateway),
    )
    assert report["data"]["importLegacyAccounts"]["imported"] == 1
    assert report["data"]["importLegacyAccounts"]["rejected"][0]["line"] == 3

    token = (await ask(gateway, LOGIN, {"u": phone, "p": phone}))["data"]["login"]["accessToken"]
    # every subgraph refuses work until the initial password is changed
    for query in (
        "{ myEnterprise { id } }",
        "{ foreignPersons { totalCount } }",
        "{ bookingLocations { id } }",
    ):
        assert error_code(await ask(gateway, query, token=token)) == "PASSWORD_CHANGE_REQUIRED"
    changed = await ask(
        gateway,
        """mutation($o: String!, $n: String!) {
        changePassword(oldPassword: $o, newPassword: $n) }""",
        {"o": phone, "n": "Legacy-2026x"},
        token,
    )
    assert changed["data"]["changePassword"] is True
    token = (await ask(gateway, LOGIN, {"u": phone, "p": "Legacy-2026x"}))["data"]["login"][
        "accessToken"
    ]
    async with asyncio.timeout(30):  # filing pre-fills the draft when the import event arrives
        while not (mine := await ask(gateway, "{ myEnterprise { name isLegacy } }", token=token))[
            "data"
        ]["myEnterprise"]:
            await asyncio.sleep(0.3)
    assert mine["data"]["myEnterprise"] == {"name": "青岛旧系统企业有限公司", "isLegacy": True}


async def test_brute_force_locks_the_account(gateway: httpx.AsyncClient) -> None:
    phone, _ = await signed_up_and_approved(gateway)
    codes = [
        error_code(await ask(gateway, LOGIN, {"u": phone, "p": f"Guess-{i}xx"})) for i in range(6)
    ]
    assert codes[-2:] == ["ACCOUNT_LOCKED", "ACCOUNT_LOCKED"]
    assert (
        error_code(await ask(gateway, LOGIN, {"u": phone, "p": "Liaison-2026"})) == "ACCOUNT_LOCKED"
    )


async def test_a_reused_refresh_token_revokes_the_session(gateway: httpx.AsyncClient) -> None:
    phone, _ = await signed_up_and_approved(gateway)
    login = await ask(
        gateway,
        "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { refreshToken } }",
        {"u": phone, "p": "Liaison-2026"},
    )
    first = login["data"]["login"]["refreshToken"]
    second = (await ask(gateway, REFRESH, {"t": first}))["data"]["refreshSession"]["refreshToken"]
    assert error_code(await ask(gateway, REFRESH, {"t": first})) == "UNAUTHENTICATED"
    assert error_code(await ask(gateway, REFRESH, {"t": second})) == "UNAUTHENTICATED"


async def test_a_liaison_cannot_call_officer_operations(gateway: httpx.AsyncClient) -> None:
    _, token = await signed_up_and_approved(gateway)
    for operation in (
        "{ pendingAccounts { totalCount } }",
        'mutation { reviewAccount(id: "00000000-0000-0000-0000-000000000000", approve: true) { id } }',
        'mutation { importLegacyAccounts(csv: "enterprise,liaison_name,phone") { imported } }',
        'mutation { disableAccount(id: "00000000-0000-0000-0000-000000000000", reason: "x") { id } }',
    ):
        assert error_code(await ask(gateway, operation, token=token)) == "FORBIDDEN", operation


START = "mutation { startExam { id deadline questions { id kind options { key } } } }"
SAVE = """mutation($a: ID!, $q: ID!, $x: [String!]!) {
  saveExamAnswer(attemptId: $a, questionId: $q, answer: $x) }"""
SUBMIT = "mutation($a: ID!) { submitExam(attemptId: $a) { score passed passMark } }"
KEYS = "query($a: ID!) { devExamAnswers(attemptId: $a) { questionId answer } }"


async def take_exam(gateway: httpx.AsyncClient, token: str, *, right: bool) -> dict[str, object]:
    attempt = (await ask(gateway, START, token=token))["data"]["startExam"]
    keys = {
        k["questionId"]: k["answer"]
        for k in (await ask(gateway, KEYS, {"a": attempt["id"]}, token))["data"]["devExamAnswers"]
    }
    for question in attempt["questions"]:
        answer = keys[question["id"]]
        if not right:  # a wrong option, or for "all of the above" one key too few
            wrong = [o["key"] for o in question["options"] if o["key"] not in answer]
            answer = wrong[:1] or answer[:-1]
        saved = await ask(
            gateway, SAVE, {"a": attempt["id"], "q": question["id"], "x": answer}, token
        )
        assert saved["data"]["saveExamAnswer"] is True
    return dict((await ask(gateway, SUBMIT, {"a": attempt["id"]}, token))["data"]["submitExam"])


async def test_a_liaison_fails_then_passes_the_exam(gateway: httpx.AsyncClient) -> None:
    _, token = await signed_up_and_approved(gateway)
    failed = await take_exam(gateway, token, right=False)
    assert failed == {"score": 0, "passed": False, "passMark": 90}
    assert (await ask(gateway, "{ me { examPassed } }", token=token))["data"]["me"][
        "examPassed"
    ] is False
    passed = await take_exam(gateway, token, right=True)
    assert passed == {"score": 100, "passed": True, "passMark": 90}
    assert (await ask(gateway, "{ me { examPassed } }", token=token))["data"]["me"][
        "examPassed"
    ] is True


async def test_the_question_bank_study_pdf_is_rendered_once_per_bank_edition(
    gateway: httpx.AsyncClient,
) -> None:
    _, token = await signed_up_and_approved(gateway)
    query = "{ questionBankDocument { id kind title revision sha256 url } }"
    first = (await ask(gateway, query, token=token))["data"]["questionBankDocument"]
    assert first["kind"] == "QUESTION_BANK_STUDY"
    assert first["title"].startswith("外管联络员考试题库")
    again = (await ask(gateway, query, token=token))["data"]["questionBankDocument"]
    assert again == first  # the same bank: the same stored PDF
    pdf = await gateway.get(first["url"], headers={"authorization": f"Bearer {token}"})
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
