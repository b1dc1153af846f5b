"""附件1 and 附件2 as the liaison and the officers live them, through the gateway."""

from __future__ import annotations

import random

import httpx

from devstack.testing import error_code

from .filing_steps import (
    ATTACH,
    FILING,
    NEW_FILING_FILES,
    SUBMIT,
    attach,
    attach_all,
    complete_filing,
    decide,
    eventually,
    filed_enterprise,
    liaison_with_exam,
    officer,
    plain_pdf,
    printed,
    upload,
)
from .test_accounts import admin_token, take_exam
from .test_slice import LOGIN, SAVE, ask, save_until_linked, signed_up_and_approved

PERSON = """mutation($i: ForeignPersonInput!) { registerForeignPerson(input: $i) { id } }"""
A_PERSON = {
    "surname": "SMITH",
    "givenNames": "JOHN",
    "sex": "MALE",
    "birthDate": "1985-04-12",
    "nationality": "GBR",
    "documentType": "PASSPORT",
    "documentNumber": f"P{random.randint(10**7, 10**8 - 1)}",
    "documentExpiry": "2031-01-01",
}
QUEUE = """query($s: FilingStatus, $u: String) { filings(status: $s, uscc: $u) {
  totalCount edges { node { id status branch enterprise { name }
    changes { path before after } } } } }"""


async def messages(gateway: httpx.AsyncClient, phone: str) -> list[str]:
    body = await ask(
        gateway, "query($p: String!) { devMessages(recipient: $p) { text } }", {"p": phone}
    )
    return [message["text"] for message in body["data"]["devMessages"]]


async def test_attachment_1_first_filing_with_a_branch_rejection_and_a_resubmission(
    gateway: httpx.AsyncClient,
) -> None:
    phone, token = await liaison_with_exam(gateway)
    form = complete_filing(phone, random.randint(10**6, 10**9))
    await save_until_linked(gateway, token, form)
    mine = await ask(gateway, "{ myEnterprise { uscc currentFiling { id } } }", token=token)
    filing_id = mine["data"]["myEnterprise"]["currentFiling"]["id"]
    person = await ask(gateway, PERSON, {"i": A_PERSON}, token)
    assert error_code(person) == "INVALID_STATE"  # foreign persons wait for the approval

    # 三.1–3: print the form (QR top right) and the commitment letter, upload everything, submit
    first_form = await printed(gateway, token, filing_id)
    await attach_all(gateway, token, filing_id, NEW_FILING_FILES)
    submitted = (await ask(gateway, SUBMIT, {"id": filing_id}, token))["data"]["submitFiling"]
    assert submitted["status"] == "BRANCH_REVIEW"
    assert error_code(await ask(gateway, SUBMIT, {"id": filing_id}, token)) == "CONFLICT"

    # the branch officer finds it in the queue and rejects it, naming a field and a file
    branch = await officer(gateway, "branch-officer")
    uscc = mine["data"]["myEnterprise"]["uscc"]
    queue = await ask(gateway, QUEUE, {"s": "BRANCH_REVIEW", "u": uscc}, branch)
    assert [edge["node"]["id"] for edge in queue["data"]["filings"]["edges"]] == [filing_id]
    assert queue["data"]["filings"]["edges"][0]["node"]["branch"] == "市南分局"
    rejected = await decide(
        gateway,
        branch,
        filing_id,
        False,
        comment="经营地址与营业执照不一致",
        fieldIssues=[{"field": "operatingAddress", "message": "请按营业执照填写"}],
        attachmentIssues=[{"kind": "BUSINESS_LICENCE", "message": "营业执照不清晰"}],
    )
    assert rejected["data"]["reviewFiling"]["status"] == "REJECTED", rejected

    # 三.5: the enterprise reads the opinion (审批意见) with level, officer and time
    seen = (await ask(gateway, FILING, {"id": filing_id}, token))["data"]["filing"]
    (review,) = seen["reviews"]
    assert review["level"] == "BRANCH"
    assert review["approved"] is False
    assert review["officerName"]
    assert review["comment"] == "经营地址与营业执照不一致"
    assert review["fieldIssues"] == [{"field": "operatingAddress", "message": "请按营业执照填写"}]
    assert review["attachmentIssues"][0]["kind"] == "BUSINESS_LICENCE"
    assert error_code(await ask(gateway, SUBMIT, {"id": filing_id}, token)) == "INVALID_STATE"

    # 三.6: edit → revision 2; the form of revision 1 is refused, the new one accepted
    form["operatingAddress"] = "青岛市市南区香港中路10号9楼"
    form["id"] = filing_id
    saved = await ask(gateway, SAVE, {"input": form}, token)
    assert saved["data"]["saveFiling"]["revision"] == 2
    stale = await attach(gateway, token, filing_id, "APPLICATION_FORM", first_form)
    assert error_code(stale) == "VALIDATION_FAILED"
    assert "第1版" in stale["errors"][0]["extensions"]["fields"][0]["message"]
    missing = await ask(gateway, SUBMIT, {"id": filing_id}, token)
    assert error_code(missing) == "VALIDATION_FAILED"
    paths = {field["path"] for field in missing["errors"][0]["extensions"]["fields"]}
    assert paths == {
        "attachments.APPLICATION_FORM.0",
        "attachments.COMMITMENT_LETTER.0",
        "attachments.BUSINESS_LICENCE.0",
    }
    await attach_all(
        gateway, token, filing_id, ["APPLICATION_FORM", "COMMITMENT_LETTER", "BUSINESS_LICENCE"]
    )
    # once revision 2 is printed, the old paper is refused at the upload itself
    superseded = await upload(gateway, token, first_form, "APPLICATION_FORM")
    assert error_code(superseded) == "VALIDATION_FAILED"
    resubmitted = (await ask(gateway, SUBMIT, {"id": filing_id}, token))["data"]["submitFiling"]
    assert resubmitted["status"] == "BRANCH_REVIEW"
    assert resubmitted["revision"] == 2

    # the reviewer sees what changed since revision 1
    queue = await ask(gateway, QUEUE, {"s": "BRANCH_REVIEW", "u": uscc}, branch)
    changes = queue["data"]["filings"]["edges"][0]["node"]["changes"]
    assert changes == [
        {
            "path": "operatingAddress",
            "before": "青岛市市南区香港中路10号8楼",
            "after": "青岛市市南区香港中路10号9楼",
        }
    ]

    # branch approves; a second branch decision is out of stage; the city approves
    assert (await decide(gateway, branch, filing_id, True))["data"]["reviewFiling"][
        "status"
    ] == "CITY_REVIEW"
    assert error_code(await decide(gateway, branch, filing_id, True)) == "INVALID_STATE"
    city = await officer(gateway, "city-officer")
    assert (await decide(gateway, city, filing_id, True))["data"]["reviewFiling"][
        "status"
    ] == "APPROVED"
    enterprise = await ask(gateway, "{ myEnterprise { status version } }", token=token)
    assert enterprise["data"]["myEnterprise"] == {"status": "FILED", "version": 1}

    # 四: foreign person management is open now
    person = await ask(gateway, PERSON, {"i": A_PERSON}, token)
    assert "errors" not in person, person
    texts = await eventually(lambda: _approval_texts(gateway, phone))
    assert any("审核通过" in text for text in texts)


