"""Two-level review: claims, who may decide what, rejection with issues, the new revision after an
edit, resubmission and approval (the enterprise becomes FILED; events in the outbox)."""

from __future__ import annotations

import json

from devstack.testing import error_code

from .steps import (
    CHANGES,
    CLAIM,
    FORMS,
    MY_ENTERPRISE,
    RELEASE,
    REVIEW,
    SUBMIT,
    Steps,
    complete_form,
    field_paths,
    liaison,
)

FILING_READ = "query($id: ID!) { filing(id: $id) { id status } }"
APPROVE = {"approve": True, "comment": "材料齐全，同意"}


async def test_one_officer_holds_a_record_until_the_claim_ends(steps: Steps) -> None:
    _, record = await steps.submitted()
    first = steps.officer(name="李警官")
    second = steps.officer(name="赵警官")
    claimed = (await steps.ok(CLAIM, {"id": record["id"]}, first))["claimFiling"]
    assert claimed["claim"] == {"officerName": "李警官"}
    assert (await steps.ok(CLAIM, {"id": record["id"]}, first))["claimFiling"]["claim"]

    taken = await steps.call(CLAIM, {"id": record["id"]}, second)
    assert error_code(taken) == "CONFLICT"
    assert "李警官" in taken["errors"][0]["message"]
    decided = await steps.call(REVIEW, {"id": record["id"], "input": APPROVE}, second)
    assert error_code(decided) == "CONFLICT"
    assert error_code(await steps.call(RELEASE, {"id": record["id"]}, second)) == "CONFLICT"

    await steps.sql(
        "UPDATE filings SET claim_expires_at = now() - interval '1 minute' WHERE id = :id",
        id=record["id"],
    )
    claimed = (await steps.ok(CLAIM, {"id": record["id"]}, second))["claimFiling"]
    assert claimed["claim"] == {"officerName": "赵警官"}
    assert error_code(await steps.call(RELEASE, {"id": record["id"]}, first)) == "CONFLICT"
    released = (await steps.ok(RELEASE, {"id": record["id"]}, second))["releaseFiling"]
    assert released["claim"] is None
    assert (await steps.ok(CLAIM, {"id": record["id"]}, first))["claimFiling"]["claim"] == {
        "officerName": "李警官"
    }


async def test_only_the_reviewer_of_the_records_stage_and_branch_may_act(steps: Steps) -> None:
    _, record = await steps.submitted()
    other_branch = steps.officer(districts=["370211"])
    city = steps.officer("CITY_OFFICER")
    labour = steps.officer("LABOUR_OFFICER")
    for query, variables in (
        (FILING_READ, {"id": record["id"]}),
        (CLAIM, {"id": record["id"]}),
        (REVIEW, {"id": record["id"], "input": APPROVE}),
    ):
        assert error_code(await steps.call(query, variables, other_branch)) == "FORBIDDEN"
        assert error_code(await steps.call(query, variables, labour)) == "FORBIDDEN"
    assert error_code(await steps.call(CLAIM, {"id": record["id"]}, city)) == "INVALID_STATE"
    body = await steps.call(REVIEW, {"id": record["id"], "input": APPROVE}, city)
    assert error_code(body) == "INVALID_STATE"
    assert (await steps.get(city, record["id"]))["status"] == "BRANCH_REVIEW"

    branch = steps.officer()
    await steps.ok(REVIEW, {"id": record["id"], "input": APPROVE}, branch)
    again = await steps.call(REVIEW, {"id": record["id"], "input": APPROVE}, branch)
    assert error_code(again) == "INVALID_STATE"
    assert error_code(await steps.call(CLAIM, {"id": record["id"]}, other_branch)) == "FORBIDDEN"


