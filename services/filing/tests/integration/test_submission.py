"""A NEW record from the first save to submission: printed forms, attachment slots, revisions
and the checks of `submitFiling` (real PostgreSQL, gRPC doubles of identity and documents)."""

from __future__ import annotations

import json
import uuid

from devstack.testing import error_code

from .steps import (
    ATTACH,
    FILING,
    FORMS,
    LETTER,
    SAVE,
    SUBMIT,
    Steps,
    complete_form,
    field_paths,
    liaison,
    uscc,
)

ALL_SLOTS = [
    ("APPLICATION_FORM", 0),
    ("COMMITMENT_LETTER", 0),
    ("BUSINESS_LICENCE", 0),
    ("LIAISON_ID_CARD", 0),
    ("SOCIAL_SECURITY_PROOF", 0),
]


def slots(record: dict[str, object], *, satisfied: bool | None = None) -> list[tuple[str, int]]:
    return [
        (item["kind"], item["liaisonIndex"])
        for item in record["requiredAttachments"]  # type: ignore[attr-defined]
        if satisfied is None or item["satisfied"] == satisfied
    ]


async def test_a_complete_record_is_printed_attached_and_submitted_for_branch_review(
    steps: Steps,
) -> None:
    user = steps.user()
    form = complete_form()
    record = await steps.save(user, form)
    assert (record["status"], record["revision"], record["recordType"]) == ("DRAFT", 1, "NEW")
    assert slots(record, satisfied=False) == ALL_SLOTS

    found = (await steps.ok(FORMS, {"id": record["id"]}, user.token))["filing"]
    again = (await steps.ok(FORMS, {"id": record["id"]}, user.token))["filing"]
    assert found["applicationForm"]["id"] == again["applicationForm"]["id"]  # one per revision
    sent = steps.documents.rendered(record["id"], "FILING_APPLICATION_FORM")[-1]
    assert sent.revision == 1
    assert sent.owner_enterprise_id == record["enterpriseId"] and sent.owner_account_id == ""
    data = json.loads(sent.data_json)
    assert data["enterprise"] == {
        "name": form["enterpriseName"],
        "uscc": form["uscc"],
        "enterprise_type": "有限责任公司",
        "industry": "软件和信息技术服务业",
        "district": "370202",
        "district_name": "市南区",
        "registered_address": "青岛市市南区香港中路10号",
        "operating_address": "青岛市市南区香港中路10号A座",
        "phone": "0532-85901234",
    }
    assert data["legal_representative"] == {
        "name": "欧阳法",
        "id_type": "RESIDENT_ID",
        "id_number": "11010519491231002X",
        "phone": "13805320002",
    }
    assert data["responsible_person"]["name"] == "王负责"
    assert data["liaisons"] == [
        {
            "name": "张联络",
            "sex": "MALE",
            "id_type": "RESIDENT_ID",
            "id_number": "11010519491231002X",
            "mobile": form["liaisons"][0]["mobile"],  # type: ignore[index]
            "position": "行政主管",
            "social_security_months": 6,
        }
    ]
    await steps.ok(LETTER, {"id": record["id"]}, user.token)
    letter = steps.documents.rendered(record["id"], "COMMITMENT_LETTER")[-1]
    assert letter.revision == 1 and letter.owner_enterprise_id == record["enterpriseId"]
    assert json.loads(letter.data_json) == {
        "authority": "青岛市公安局出入境管理局",
        "enterprise_name": form["enterpriseName"],
        "uscc": form["uscc"],
        "legal_representative": "欧阳法",
    }

    record = await steps.attach_required(user, record["id"])
    assert slots(record, satisfied=False) == []
    assert sorted((a["kind"], a["revision"], a["current"]) for a in record["attachments"]) == [
        (kind, 1, True) for kind, _ in sorted(ALL_SLOTS)
    ]
    submitted = (await steps.ok(SUBMIT, {"id": record["id"]}, user.token))["submitFiling"]
    assert submitted["status"] == "BRANCH_REVIEW"
    assert submitted["branch"] == "市南分局"

    twice = await steps.call(SUBMIT, {"id": record["id"]}, user.token)
    assert error_code(twice) == "CONFLICT"
    locked = await steps.call(SAVE, {"input": {**form, "id": record["id"]}}, user.token)
    assert error_code(locked) == "INVALID_STATE"
    file = steps.documents.upload("SUPPLEMENTARY", enterprise_id=record["enterpriseId"])
    assert error_code(await steps.attach(user, record["id"], "SUPPLEMENTARY", file)) == (
        "INVALID_STATE"
    )


