"""The labour manual (seed 004), section by section, through the gateway: the enterprise's user
fills in, prints, has the form stamped, submits; the labour officer pre-reviews."""

from __future__ import annotations

import random
from typing import Any

import httpx

from devstack.testing import error_code

from .filing_steps import filed_enterprise, officer, upload
from .test_slice import ask

FIELDS = """id kind submission review revision dueAt isOverdue failureReason issuedNumber
  canModify canSubmit canFillRegistration"""
SAVE = f"""mutation($input: EmploymentApplicationInput!) {{
  saveEmploymentApplication(input: $input) {{ {FIELDS} }} }}"""
SUBMIT = f"mutation($id: ID!) {{ submitEmploymentApplication(id: $id) {{ {FIELDS} }} }}"
DECIDE = f"""mutation($id: ID!, $pass: Boolean!, $reason: String) {{
  preReviewApplication(id: $id, pass: $pass, reason: $reason) {{ {FIELDS} }} }}"""
PAPERS = """query($id: ID!) { employmentApplication(id: $id) {
  revision applicationForm { url revision } handlingNotice { url kind } } }"""
QUEUE = """query($review: ReviewStatus) { employmentApplications(review: $review, first: 100) {
  edges { node { id dueAt isOverdue } } } }"""
PERSON = "mutation($i: ForeignPersonInput!) { registerForeignPerson(input: $i) { id } }"
FORM = {
    "position": "机器人控制算法工程师",
    "workplaceAddress": "山东省青岛市崂山区株洲路1号",
    "contractStart": "2027-01-01",
    "contractEnd": "2028-12-31",
    "monthlySalary": 35000,
    "education": "博士",
}


def a_person(**changes: Any) -> dict[str, Any]:
    return {
        "surname": "Weber",
        "givenNames": "Jonas",
        "sex": "MALE",
        "birthDate": "1986-05-20",
        "nationality": "DEU",
        "documentType": "PASSPORT",
        "documentNumber": f"C{random.randint(0, 99_999_999):08d}",
        "documentExpiry": "2033-01-31",
        "visaType": "Z",
        "visaNumber": f"V{random.randint(0, 9_999_999):07d}",
        "visaExpiry": "2027-06-30",
        "entryDate": "2026-10-20",
        "entryPort": "青岛胶东国际机场",
        "mobile": "13912345678",
        "address": "山东省青岛市市南区东海西路5号",
        **changes,
    }


async def person_of(gateway: httpx.AsyncClient, token: str, **changes: Any) -> str:
    body = await ask(gateway, PERSON, {"i": a_person(**changes)}, token)
    assert "errors" not in body, body
    return str(body["data"]["registerForeignPerson"]["id"])


async def save(gateway: httpx.AsyncClient, token: str, value: dict[str, Any]) -> dict[str, Any]:
    body = await ask(gateway, SAVE, {"input": value}, token)
    assert "errors" not in body, body
    return dict(body["data"]["saveEmploymentApplication"])


def application(kind: str, person_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "foreignPersonId": person_id,
        "tipsAcknowledged": True,
        "requirementsAcknowledged": kind == "LICENCE",
        "form": dict(FORM),
        **changes,
    }


async def stamped(
    gateway: httpx.AsyncClient, token: str, saved: dict[str, Any], value: dict[str, Any]
) -> dict[str, Any]:
    """Prints the form, has the bureau stamp it (the scan keeps the QR code), uploads the scan
    and records the opinion (manual 一.8)."""
    papers = (await ask(gateway, PAPERS, {"id": saved["id"]}, token))["data"]
    form = papers["employmentApplication"]["applicationForm"]
    pdf = await gateway.get(form["url"], headers={"authorization": f"Bearer {token}"})
    assert pdf.status_code == 200
    scan = await upload(gateway, token, pdf.content, "EXIT_ENTRY_OPINION")
    assert "errors" not in scan, scan
    return await save(
        gateway,
        token,
        value
        | {
            "id": saved["id"],
            "exitEntryOpinion": "同意。青岛市公安局出入境管理局",
            "exitEntryOpinionAttachmentId": scan["data"]["uploadAttachment"]["id"],
        },
    )