async def test_a_rejection_says_why(steps: Steps) -> None:
    _, record = await steps.submitted()
    branch = steps.officer()
    bare = await steps.call(REVIEW, {"id": record["id"], "input": {"approve": False}}, branch)
    assert error_code(bare) == "VALIDATION_FAILED"
    assert field_paths(bare) == {"input.comment"}
    blank = {"approve": False, "comment": "   "}
    assert error_code(await steps.call(REVIEW, {"id": record["id"], "input": blank}, branch)) == (
        "VALIDATION_FAILED"
    )
    unknown = {
        "approve": False,
        "fieldIssues": [
            {"field": "passportNumber", "message": "不对"},
            {"field": "phone", "message": " "},
        ],
    }
    body = await steps.call(REVIEW, {"id": record["id"], "input": unknown}, branch)
    assert error_code(body) == "VALIDATION_FAILED"
    assert field_paths(body) == {"input.fieldIssues.0.field", "input.fieldIssues.1.message"}
    assert (await steps.get(branch, record["id"]))["status"] == "BRANCH_REVIEW"
    only_issue = {
        "approve": False,
        "attachmentIssues": [{"kind": "BUSINESS_LICENCE", "message": "营业执照模糊"}],
    }
    rejected = await steps.ok(REVIEW, {"id": record["id"], "input": only_issue}, branch)
    assert rejected["reviewFiling"]["status"] == "REJECTED"


async def test_a_rejected_record_is_edited_resubmitted_and_approved_at_both_levels(
    steps: Steps,
) -> None:
    # A second liaison who already has an account: the approval makes it act for the enterprise.
    colleague = steps.user()
    await steps.register_account(colleague)
    form = complete_form(liaisons=[liaison(), liaison(colleague.phone, name="李同事")])
    user, record = await steps.submitted(**form)
    filing_id, enterprise_id = record["id"], record["enterpriseId"]
    first_form = (await steps.ok(FORMS, {"id": filing_id}, user.token))["filing"]["applicationForm"]
    assert error_code(await steps.call(SUBMIT, {"id": filing_id}, user.token)) == "CONFLICT"

    branch = steps.officer(name="李警官")
    rejection = {
        "approve": False,
        "comment": "请核对单位电话并重新上传营业执照",
        "fieldIssues": [{"field": "phone", "message": "电话无法接通"}],
        "attachmentIssues": [{"kind": "BUSINESS_LICENCE", "message": "营业执照模糊"}],
    }
    rejected = (await steps.ok(REVIEW, {"id": filing_id, "input": rejection}, branch))[
        "reviewFiling"
    ]
    assert rejected["status"] == "REJECTED" and rejected["claim"] is None
    [review] = (await steps.get(user.token, filing_id))["reviews"]
    assert review == {
        "level": "BRANCH",
        "approved": False,
        "comment": "请核对单位电话并重新上传营业执照",
        "officerName": "李警官",
        "revision": 1,
        "fieldIssues": [{"field": "phone", "message": "电话无法接通"}],
        "attachmentIssues": [{"kind": "BUSINESS_LICENCE", "message": "营业执照模糊"}],
    }
    body = await steps.call(SUBMIT, {"id": filing_id}, user.token)
    assert error_code(body) == "INVALID_STATE"  # edit first

    edited = await steps.save(user, {**form, "id": filing_id, "phone": "0532-85907777"})
    assert (edited["status"], edited["revision"]) == ("DRAFT", 2)
    assert {(a["kind"], a["liaisonIndex"]): a["current"] for a in edited["attachments"]} == {
        ("APPLICATION_FORM", 0): False,
        ("COMMITMENT_LETTER", 0): False,
        ("BUSINESS_LICENCE", 0): False,
        ("LIAISON_ID_CARD", 0): True,
        ("SOCIAL_SECURITY_PROOF", 0): True,
        ("LIAISON_ID_CARD", 1): True,
        ("SOCIAL_SECURITY_PROOF", 1): True,
    }
    assert [r["kind"] for r in edited["requiredAttachments"] if not r["satisfied"]] == [
        "APPLICATION_FORM",
        "COMMITMENT_LETTER",
        "BUSINESS_LICENCE",
    ]
    changes = (await steps.ok(CHANGES, {"id": filing_id}, user.token))["filing"]["changes"]
    assert changes == [{"path": "phone", "before": "0532-85901234", "after": "0532-85907777"}]
    second_form = (await steps.ok(FORMS, {"id": filing_id}, user.token))["filing"]
    assert second_form["revision"] == 2
    assert second_form["applicationForm"]["id"] != first_form["id"]
    assert steps.documents.rendered(filing_id, "FILING_APPLICATION_FORM")[-1].revision == 2

    await steps.attach_required(user, filing_id)
    resubmitted = (await steps.ok(SUBMIT, {"id": filing_id}, user.token))["submitFiling"]
    assert (resubmitted["status"], resubmitted["revision"]) == ("BRANCH_REVIEW", 2)
    officer_view = (await steps.ok(CHANGES, {"id": filing_id}, branch))["filing"]
    assert [c["path"] for c in officer_view["changes"]] == ["phone"]

    branch_approved = await steps.ok(REVIEW, {"id": filing_id, "input": APPROVE}, branch)
    assert branch_approved["reviewFiling"]["status"] == "CITY_REVIEW"
    city = steps.officer("CITY_OFFICER", name="市局王")
    approved = (await steps.ok(REVIEW, {"id": filing_id, "input": APPROVE}, city))["reviewFiling"]
    assert approved["status"] == "APPROVED"
    assert [(r["level"], r["approved"], r["revision"]) for r in approved["reviews"]] == [
        ("BRANCH", False, 1),
        ("BRANCH", True, 2),
        ("CITY", True, 2),
    ]
    assert approved["reviews"][2]["officerName"] == "市局王"

    mine = (await steps.ok(MY_ENTERPRISE, token=user.token))["myEnterprise"]
    assert (mine["status"], mine["version"]) == ("FILED", 1)
    assert mine["approvedData"]["phone"] == "0532-85907777"
    assert mine["versions"] == [
        {
            "version": 1,
            "filingId": filing_id,
            "recordType": "NEW",
            "changeKind": None,
            "data": {"enterpriseName": form["enterpriseName"]},
        }
    ]
    assert mine["currentFiling"] == {"id": filing_id, "status": "APPROVED"}
    theirs = (await steps.ok(MY_ENTERPRISE, token=colleague.token))["myEnterprise"]
    assert theirs is not None and theirs["id"] == enterprise_id

    events = await steps.events(enterprise_id)
    assert [(e["type"], e["data"]["revision"]) for e in events] == [
        ("filing.enterprise.submitted", 1),
        ("filing.enterprise.rejected", 1),
        ("filing.enterprise.submitted", 2),
        ("filing.enterprise.branch_approved", 2),
        ("filing.enterprise.approved", 2),
    ]
    for event in events:
        assert user.account_id in event["data"]["accountIds"]
    assert events[1]["data"]["level"] == "BRANCH"
    assert events[1]["data"]["attachmentIssues"] == rejection["attachmentIssues"]
    assert colleague.account_id in events[-1]["data"]["accountIds"]