async def test_forms_of_an_incomplete_record_name_every_missing_field(steps: Steps) -> None:
    user = steps.user()
    record = await steps.save(
        user,
        {
            "enterpriseName": "青岛未填完有限公司",
            "uscc": uscc(),
            "district": "370202",
            "legalRepresentative": {"name": "欧阳法"},
            "liaisons": [liaison(position=None)],
        },
    )
    expected = {
        "enterpriseType",
        "industry",
        "registeredAddress",
        "operatingAddress",
        "phone",
        "legalRepresentative.idType",
        "legalRepresentative.idNumber",
        "legalRepresentative.phone",
        "responsiblePerson",
        "liaisons.0.position",
    }
    for query in (FORMS, LETTER, SUBMIT):
        body = await steps.call(query, {"id": record["id"]}, user.token)
        assert error_code(body) == "VALIDATION_FAILED", query
        assert field_paths(body) == expected, query
    assert steps.documents.rendered(record["id"]) == []


async def test_a_liaison_who_has_not_passed_the_exam_cannot_submit(steps: Steps) -> None:
    user = steps.user(exam_passed=False)
    record = await steps.save(user, complete_form())
    await steps.attach_required(user, record["id"])
    body = await steps.call(SUBMIT, {"id": record["id"]}, user.token)
    assert error_code(body) == "INVALID_STATE"
    assert "exam" in body["errors"][0]["message"]
    assert (await steps.get(user.token, record["id"]))["status"] == "DRAFT"
    steps.identity.pass_exam(user.account_id)
    assert (await steps.ok(SUBMIT, {"id": record["id"]}, user.token))["submitFiling"][
        "status"
    ] == "BRANCH_REVIEW"


async def test_missing_attachments_are_reported_by_slot(steps: Steps) -> None:
    user = steps.user()
    record = await steps.save(user, complete_form(liaisons=[liaison(), liaison()]))
    record = await steps.attach_required(
        user,
        record["id"],
        skip=("COMMITMENT_LETTER", "LIAISON_ID_CARD", "SOCIAL_SECURITY_PROOF"),
    )
    assert slots(record, satisfied=False) == [
        ("COMMITMENT_LETTER", 0),
        ("LIAISON_ID_CARD", 0),
        ("SOCIAL_SECURITY_PROOF", 0),
        ("LIAISON_ID_CARD", 1),
        ("SOCIAL_SECURITY_PROOF", 1),
    ]
    body = await steps.call(SUBMIT, {"id": record["id"]}, user.token)
    assert error_code(body) == "VALIDATION_FAILED"
    assert field_paths(body) == {
        "attachments.COMMITMENT_LETTER.0",
        "attachments.LIAISON_ID_CARD.0",
        "attachments.LIAISON_ID_CARD.1",
        "attachments.SOCIAL_SECURITY_PROOF.0",
        "attachments.SOCIAL_SECURITY_PROOF.1",
    }
    card = steps.upload_for(record, "LIAISON_ID_CARD")
    outside = await steps.attach(user, record["id"], "LIAISON_ID_CARD", card, 2)
    assert error_code(outside) == "VALIDATION_FAILED"
    assert field_paths(outside) == {"liaisonIndex"}
    assert (await steps.get(user.token, record["id"]))["status"] == "DRAFT"


async def test_a_form_printed_from_an_older_revision_is_refused(steps: Steps) -> None:
    user = steps.user()
    form = complete_form()
    record = await steps.save(user, form)
    assert await steps.print_forms(user, record["id"]) == 1
    old_form = steps.upload_for(record, "APPLICATION_FORM")
    attached = await steps.attach(user, record["id"], "APPLICATION_FORM", old_form)
    assert "errors" not in attached

    record = await steps.save(user, {**form, "id": record["id"], "phone": "0532-85909999"})
    assert record["revision"] == 2
    stale = [a for a in record["attachments"] if a["kind"] == "APPLICATION_FORM"]
    assert [(a["revision"], a["current"]) for a in stale] == [(1, False)]
    problem = next(r for r in record["requiredAttachments"] if r["kind"] == "APPLICATION_FORM")
    assert (
        not problem["satisfied"] and "第1版" in problem["problem"] and "第2版" in problem["problem"]
    )

    body = await steps.attach(user, record["id"], "APPLICATION_FORM", old_form)
    assert error_code(body) == "VALIDATION_FAILED"
    [error] = body["errors"][0]["extensions"]["fields"]
    assert error["path"] == "attachmentId"
    assert "revision 1" in error["message"] and "revision 2" in error["message"]


