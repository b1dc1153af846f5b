"""The manual's five sections (seed 004): licence; licence-exempt recruitment → registration;
registration from a licence number; extension; TW/HK/Macau certificate and extension."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import httpx

from devstack.testing import error_code, graphql
from personnel.config import PersonnelSettings

from .applications_helpers import (
    GET,
    LIST,
    PAPERS,
    SAVE,
    application,
    call,
    decide,
    fields_of,
    hk_person,
    passport_person,
    record_opinion,
    register_person,
    save,
    submit,
    submitted,
)

if TYPE_CHECKING:
    from devstack.doubles import DocumentsDouble

    from ..conftest import Tenants


async def test_licence_needs_tips_and_requirements_then_the_stamped_form_and_issues_a_number(
    personnel: httpx.AsyncClient, tenants: Tenants, documents: DocumentsDouble
) -> None:
    owner, labour = tenants.new(), tenants.officer("LABOUR_OFFICER")
    person_id = await register_person(personnel, owner)
    value = application("LICENCE", person_id)
    body = await graphql(
        personnel,
        SAVE,
        {"input": {**value, "tipsAcknowledged": False, "requirementsAcknowledged": False}},
        token=owner.token,
    )
    assert set(fields_of(body)) == {"input.tipsAcknowledged", "input.requirementsAcknowledged"}

    saved = await save(personnel, owner.token, value)
    assert (saved["kind"], saved["submission"], saved["review"]) == (
        "LICENCE",
        "UNSUBMITTED",
        "NONE",
    )
    assert saved["number"].startswith("SQ")
    assert saved["exitEntryOpinion"] is None  # 市公安出入境管理部门意见: left empty at first
    # Submitting before the bureau stamped the printed form is refused.
    body = await graphql(personnel, SUBMIT_Q, {"id": saved["id"]}, token=owner.token)
    assert set(fields_of(body)) == {"exitEntryOpinion", "exitEntryOpinionAttachmentId"}

    saved = await record_opinion(personnel, owner, documents, saved, value)
    assert saved["exitEntryOpinion"] == "同意聘用。青岛市公安局出入境管理局"
    assert saved["revision"] == 1, "recording the opinion is no data change"
    done = await submit(personnel, owner.token, saved["id"])
    assert (done["submission"], done["review"], done["canModify"]) == (
        "SUBMITTED",
        "PENDING",
        False,
    )

    passed = await decide(personnel, labour, saved["id"], True)
    assert passed["review"] == "PASSED"
    assert re.fullmatch(r"3702\d{4}L\d{6}", passed["issuedNumber"]), passed["issuedNumber"]
    printed = [r for r in documents.rendered(saved["id"]) if r.kind == "LICENCE_APPLICATION_FORM"]
    assert printed and printed[-1].revision == 1


async def test_exempt_recruitment_then_one_registration_for_it(
    personnel: httpx.AsyncClient, tenants: Tenants, documents: DocumentsDouble
) -> None:
    owner, labour = tenants.new(), tenants.officer("LABOUR_OFFICER")
    person_id = await register_person(personnel, owner)
    recruitment = await submitted(
        personnel,
        owner,
        documents,
        "EXEMPT_RECRUITMENT",
        person_id,
        form={
            **application("LICENCE", person_id)["form"],
            "exemptionReason": "持外国专家证，经批准免办",
        },
    )
    assert recruitment["canFillRegistration"] is False, "not before the pre-review passed"
    # A registration cannot be based on a recruitment that has not passed.
    body = await graphql(
        personnel,
        SAVE,
        {"input": application("REGISTRATION", person_id, basedOnApplicationId=recruitment["id"])},
        token=owner.token,
    )
    assert set(fields_of(body)) == {"input.basedOnApplicationId"}

    passed = await decide(personnel, labour, recruitment["id"], True)
    assert passed["issuedNumber"] is None, "a recruitment issues no number"
    assert passed["canFillRegistration"] is True  # the 就业登记表【填写】 link

    registration = await save(
        personnel,
        owner.token,
        application("REGISTRATION", person_id, basedOnApplicationId=recruitment["id"]),
    )
    assert registration["basedOnApplicationId"] == recruitment["id"]
    again = await call(personnel, GET, owner.token, "employmentApplication", id=recruitment["id"])
    assert again["canFillRegistration"] is False
    assert again["registrationId"] == registration["id"]

    second = await graphql(
        personnel,
        SAVE,
        {"input": application("REGISTRATION", person_id, basedOnApplicationId=recruitment["id"])},
        token=owner.token,
    )
    assert error_code(second) == "CONFLICT"

    done = await submit(personnel, owner.token, registration["id"])
    assert done["review"] == "PENDING"
    passed = await decide(personnel, labour, registration["id"], True)
    assert passed["issuedNumber"][8] == "E", "a registration issues an employment certificate"
    papers = await call(
        personnel, PAPERS, owner.token, "employmentApplication", id=registration["id"]
    )
    assert papers["handlingNotice"] is not None
    [form] = documents.rendered(registration["id"], "REGISTRATION_FORM")
    assert '"basis": "EXEMPT"' in form.data_json


async def test_registration_from_a_licence_number(
    personnel: httpx.AsyncClient, tenants: Tenants, documents: DocumentsDouble
) -> None:
    owner, other, labour = tenants.new(), tenants.new(), tenants.officer("LABOUR_OFFICER")
    person_id = await register_person(personnel, owner)
    someone_else = await register_person(personnel, owner)
    licence = await submitted(personnel, owner, documents, "LICENCE", person_id)
    issued = (await decide(personnel, labour, licence["id"], True))["issuedNumber"]

    # A local number must be one issued here, to this person.
    for number, person in (
        ("37022026L999999", person_id),  # never issued
        (issued, someone_else),  # issued to another person
        ("3702-2026-X1", person_id),  # local prefix, wrong format
    ):
        body = await graphql(
            personnel,
            SAVE,
            {"input": application("REGISTRATION", person, licenceNumber=number)},
            token=owner.token,
        )
        assert set(fields_of(body)) == {"input.licenceNumber"}, number
    # Neither basis: the number is asked for.
    body = await graphql(
        personnel, SAVE, {"input": application("REGISTRATION", person_id)}, token=owner.token
    )
    assert set(fields_of(body)) == {"input.licenceNumber"}

    registration = await save(
        personnel,
        owner.token,
        application("REGISTRATION", person_id, licenceNumber=issued.lower()),
    )
    assert registration["licenceNumber"] == issued
    # Another city's number is checked by format only.
    foreign = await save(
        personnel,
        owner.token,
        application("REGISTRATION", someone_else, licenceNumber="440100 2026 1125 0001"),
    )
    assert foreign["licenceNumber"] == "440100202611250001"
    await submit(personnel, owner.token, foreign["id"])
    papers = await call(personnel, PAPERS, owner.token, "employmentApplication", id=foreign["id"])
    assert papers["applicationForm"]["id"]
    [form] = documents.rendered(foreign["id"], "REGISTRATION_FORM")
    assert '"licence_number": "440100202611250001"' in form.data_json
    # Another enterprise cannot use the licence of this one's person.
    theirs = await register_person(personnel, other)
    body = await graphql(
        personnel,
        SAVE,
        {"input": application("REGISTRATION", theirs, licenceNumber=issued)},
        token=other.token,
    )
    assert set(fields_of(body)) == {"input.licenceNumber"}


async def test_extension_from_an_employment_certificate_number(
    personnel: httpx.AsyncClient, tenants: Tenants, documents: DocumentsDouble
) -> None:
    owner, labour = tenants.new(), tenants.officer("LABOUR_OFFICER")
    person_id = await register_person(personnel, owner)
    licence = await submitted(personnel, owner, documents, "LICENCE", person_id)
    licence_number = (await decide(personnel, labour, licence["id"], True))["issuedNumber"]
    registration = await submitted(
        personnel, owner, documents, "REGISTRATION", person_id, licenceNumber=licence_number
    )
    certificate = (await decide(personnel, labour, registration["id"], True))["issuedNumber"]

    for wrong in ("37022026E999999", licence_number, "??", None):
        body = await graphql(
            personnel,
            SAVE,
            {"input": application("EXTENSION", person_id, certificateNumber=wrong)},
            token=owner.token,
        )
        assert set(fields_of(body)) == {"input.certificateNumber"}, wrong

    form = {
        **application("EXTENSION", person_id)["form"],
        "reason": "续签劳动合同两年",
        "currentValidUntil": "2026-12-31",
    }
    extension = await submitted(
        personnel,
        owner,
        documents,
        "EXTENSION",
        person_id,
        certificateNumber=certificate,
        form=form,
    )
    assert extension["certificateNumber"] == certificate
    passed = await decide(personnel, labour, extension["id"], True)
    assert passed["issuedNumber"] is None, "an extension keeps its certificate's number"
    await call(personnel, PAPERS, owner.token, "employmentApplication", id=extension["id"])
    [printed] = documents.rendered(extension["id"], "EXTENSION_APPLICATION_FORM")
    assert f'"employment_certificate_number": "{certificate}"' in printed.data_json
    assert '"extend_until": "2028-12-31"' in printed.data_json


async def test_hkmotw_certificate_and_extension_for_permit_holders_only(
    personnel: httpx.AsyncClient, tenants: Tenants, documents: DocumentsDouble
) -> None:
    owner, labour = tenants.new(), tenants.officer("LABOUR_OFFICER")
    resident = await register_person(personnel, owner, hk_person())
    foreigner = await register_person(personnel, owner)
    body = await graphql(
        personnel, SAVE, {"input": application("HKMOTW_EMPLOYMENT", foreigner)}, token=owner.token
    )
    assert set(fields_of(body)) == {"input.foreignPersonId"}
    body = await graphql(
        personnel, SAVE, {"input": application("LICENCE", resident)}, token=owner.token
    )
    assert set(fields_of(body)) == {"input.foreignPersonId"}

    form = {**application("LICENCE", resident)["form"], "homeIdNumber": "A123456(7)"}
    employment = await submitted(
        personnel, owner, documents, "HKMOTW_EMPLOYMENT", resident, form=form
    )
    certificate = (await decide(personnel, labour, employment["id"], True))["issuedNumber"]
    assert certificate[8] == "E"
    extension = await submitted(
        personnel,
        owner,
        documents,
        "HKMOTW_EXTENSION",
        resident,
        certificateNumber=certificate,
        form={**form, "reason": "续签"},
    )
    assert extension["review"] == "PENDING"
    # Another province's certificate (with its abbreviation) is accepted by format.
    other = await save(
        personnel,
        owner.token,
        application("HKMOTW_EXTENSION", resident, certificateNumber="粤440100HK2024000888"),
    )
    assert other["certificateNumber"] == "粤440100HK2024000888"
    await call(personnel, PAPERS, owner.token, "employmentApplication", id=employment["id"])
    [printed] = documents.rendered(employment["id"], "HKMOTW_EMPLOYMENT_FORM")
    assert '"region": "HK"' in printed.data_json
    assert '"home_id_number": "A123456(7)"' in printed.data_json
    listed = await call(
        personnel, LIST, owner.token, "employmentApplications", kind="HKMOTW_EXTENSION"
    )
    assert listed["totalCount"] == 2


async def test_the_hkmotw_kinds_can_be_switched_off(
    personnel_settings: PersonnelSettings, tenants: Tenants
) -> None:
    from devstack.infra import free_port
    from devstack.testing import running
    from personnel.app import create_app

    settings = personnel_settings.model_copy(
        update={"hkmotw_enabled": False, "grpc_port": free_port()}
    )
    owner = tenants.new()
    async with running(create_app(settings)) as client:
        resident = await register_person(client, owner, hk_person())
        body = await graphql(
            client,
            SAVE,
            {"input": application("HKMOTW_EMPLOYMENT", resident)},
            token=owner.token,
            headers={"accept-language": "en"},
        )
        assert fields_of(body) == {
            "input.kind": "TW/HK/Macau employment certificates were abolished in 2018"
        }
        # Foreign kinds are unaffected.
        foreigner = await register_person(client, owner, passport_person())
        await save(client, owner.token, application("EXEMPT_RECRUITMENT", foreigner))


SUBMIT_Q = "mutation($id: ID!) { submitEmploymentApplication(id: $id) { id } }"