async def _approval_texts(gateway: httpx.AsyncClient, phone: str) -> list[str]:
    texts = await messages(gateway, phone)
    return texts if any("已审核通过" in text for text in texts) else []


async def test_attachment_2_a_legacy_enterprise_supplements_its_prefilled_draft(
    gateway: httpx.AsyncClient,
) -> None:
    phone = f"135{random.randint(0, 99_999_999):08d}"
    csv = f"enterprise,liaison_name,phone\n青岛老字号外贸有限公司,吴联络,{phone}\n"
    report = await ask(
        gateway,
        "mutation($c: String!) { importLegacyAccounts(csv: $c) { imported } }",
        {"c": csv},
        await admin_token(gateway),
    )
    assert report["data"]["importLegacyAccounts"]["imported"] == 1
    token = (await ask(gateway, LOGIN, {"u": phone, "p": phone}))["data"]["login"]["accessToken"]
    await ask(
        gateway,
        "mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) }",
        {"o": phone, "n": "Legacy-2026x"},
        token,
    )
    token = (await ask(gateway, LOGIN, {"u": phone, "p": "Legacy-2026x"}))["data"]["login"][
        "accessToken"
    ]
    draft = await eventually(lambda: _legacy_draft(gateway, token))
    assert draft["name"] == "青岛老字号外贸有限公司"
    filing_id = draft["currentFiling"]["id"]
    form = complete_filing(phone, random.randint(10**6, 10**9))
    form.update({"id": filing_id, "enterpriseName": "青岛老字号外贸有限公司"})
    form["liaisons"][0]["name"] = "吴联络"
    saved = await ask(gateway, SAVE, {"input": form}, token)
    assert "errors" not in saved, saved
    await attach_all(gateway, token, filing_id, NEW_FILING_FILES)
    # 二: the exam comes before the submission
    assert error_code(await ask(gateway, SUBMIT, {"id": filing_id}, token)) == "INVALID_STATE"
    assert (await take_exam(gateway, token, right=True))["passed"] is True
    submitted = await ask(gateway, SUBMIT, {"id": filing_id}, token)
    assert submitted["data"]["submitFiling"]["status"] == "BRANCH_REVIEW", submitted
    branch, city = await officer(gateway, "branch-officer"), await officer(gateway, "city-officer")
    await decide(gateway, branch, filing_id, True)
    await decide(gateway, city, filing_id, True)
    mine = await ask(gateway, "{ myEnterprise { status isLegacy uscc } }", token=token)
    assert mine["data"]["myEnterprise"]["status"] == "FILED"
    assert mine["data"]["myEnterprise"]["isLegacy"] is True