async def test_a_form_that_is_not_this_records_is_refused(steps: Steps) -> None:
    user = steps.user()
    record = await steps.save(user, complete_form())
    await steps.print_forms(user, record["id"])
    other_record = str(uuid.uuid4())
    cases = {
        "printed for another record": ("FILING_APPLICATION_FORM", other_record, 1),
        "another form's QR code": ("COMMITMENT_LETTER", record["id"], 1),
    }
    for case, printed in cases.items():
        file = steps.documents.upload(
            "APPLICATION_FORM", enterprise_id=record["enterpriseId"], printed=printed
        )
        body = await steps.attach(user, record["id"], "APPLICATION_FORM", file)
        assert error_code(body) == "VALIDATION_FAILED", case
        assert field_paths(body) == {"attachmentId"}, case
        assert "another record" in body["errors"][0]["extensions"]["fields"][0]["message"]
    no_qr = steps.documents.upload("APPLICATION_FORM", enterprise_id=record["enterpriseId"])
    body = await steps.attach(user, record["id"], "APPLICATION_FORM", no_qr)
    assert error_code(body) == "VALIDATION_FAILED" and field_paths(body) == {"attachmentId"}
    licence = steps.upload_for(record, "BUSINESS_LICENCE")
    body = await steps.attach(user, record["id"], "LIAISON_ID_CARD", licence)
    assert error_code(body) == "VALIDATION_FAILED" and field_paths(body) == {"kind"}
    assert (await steps.get(user.token, record["id"]))["attachments"] == []


async def test_another_enterprises_upload_is_not_found(steps: Steps) -> None:
    user = steps.user()
    record = await steps.save(user, complete_form())
    theirs = steps.documents.upload("BUSINESS_LICENCE", enterprise_id=str(uuid.uuid4()))
    someone_elses = steps.documents.upload("BUSINESS_LICENCE", account_id=str(uuid.uuid4()))
    for file in (theirs, someone_elses, str(uuid.uuid4())):
        body = await steps.attach(user, record["id"], "BUSINESS_LICENCE", file)
        assert error_code(body) == "NOT_FOUND"
    assert (await steps.get(user.token, record["id"]))["attachments"] == []


async def test_changing_data_after_printing_starts_a_new_revision_and_only_then(
    steps: Steps,
) -> None:
    user = steps.user()
    form = complete_form()
    record = await steps.save(user, form)
    record = await steps.save(user, {**form, "id": record["id"], "industry": "批发业"})
    assert record["revision"] == 1  # nothing printed yet: the same revision
    form["industry"] = "批发业"
    await steps.print_forms(user, record["id"])
    assert (await steps.save(user, {**form, "id": record["id"]}))["revision"] == 1  # no change
    record = await steps.save(user, {**form, "id": record["id"], "industry": "零售业"})
    assert record["revision"] == 2
    record = await steps.save(user, {**form, "id": record["id"], "industry": "制造业"})
    assert record["revision"] == 2  # revision 2 was not printed yet
    both = "query($id: ID!) { filing(id: $id) { applicationForm { id } commitmentLetter { id } } }"
    await steps.ok(both, {"id": record["id"]}, user.token)  # both at once: one revision
    assert (await steps.save(user, {**form, "id": record["id"], "industry": "物流业"}))[
        "revision"
    ] == 3
    assert await steps.print_forms(user, record["id"]) == 3
    sent = steps.documents.rendered(record["id"], "FILING_APPLICATION_FORM")
    assert [r.revision for r in sent] == [1, 2, 3]
    assert json.loads(sent[1].data_json)["enterprise"]["industry"] == "制造业"
    assert json.loads(sent[2].data_json)["enterprise"]["industry"] == "物流业"


async def test_another_enterprises_record_is_not_found_and_stays_as_it_was(steps: Steps) -> None:
    owner = steps.user()
    form = complete_form()
    record = await steps.save(owner, form)
    await steps.attach_required(owner, record["id"], skip=("BUSINESS_LICENCE",))
    before = await steps.get(owner.token, record["id"])

    intruder = steps.user()
    await steps.save(intruder, complete_form())
    file = steps.upload_for(record, "BUSINESS_LICENCE")
    own_file = steps.documents.upload("BUSINESS_LICENCE", account_id=intruder.account_id)
    attempts = [
        (FILING, {"id": record["id"]}),
        (SUBMIT, {"id": record["id"]}),
        (ATTACH, {"id": record["id"], "kind": "BUSINESS_LICENCE", "file": file, "index": 0}),
        (ATTACH, {"id": record["id"], "kind": "BUSINESS_LICENCE", "file": own_file, "index": 0}),
        (SAVE, {"input": {**complete_form(), "id": record["id"]}}),
        (SAVE, {"input": {**form, "id": record["id"], "enterpriseName": "被改名有限公司"}}),
    ]
    for query, variables in attempts:
        body = await steps.call(query, variables, intruder.token)
        assert error_code(body) == "NOT_FOUND", (query, body)
    assert await steps.get(owner.token, record["id"]) == before
