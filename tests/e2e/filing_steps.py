"""The steps of 附件1–4 as a user and the officers take them, through the gateway: pass the exam,
fill in the filing, print the forms, upload them signed, submit, review."""

from __future__ import annotations

import asyncio
import io
import json
import random
from typing import Any

import httpx
from pypdf import PdfWriter

from .test_accounts import take_exam
from .test_slice import LOGIN, ask, filing_input, save_until_linked, signed_up_and_approved

PASSWORD = "Dev-Password-1"
FILING_FIELDS = """id status revision recordType changeKind enterpriseId
  reviews { level approved comment officerName decidedAt revision
            fieldIssues { field message } attachmentIssues { kind message } }
  requiredAttachments { kind liaisonIndex satisfied problem }
  attachments { kind revision current attachment { id } }"""
FILING = f"query($id: ID!) {{ filing(id: $id) {{ {FILING_FIELDS} }} }}"
SUBMIT = f"mutation($id: ID!) {{ submitFiling(id: $id) {{ {FILING_FIELDS} }} }}"
REVIEW = """mutation($id: ID!, $input: ReviewInput!) {
  reviewFiling(id: $id, input: $input) { id status revision } }"""
ATTACH = """mutation($f: ID!, $k: AttachmentKind!, $a: ID!, $i: Int) {
  attachToFiling(filingId: $f, kind: $k, attachmentId: $a, liaisonIndex: $i) { id revision } }"""
UPLOAD = """mutation($file: Upload!, $kind: AttachmentKind!) {
  uploadAttachment(file: $file, kind: $kind) { id } }"""
FORM = "query($id: ID!) { filing(id: $id) { revision %s { id url revision kind } } }"


def complete_filing(phone: str, seed: int, district: str = "370202") -> dict[str, Any]:
    """Every field the printed application form needs (附件1 三.1)."""
    form = filing_input(phone, seed)
    form.update(
        {
            "enterpriseType": "有限责任公司",
            "industry": "软件和信息技术服务业",
            "district": district,
            "registeredAddress": "青岛市市南区香港中路10号",
            "operatingAddress": "青岛市市南区香港中路10号8楼",
            "phone": "0532-88886666",
            "legalRepresentative": {
                "name": "赵法人",
                "idType": "RESIDENT_ID",
                "idNumber": "11010519491231002X",
                "phone": "13800000001",
            },
            "responsiblePerson": {
                "name": "钱负责",
                "idType": "RESIDENT_ID",
                "idNumber": "11010519491231002X",
                "phone": "13800000002",
            },
        }
    )
    form["liaisons"][0]["position"] = "人事经理"
    return form


def plain_pdf(title: str) -> bytes:
    """A scan that is not one of the system's forms (licence, ID card, social security proof)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": f"{title} {random.random()}"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


async def officer(gateway: httpx.AsyncClient, username: str) -> str:
    body = await ask(gateway, LOGIN, {"u": username, "p": PASSWORD})
    return str(body["data"]["login"]["accessToken"])


async def liaison_with_exam(gateway: httpx.AsyncClient) -> tuple[str, str]:
    """附件1 一、二: registers, is approved, passes the exam. (phone, token)"""
    phone, token = await signed_up_and_approved(gateway)
    result = await take_exam(gateway, token, right=True)
    assert result["passed"] is True, result
    return phone, token


async def upload(
    gateway: httpx.AsyncClient, token: str, content: bytes, kind: str, name: str = "scan.pdf"
) -> dict[str, Any]:
    """The multipart upload; the whole GraphQL answer (data or errors)."""
    response = await gateway.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": UPLOAD, "variables": {"file": None, "kind": kind}}),
            "map": json.dumps({"0": ["variables.file"]}),
        },
        files={"0": (name, content, "application/pdf")},
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def printed(
    gateway: httpx.AsyncClient, token: str, filing_id: str, field: str = "applicationForm"
) -> bytes:
    """Downloads the form of the record's current revision (as the user prints it)."""
    body = await ask(gateway, FORM % field, {"id": filing_id}, token)
    assert "errors" not in body, body
    document = body["data"]["filing"][field]
    assert document["revision"] == body["data"]["filing"]["revision"]
    response = await gateway.get(document["url"], headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return response.content


async def attach(
    gateway: httpx.AsyncClient,
    token: str,
    filing_id: str,
    kind: str,
    content: bytes,
    liaison_index: int = 0,
) -> dict[str, Any]:
    uploaded = await upload(gateway, token, content, kind)
    assert "errors" not in uploaded, uploaded
    attachment_id = uploaded["data"]["uploadAttachment"]["id"]
    return await ask(
        gateway,
        ATTACH,
        {"f": filing_id, "k": kind, "a": attachment_id, "i": liaison_index},
        token,
    )


async def attach_all(
    gateway: httpx.AsyncClient, token: str, filing_id: str, kinds: list[str]
) -> None:
    """Prints the forms among `kinds`, uploads them (as if signed and scanned) and the other
    files, and places each in its slot."""
    forms = {
        "APPLICATION_FORM": "applicationForm",
        "COMMITMENT_LETTER": "commitmentLetter",
        "CHANGE_FORM": "applicationForm",
    }
    for kind in kinds:
        content = (
            await printed(gateway, token, filing_id, forms[kind])
            if kind in forms
            else plain_pdf(kind)
        )
        body = await attach(gateway, token, filing_id, kind, content)
        assert "errors" not in body, body


NEW_FILING_FILES = [
    "APPLICATION_FORM",
    "COMMITMENT_LETTER",
    "BUSINESS_LICENCE",
    "LIAISON_ID_CARD",
    "SOCIAL_SECURITY_PROOF",
]


async def decide(
    gateway: httpx.AsyncClient, token: str, filing_id: str, approve: bool, **issues: Any
) -> dict[str, Any]:
    return await ask(
        gateway, REVIEW, {"id": filing_id, "input": {"approve": approve, **issues}}, token
    )


async def approved_by_both(gateway: httpx.AsyncClient, filing_id: str) -> None:
    branch = await decide(gateway, await officer(gateway, "branch-officer"), filing_id, True)
    assert branch["data"]["reviewFiling"]["status"] == "CITY_REVIEW", branch
    city = await decide(gateway, await officer(gateway, "city-officer"), filing_id, True)
    assert city["data"]["reviewFiling"]["status"] == "APPROVED", city


async def filed_enterprise(gateway: httpx.AsyncClient) -> tuple[str, str, str]:
    """An enterprise whose NEW filing is approved: (liaison phone, token, filing id)."""
    phone, token = await liaison_with_exam(gateway)
    await save_until_linked(gateway, token, complete_filing(phone, random.randint(10**6, 10**9)))
    filing_id = (await ask(gateway, "{ myEnterprise { currentFiling { id } } }", token=token))[
        "data"
    ]["myEnterprise"]["currentFiling"]["id"]
    await attach_all(gateway, token, filing_id, NEW_FILING_FILES)
    submitted = await ask(gateway, SUBMIT, {"id": filing_id}, token)
    assert submitted["data"]["submitFiling"]["status"] == "BRANCH_REVIEW", submitted
    await approved_by_both(gateway, filing_id)
    return phone, token, filing_id


async def eventually(check: Any, seconds: float = 30) -> Any:
    """Polls `check()` until it answers something truthy (events arrive slightly late)."""
    async with asyncio.timeout(seconds):
        while not (result := await check()):
            await asyncio.sleep(0.3)
    return result