async def submitted(
    gateway: httpx.AsyncClient, token: str, kind: str, person_id: str, **changes: Any
) -> dict[str, Any]:
    value = application(kind, person_id, **changes)
    saved = await save(gateway, token, value)
    if kind in ("LICENCE", "EXEMPT_RECRUITMENT"):
        saved = await stamped(gateway, token, saved, value)
    body = await ask(gateway, SUBMIT, {"id": saved["id"]}, token)
    assert "errors" not in body, body
    return dict(body["data"]["submitEmploymentApplication"])


async def passed(gateway: httpx.AsyncClient, application_id: str) -> dict[str, Any]:
    labour = await officer(gateway, "labour-officer")
    body = await ask(gateway, DECIDE, {"id": application_id, "pass": True}, labour)
    assert "errors" not in body, body
    return dict(body["data"]["preReviewApplication"])


async def test_section_1_licence_with_the_stamped_form_and_the_handling_notice(
    gateway: httpx.AsyncClient,
) -> None:
    _, token, _ = await filed_enterprise(gateway)
    person = await person_of(gateway, token)
    unticked = await ask(
        gateway, SAVE, {"input": application("LICENCE", person, tipsAcknowledged=False)}, token
    )
    assert error_code(unticked) == "VALIDATION_FAILED"
    value = application("LICENCE", person)
    saved = await save(gateway, token, value)
    assert (saved["submission"], saved["review"], saved["canSubmit"]) == (
        "UNSUBMITTED",
        "NONE",
        True,
    )
    # the bureau's opinion is needed first (一.8)
    assert error_code(await ask(gateway, SUBMIT, {"id": saved["id"]}, token)) == "VALIDATION_FAILED"
    saved = await stamped(gateway, token, saved, value)
    labour = await officer(gateway, "labour-officer")
    early = await ask(gateway, DECIDE, {"id": saved["id"], "pass": True}, labour)
    assert error_code(early) == "INVALID_STATE"  # not submitted yet
    done = (await ask(gateway, SUBMIT, {"id": saved["id"]}, token))["data"]
    record = done["submitEmploymentApplication"]
    assert (record["submission"], record["review"]) == ("SUBMITTED", "PENDING")
    assert record["dueAt"] and record["canModify"] is False
    # locked: no edit, no second submit
    edit = await ask(gateway, SAVE, {"input": value | {"id": saved["id"]}}, token)
    assert error_code(edit) == "INVALID_STATE"
    assert error_code(await ask(gateway, SUBMIT, {"id": saved["id"]}, token)) == "INVALID_STATE"
    # the labour officer's queue, by due date; the liaison cannot decide
    queue = await ask(gateway, QUEUE, {"review": "PENDING"}, labour)
    assert saved["id"] in [
        e["node"]["id"] for e in queue["data"]["employmentApplications"]["edges"]
    ]
    assert error_code(await ask(gateway, DECIDE, {"id": saved["id"], "pass": True}, token)) == (
        "FORBIDDEN"
    )
    papers = (await ask(gateway, PAPERS, {"id": saved["id"]}, token))["data"]
    assert papers["employmentApplication"]["handlingNotice"] is None
    result = await passed(gateway, saved["id"])
    assert result["review"] == "PASSED"
    assert result["issuedNumber"].startswith("3702")
    papers = (await ask(gateway, PAPERS, {"id": saved["id"]}, token))["data"]
    notice = papers["employmentApplication"]["handlingNotice"]
    pdf = await gateway.get(notice["url"], headers={"authorization": f"Bearer {token}"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


async def test_section_2_exempt_recruitment_then_exactly_one_registration(
    gateway: httpx.AsyncClient,
) -> None:
    _, token, _ = await filed_enterprise(gateway)
    person = await person_of(gateway, token)
    recruitment = await submitted(gateway, token, "EXEMPT_RECRUITMENT", person)
    assert recruitment["canFillRegistration"] is False
    recruitment = await passed(gateway, recruitment["id"])
    assert recruitment["canFillRegistration"] is True
    registration = await submitted(
        gateway, token, "REGISTRATION", person, basedOnApplicationId=recruitment["id"]
    )
    assert registration["review"] == "PENDING"
    second = await ask(
        gateway,
        SAVE,
        {"input": application("REGISTRATION", person, basedOnApplicationId=recruitment["id"])},
        token,
    )
    assert error_code(second) == "CONFLICT"
    registration = await passed(gateway, registration["id"])
    assert registration["issuedNumber"]


async def test_section_2_registration_from_a_licence_and_section_3_extension(
    gateway: httpx.AsyncClient,
) -> None:
    _, token, _ = await filed_enterprise(gateway)
    person = await person_of(gateway, token)
    licence = await passed(gateway, (await submitted(gateway, token, "LICENCE", person))["id"])
    unknown = await ask(
        gateway,
        SAVE,
        {"input": application("REGISTRATION", person, licenceNumber="37022026L999999")},
        token,
    )
    assert error_code(unknown) == "VALIDATION_FAILED"
    registration = await submitted(
        gateway, token, "REGISTRATION", person, licenceNumber=licence["issuedNumber"]
    )
    certificate = (await passed(gateway, registration["id"]))["issuedNumber"]
    wrong = await ask(
        gateway,
        SAVE,
        {"input": application("EXTENSION", person, certificateNumber="37022026E999999")},
        token,
    )
    assert error_code(wrong) == "VALIDATION_FAILED"
    extension = await submitted(gateway, token, "EXTENSION", person, certificateNumber=certificate)
    labour = await officer(gateway, "labour-officer")
    failed = await ask(
        gateway,
        DECIDE,
        {"id": extension["id"], "pass": False, "reason": "合同期限与申请不符"},
        labour,
    )
    record = failed["data"]["preReviewApplication"]
    assert (record["review"], record["failureReason"]) == ("FAILED", "合同期限与申请不符")
    # 三.8(2): modify (a new revision) and submit again
    modified = await save(
        gateway,
        token,
        application("EXTENSION", person, certificateNumber=certificate, id=extension["id"]),
    )
    assert (modified["revision"], modified["submission"]) == (2, "UNSUBMITTED")
    again = await ask(gateway, SUBMIT, {"id": extension["id"]}, token)
    assert again["data"]["submitEmploymentApplication"]["review"] == "PENDING"


async def test_sections_4_and_5_hong_kong_macau_taiwan_certificate_and_extension(
    gateway: httpx.AsyncClient,
) -> None:
    _, token, _ = await filed_enterprise(gateway)
    resident = await person_of(
        gateway,
        token,
        surname="Chan",
        givenNames="Tai Man",
        chineseName="陈大文",
        nationality="CHN",
        documentType="HK_MO_PERMIT",
        documentNumber=f"H{random.randint(0, 99_999_999):08d}",
    )
    foreigner = await person_of(gateway, token)
    wrong_kind = await ask(
        gateway, SAVE, {"input": application("HKMOTW_EMPLOYMENT", foreigner)}, token
    )
    assert error_code(wrong_kind) == "VALIDATION_FAILED"
    employment = await passed(
        gateway, (await submitted(gateway, token, "HKMOTW_EMPLOYMENT", resident))["id"]
    )
    extension = await submitted(
        gateway, token, "HKMOTW_EXTENSION", resident, certificateNumber=employment["issuedNumber"]
    )
    assert extension["review"] == "PENDING"


async def test_another_enterprises_ids_are_not_found_and_nothing_changes(
    gateway: httpx.AsyncClient,
) -> None:
    _, owner, _ = await filed_enterprise(gateway)
    person = await person_of(gateway, owner)
    saved = await save(gateway, owner, application("LICENCE", person))
    _, stranger, _ = await filed_enterprise(gateway)
    for query, variables in (
        (PAPERS, {"id": saved["id"]}),
        (SUBMIT, {"id": saved["id"]}),
        (SAVE, {"input": application("LICENCE", person)}),
        (SAVE, {"input": application("LICENCE", person, id=saved["id"])}),
    ):
        assert error_code(await ask(gateway, query, variables, stranger)) == "NOT_FOUND"
    mine = (await ask(gateway, PAPERS, {"id": saved["id"]}, owner))["data"]
    assert mine["employmentApplication"]["revision"] == 1