async def _legacy_draft(gateway: httpx.AsyncClient, token: str) -> dict[str, object] | None:
    body = await ask(gateway, "{ myEnterprise { name currentFiling { id } } }", token=token)
    return body["data"]["myEnterprise"]  # type: ignore[no-any-return]


async def test_other_enterprises_records_are_not_found_and_stay_unchanged(
    gateway: httpx.AsyncClient,
) -> None:
    phone, token, filing_id = await filed_enterprise(gateway)
    _, stranger = await signed_up_and_approved(gateway)
    assert error_code(await ask(gateway, FILING, {"id": filing_id}, stranger)) == "NOT_FOUND"
    assert error_code(await ask(gateway, SUBMIT, {"id": filing_id}, stranger)) == "NOT_FOUND"
    licence = await upload(gateway, stranger, plain_pdf("营业执照"), "BUSINESS_LICENCE")
    attached = await ask(
        gateway,
        ATTACH,
        {
            "f": filing_id,
            "k": "BUSINESS_LICENCE",
            "a": licence["data"]["uploadAttachment"]["id"],
            "i": 0,
        },
        stranger,
    )
    assert error_code(attached) == "NOT_FOUND"
    hijack = complete_filing(phone, 1)
    hijack["id"] = filing_id
    assert error_code(await ask(gateway, SAVE, {"input": hijack}, stranger)) == "NOT_FOUND"
    own = (await ask(gateway, FILING, {"id": filing_id}, token))["data"]["filing"]
    assert own["status"] == "APPROVED"
    assert own["revision"] == 1


async def test_submitting_needs_the_exam_and_every_file(gateway: httpx.AsyncClient) -> None:
    phone, token = await signed_up_and_approved(gateway)  # no exam yet
    await save_until_linked(gateway, token, complete_filing(phone, random.randint(10**6, 10**9)))
    filing_id = (await ask(gateway, "{ myEnterprise { currentFiling { id } } }", token=token))[
        "data"
    ]["myEnterprise"]["currentFiling"]["id"]
    assert error_code(await ask(gateway, SUBMIT, {"id": filing_id}, token)) == "INVALID_STATE"
    assert (await take_exam(gateway, token, right=True))["passed"] is True
    await attach_all(gateway, token, filing_id, ["APPLICATION_FORM", "COMMITMENT_LETTER"])
    missing = await ask(gateway, SUBMIT, {"id": filing_id}, token)
    assert error_code(missing) == "VALIDATION_FAILED"
    assert {f["path"] for f in missing["errors"][0]["extensions"]["fields"]} == {
        "attachments.BUSINESS_LICENCE.0",
        "attachments.LIAISON_ID_CARD.0",
        "attachments.SOCIAL_SECURITY_PROOF.0",
    }
    shown = (await ask(gateway, FILING, {"id": filing_id}, token))["data"]["filing"]
    assert sum(not item["satisfied"] for item in shown["requiredAttachments"]) == 3


async def test_an_officer_of_another_branch_can_neither_see_nor_decide(
    gateway: httpx.AsyncClient,
) -> None:
    phone, token = await liaison_with_exam(gateway)
    form = complete_filing(phone, random.randint(10**6, 10**9), district="370211")  # 黄岛分局
    await save_until_linked(gateway, token, form)
    filing_id = (await ask(gateway, "{ myEnterprise { currentFiling { id } } }", token=token))[
        "data"
    ]["myEnterprise"]["currentFiling"]["id"]
    await attach_all(gateway, token, filing_id, NEW_FILING_FILES)
    assert "errors" not in await ask(gateway, SUBMIT, {"id": filing_id}, token)
    branch = await officer(gateway, "branch-officer")  # 市南分局: 370202, 370203
    assert error_code(await ask(gateway, FILING, {"id": filing_id}, branch)) == "FORBIDDEN"
    assert error_code(await decide(gateway, branch, filing_id, True)) == "FORBIDDEN"
    city = await officer(gateway, "city-officer")
    assert error_code(await decide(gateway, city, filing_id, True)) == "INVALID_STATE"
    # the liaison cannot review, and nothing changed
    assert error_code(await decide(gateway, token, filing_id, True)) == "FORBIDDEN"
    shown = (await ask(gateway, FILING, {"id": filing_id}, token))["data"]["filing"]
    assert shown["status"] == "BRANCH_REVIEW"
    assert shown["reviews"] == []