async def test_a_city_rejection_sends_the_new_revision_back_to_the_branch(steps: Steps) -> None:
    user, record = await steps.submitted()
    branch, city = steps.officer(), steps.officer("CITY_OFFICER")
    await steps.ok(REVIEW, {"id": record["id"], "input": APPROVE}, branch)
    rejection = {"approve": False, "comment": "法定代表人信息有误"}
    rejected = (await steps.ok(REVIEW, {"id": record["id"], "input": rejection}, city))[
        "reviewFiling"
    ]
    assert rejected["status"] == "REJECTED"
    assert rejected["reviews"][-1]["level"] == "CITY"
    edited = await steps.save(user, complete_form(uscc=record["data"]["uscc"], id=record["id"]))
    assert edited["revision"] == 2
    # Nothing named by the rejection: only the printed forms must be printed again.
    assert [r["kind"] for r in edited["requiredAttachments"] if not r["satisfied"]] == [
        "APPLICATION_FORM",
        "COMMITMENT_LETTER",
    ]
    await steps.attach_required(user, record["id"])
    again = (await steps.ok(SUBMIT, {"id": record["id"]}, user.token))["submitFiling"]
    assert again["status"] == "BRANCH_REVIEW"
    events = await steps.events(record["enterpriseId"])
    rejected_event = next(e for e in events if e["type"] == "filing.enterprise.rejected")
    assert rejected_event["data"]["level"] == "CITY"
    assert (
        json.dumps(rejected_event["data"]["comment"], ensure_ascii=False) == '"法定代表人信息有误"'
    )
