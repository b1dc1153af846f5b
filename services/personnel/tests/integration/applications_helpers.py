"""Shared steps of the employment application tests: a person, a saved/submitted/decided
application, the stamped form uploaded back."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

import httpx

from devstack.testing import error_code, graphql

if TYPE_CHECKING:
    from devstack.doubles import DocumentsDouble

    from ..conftest import Tenant

FIELDS = """id number kind foreignPersonId submission review revision dueAt isOverdue
  failureReason tipsAcknowledged requirementsAcknowledged form licenceNumber certificateNumber
  basedOnApplicationId issuedNumber exitEntryOpinion exitEntryOpinionAttachmentId submittedAt
  canModify canSubmit canFillRegistration registrationId"""
SAVE = f"""mutation($input: EmploymentApplicationInput!) {{
  saveEmploymentApplication(input: $input) {{ {FIELDS} }} }}"""
SUBMIT = f"""mutation($id: ID!) {{ submitEmploymentApplication(id: $id) {{ {FIELDS} }} }}"""
DECIDE = f"""mutation($id: ID!, $pass: Boolean!, $reason: String) {{
  preReviewApplication(id: $id, pass: $pass, reason: $reason) {{ {FIELDS} }} }}"""
GET = f"""query($id: ID!) {{ employmentApplication(id: $id) {{ {FIELDS} }} }}"""
LIST = """query($kind: ApplicationKind, $submission: SubmissionStatus, $review: ReviewStatus,
  $first: Int, $after: String) {
  employmentApplications(kind: $kind, submission: $submission, review: $review, first: $first,
    after: $after) {
    totalCount edges { node { id kind submission review dueAt isOverdue } }
    pageInfo { hasNextPage endCursor } } }"""
PAPERS = """query($id: ID!) { employmentApplication(id: $id) {
  revision applicationForm { id } handlingNotice { id } } }"""
REGISTER_PERSON = """mutation($input: ForeignPersonInput!) {
  registerForeignPerson(input: $input) { id documentNumber } }"""

FORM = {
    "position": "机器人控制算法工程师",
    "workplaceAddress": "山东省青岛市崂山区株洲路1号",
    "contractStart": "2027-01-01",
    "contractEnd": "2028-12-31",
    "monthlySalary": 35000,
    "education": "博士",
}

FORM_KINDS = {
    "LICENCE": "LICENCE_APPLICATION_FORM",
    "EXEMPT_RECRUITMENT": "RECRUITMENT_APPLICATION_FORM",
    "REGISTRATION": "REGISTRATION_FORM",
    "EXTENSION": "EXTENSION_APPLICATION_FORM",
    "HKMOTW_EMPLOYMENT": "HKMOTW_EMPLOYMENT_FORM",
    "HKMOTW_EXTENSION": "HKMOTW_EXTENSION_FORM",
}


def passport_person(**changes: Any) -> dict[str, Any]:
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


def hk_person(**changes: Any) -> dict[str, Any]:
    return passport_person(
        surname="Chan",
        givenNames="Tai Man",
        chineseName="陈大文",
        nationality="CHN",
        documentType="HK_MO_PERMIT",
        documentNumber=f"H{random.randint(0, 99_999_999):08d}",
        **changes,
    )


async def register_person(
    client: httpx.AsyncClient, tenant: Tenant, person: dict[str, Any] | None = None
) -> str:
    body = await graphql(
        client, REGISTER_PERSON, {"input": person or passport_person()}, token=tenant.token
    )
    assert "errors" not in body, body
    return str(body["data"]["registerForeignPerson"]["id"])


def application(kind: str, person_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "foreignPersonId": person_id,
        "tipsAcknowledged": True,
        "requirementsAcknowledged": kind == "LICENCE",
        "form": dict(FORM),
        **changes,
    }


async def save(client: httpx.AsyncClient, token: str, value: dict[str, Any]) -> dict[str, Any]:
    body = await graphql(client, SAVE, {"input": value}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["saveEmploymentApplication"]
    return result


async def call(
    client: httpx.AsyncClient, query: str, token: str, field: str, **variables: Any
) -> dict[str, Any]:
    body = await graphql(client, query, variables, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"][field]
    return result


async def submit(client: httpx.AsyncClient, token: str, application_id: str) -> dict[str, Any]:
    return await call(client, SUBMIT, token, "submitEmploymentApplication", id=application_id)


async def decide(
    client: httpx.AsyncClient, token: str, application_id: str, passed: bool, reason: str = ""
) -> dict[str, Any]:
    return await call(
        client,
        DECIDE,
        token,
        "preReviewApplication",
        id=application_id,
        **{"pass": passed, "reason": reason or None},
    )


async def print_form(client: httpx.AsyncClient, token: str, application_id: str) -> str:
    body = await graphql(client, PAPERS, {"id": application_id}, token=token)
    assert "errors" not in body, body
    return str(body["data"]["employmentApplication"]["applicationForm"]["id"])


async def record_opinion(
    client: httpx.AsyncClient,
    tenant: Tenant,
    documents: DocumentsDouble,
    saved: dict[str, Any],
    value: dict[str, Any],
) -> dict[str, Any]:
    """Print the form, have it stamped (the scan's QR says which form and revision), upload it,
    and record the bureau's opinion with it."""
    await print_form(client, tenant.token, saved["id"])
    scan = documents.upload(
        "EXIT_ENTRY_OPINION",
        enterprise_id=tenant.enterprise_id or "",
        printed=(FORM_KINDS[saved["kind"]], saved["id"], saved["revision"]),
    )
    return await save(
        client,
        tenant.token,
        {
            **value,
            "id": saved["id"],
            "exitEntryOpinion": "同意聘用。青岛市公安局出入境管理局",
            "exitEntryOpinionAttachmentId": scan,
        },
    )


async def submitted(
    client: httpx.AsyncClient,
    tenant: Tenant,
    documents: DocumentsDouble,
    kind: str,
    person_id: str,
    **changes: Any,
) -> dict[str, Any]:
    """A saved and submitted application (with the stamped form where the kind needs one)."""
    value = application(kind, person_id, **changes)
    saved = await save(client, tenant.token, value)
    if kind in ("LICENCE", "EXEMPT_RECRUITMENT"):
        saved = await record_opinion(client, tenant, documents, saved, value)
    return await submit(client, tenant.token, saved["id"])


def fields_of(body: dict[str, Any]) -> dict[str, str]:
    assert error_code(body) == "VALIDATION_FAILED", body
    return {f["path"]: f["message"] for f in body["errors"][0]["extensions"]["fields"]}
