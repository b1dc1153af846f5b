"""Change records of a filed enterprise: information change (附件4), liaison change and addition
(附件3), and the takeover by a new liaison filing again for the enterprise."""

from __future__ import annotations

import json
from typing import Any

from devstack.testing import error_code

from .steps import (
    CHANGES,
    FORMS,
    LETTER,
    MY_ENTERPRISE,
    SAVE,
    SUBMIT,
    Steps,
    User,
    complete_form,
    field_paths,
    liaison,
    uscc,
)

FIELDS = """id enterpriseId status revision recordType changeKind
  data { enterpriseName reason liaisons { mobile } liaison { name mobile }
         replacedLiaison { name mobile } }
  requiredAttachments { kind liaisonIndex satisfied }"""
ENTERPRISE_CHANGE = f"""mutation($input: EnterpriseChangeInput!) {{
  requestEnterpriseChange(input: $input) {{ {FIELDS} }} }}"""
LIAISON_CHANGE = f"""mutation($input: LiaisonInput!) {{
  requestLiaisonChange(input: $input) {{ {FIELDS} }} }}"""
LIAISON_ADDITION = f"""mutation($input: LiaisonInput!) {{
  requestLiaisonAddition(input: $input) {{ {FIELDS} }} }}"""
MY_FILINGS = "{ filings { totalCount edges { node { id recordType changeKind } } } }"


def kinds(record: dict[str, Any]) -> list[str]:
    return [item["kind"] for item in record["requiredAttachments"]]


async def submit_and_approve(steps: Steps, user: User, record: dict[str, Any], **kw: Any) -> dict:
    await steps.attach_required(user, record["id"], **kw)
    submitted = (await steps.ok(SUBMIT, {"id": record["id"]}, user.token))["submitFiling"]
    assert submitted["status"] == "BRANCH_REVIEW"
    return await steps.approve(record["id"])


async def test_an_approved_information_change_becomes_the_enterprises_data(steps: Steps) -> None:
    user, approved = await steps.filed()
    enterprise_id = approved["enterpriseId"]
    old_name = approved["data"]["enterpriseName"]
    same = await steps.call(ENTERPRISE_CHANGE, {"input": {"enterpriseName": old_name}}, user.token)
    assert error_code(same) == "VALIDATION_FAILED"

    change = {"enterpriseName": "青岛海纳新材料有限公司", "reason": "股东会决议更名"}
    record = (await steps.ok(ENTERPRISE_CHANGE, {"input": change}, user.token))[
        "requestEnterpriseChange"
    ]
    assert (record["recordType"], record["changeKind"], record["status"]) == (
        "CHANGE",
        "INFORMATION",
        "DRAFT",
    )
    assert record["enterpriseId"] == enterprise_id
    assert record["data"]["enterpriseName"] == "青岛海纳新材料有限公司"
    # The rest as approved.
    assert [x["mobile"] for x in record["data"]["liaisons"]] == [
        x["mobile"] for x in approved["data"]["liaisons"]
    ]
    assert kinds(record) == ["CHANGE_FORM", "BUSINESS_LICENCE"]
    changes = (await steps.ok(CHANGES, {"id": record["id"]}, user.token))["filing"]["changes"]
    assert sorted(changes, key=lambda c: c["path"]) == [
        {"path": "enterpriseName", "before": old_name, "after": "青岛海纳新材料有限公司"},
        {"path": "reason", "before": None, "after": "股东会决议更名"},
    ]
    await steps.ok(FORMS, {"id": record["id"]}, user.token)
    sent = steps.documents.rendered(record["id"], "ENTERPRISE_CHANGE_FORM")[-1]
    assert sent.revision == 1 and sent.owner_enterprise_id == enterprise_id
    assert json.loads(sent.data_json) == {
        "enterprise_name": old_name,
        "uscc": approved["data"]["uscc"],
        "district_name": "市南区",
        "changes": [{"item": "NAME", "before": old_name, "after": "青岛海纳新材料有限公司"}],
        "reason": "股东会决议更名",
    }
    letter = await steps.call(LETTER, {"id": record["id"]}, user.token)
    assert error_code(letter) == "VALIDATION_FAILED"

    incomplete = await steps.attach_required(user, record["id"], skip=("BUSINESS_LICENCE",))
    assert [k["kind"] for k in incomplete["requiredAttachments"] if not k["satisfied"]] == [
        "BUSINESS_LICENCE"
    ]
    body = await steps.call(SUBMIT, {"id": record["id"]}, user.token)
    assert field_paths(body) == {"attachments.BUSINESS_LICENCE.0"}
    await steps.attach_required(user, record["id"])
    assert (await steps.ok(SUBMIT, {"id": record["id"]}, user.token))["submitFiling"][
        "status"
    ] == "BRANCH_REVIEW"

    another_kind = await steps.call(LIAISON_ADDITION, {"input": liaison()}, user.token)
    assert error_code(another_kind) == "INVALID_STATE"
    while_reviewed = await steps.call(ENTERPRISE_CHANGE, {"input": change}, user.token)
    assert error_code(while_reviewed) == "INVALID_STATE"

    await steps.approve(record["id"])
    mine = (await steps.ok(MY_ENTERPRISE, token=user.token))["myEnterprise"]
    assert (mine["name"], mine["version"], mine["status"]) == ("青岛海纳新材料有限公司", 2, "FILED")
    assert mine["approvedData"]["enterpriseName"] == "青岛海纳新材料有限公司"
    assert [(v["version"], v["recordType"], v["changeKind"]) for v in mine["versions"]] == [
        (2, "CHANGE", "INFORMATION"),
        (1, "NEW", None),
    ]
    assert mine["versions"][1]["data"]["enterpriseName"] == old_name
    assert mine["currentFiling"]["id"] == approved["id"]
    [changed] = [e for e in await steps.events(enterprise_id) if e["type"].endswith(".changed")]
    assert changed["type"] == "filing.enterprise.changed"
    assert changed["data"]["changedFields"] == ["enterpriseName"]
    assert changed["data"]["version"] == 2
    assert changed["data"]["enterpriseName"] == "青岛海纳新材料有限公司"
    assert user.account_id in changed["data"]["accountIds"]


async def test_changes_need_a_filed_enterprise_and_at_most_two_liaisons(steps: Steps) -> None:
    user = steps.user()
    await steps.save(user, complete_form())
    body = await steps.call(ENTERPRISE_CHANGE, {"input": {"phone": "0532-1234567"}}, user.token)
    assert error_code(body) == "INVALID_STATE"
    assert error_code(await steps.call(LIAISON_ADDITION, {"input": liaison()}, user.token)) == (
        "INVALID_STATE"
    )

    full, _ = await steps.filed(liaisons=[liaison(), liaison()])
    body = await steps.call(LIAISON_ADDITION, {"input": liaison()}, full.token)
    assert error_code(body) == "VALIDATION_FAILED"
    assert field_paths(body) == {"input"}
    invalid = liaison(idType="PASSPORT", socialSecurityMonths=1)
    body = await steps.call(LIAISON_CHANGE, {"input": invalid}, full.token)
    assert field_paths(body) == {"input.idType", "input.socialSecurityMonths"}


async def test_an_added_liaison_with_an_account_acts_for_the_enterprise(steps: Steps) -> None:
    user, approved = await steps.filed()
    newcomer = steps.user()
    record = (
        await steps.ok(
            LIAISON_ADDITION, {"input": liaison(newcomer.phone, name="孙新增")}, user.token
        )
    )["requestLiaisonAddition"]
    assert (record["changeKind"], kinds(record)) == (
        "LIAISON_ADDITION",
        ["APPLICATION_FORM", "LIAISON_ID_CARD", "SOCIAL_SECURITY_PROOF"],
    )
    await steps.ok(FORMS, {"id": record["id"]}, user.token)
    sent = json.loads(steps.documents.rendered(record["id"], "LIAISON_CHANGE_FORM")[-1].data_json)
    assert (sent["action"], sent["replaced"], sent["liaison"]["name"]) == ("ADD", None, "孙新增")

    await steps.attach_required(user, record["id"])
    body = await steps.call(SUBMIT, {"id": record["id"]}, user.token)
    assert field_paths(body) == {"liaison.mobile"}  # no approved account with that mobile yet
    await steps.register_account(newcomer)
    await submit_and_approve(steps, user, record)
    mine = (await steps.ok(MY_ENTERPRISE, token=newcomer.token))["myEnterprise"]
    assert mine["id"] == approved["enterpriseId"]
    assert [item["name"] for item in mine["liaisons"]] == ["张联络", "孙新增"]
    assert mine["liaisons"][1]["account"] == {"id": newcomer.account_id}
    [event] = [e for e in await steps.events(mine["id"]) if e["type"] == "filing.liaison.changed"]
    assert (event["data"]["kind"], event["data"]["addedAccountIds"]) == (
        "ADD",
        [newcomer.account_id],
    )


async def test_an_approved_liaison_change_moves_the_enterprise_to_the_new_liaison(
    steps: Steps,
) -> None:
    old = steps.user()
    await steps.register_account(old)
    old, approved = await steps.filed(old, liaisons=[liaison(old.phone, name="赵旧")])
    enterprise_id = approved["enterpriseId"]
    new = steps.user()
    await steps.register_account(new)

    record = (
        await steps.ok(LIAISON_CHANGE, {"input": liaison(new.phone, name="王新")}, old.token)
    )["requestLiaisonChange"]
    assert record["changeKind"] == "LIAISON_CHANGE"
    assert record["data"]["replacedLiaison"] == {"name": "赵旧", "mobile": old.phone}
    assert record["data"]["liaison"] == {"name": "王新", "mobile": new.phone}
    changes = (await steps.ok(CHANGES, {"id": record["id"]}, old.token))["filing"]["changes"]
    assert {"path": "liaison.mobile", "before": None, "after": new.phone} in changes
    assert {c["path"].split(".")[0] for c in changes} == {"liaison", "replaced"}, changes
    await steps.ok(FORMS, {"id": record["id"]}, old.token)
    sent = json.loads(steps.documents.rendered(record["id"], "LIAISON_CHANGE_FORM")[-1].data_json)
    assert sent["action"] == "CHANGE"
    assert sent["replaced"] == {"name": "赵旧", "mobile": old.phone}
    assert sent["liaison"]["mobile"] == new.phone

    steps.identity.pass_exam(new.account_id, False)
    await steps.attach_required(old, record["id"])
    body = await steps.call(SUBMIT, {"id": record["id"]}, old.token)
    assert field_paths(body) == {"liaison.mobile"}  # the new liaison has not passed the exam
    steps.identity.pass_exam(new.account_id)
    await submit_and_approve(steps, old, record)

    mine = (await steps.ok(MY_ENTERPRISE, token=new.token))["myEnterprise"]
    assert mine["id"] == enterprise_id and mine["version"] == 2
    assert [(item["name"], item["account"]) for item in mine["liaisons"]] == [
        ("王新", {"id": new.account_id})
    ]
    assert mine["approvedData"]["liaisons"] == [{"name": "王新", "mobile": new.phone}]
    assert (await steps.ok(MY_ENTERPRISE, token=old.token))["myEnterprise"] is None
    [event] = [
        e for e in await steps.events(enterprise_id) if e["type"] == "filing.liaison.changed"
    ]
    assert event["data"]["kind"] == "CHANGE"
    assert event["data"]["removedAccountIds"] == [old.account_id]
    assert event["data"]["addedAccountIds"] == [new.account_id]
    assert old.account_id in event["data"]["accountIds"]

    # The replaced liaison no longer sees the enterprise's records.
    assert error_code(await steps.call(CHANGES, {"id": approved["id"]}, old.token)) == "NOT_FOUND"
    assert (await steps.ok(MY_FILINGS, token=old.token))["filings"]["totalCount"] == 0
    assert (await steps.ok(MY_FILINGS, token=new.token))["filings"]["totalCount"] == 2


async def test_a_new_liaison_filing_again_for_a_filed_enterprise_takes_it_over_on_approval(
    steps: Steps,
) -> None:
    old, approved = await steps.filed()
    enterprise_id, taken_uscc = approved["enterpriseId"], approved["data"]["uscc"]
    new = steps.user()
    await steps.register_account(new)
    form = complete_form(
        uscc=taken_uscc, enterpriseName="青岛海纳科技有限公司", liaisons=[liaison(new.phone)]
    )
    record = await steps.save(new, form)
    assert (record["recordType"], record["changeKind"], record["status"]) == (
        "CHANGE",
        "LIAISON_TAKEOVER",
        "DRAFT",
    )
    assert record["enterpriseId"] == enterprise_id
    assert (await steps.save(new, form))["id"] == record["id"]  # one open takeover
    assert (await steps.ok(MY_ENTERPRISE, token=new.token))["myEnterprise"] is None
    assert error_code(await steps.call(FORMS, {"id": record["id"]}, old.token)) == "NOT_FOUND"
    old_list = (await steps.ok(MY_FILINGS, token=old.token))["filings"]
    assert [e["node"]["id"] for e in old_list["edges"]] == [approved["id"]]
    new_list = (await steps.ok(MY_FILINGS, token=new.token))["filings"]
    assert [e["node"]["id"] for e in new_list["edges"]] == [record["id"]]

    await steps.ok(FORMS, {"id": record["id"]}, new.token)
    sent = steps.documents.rendered(record["id"], "FILING_APPLICATION_FORM")[-1]
    assert (sent.owner_account_id, sent.owner_enterprise_id) == (new.account_id, "")
    enterprise_file = steps.upload_for(record, "BUSINESS_LICENCE")
    body = await steps.attach(new, record["id"], "BUSINESS_LICENCE", enterprise_file)
    assert error_code(body) == "NOT_FOUND"  # not theirs until the takeover is approved
    await submit_and_approve(steps, new, record, owner=new)

    mine = (await steps.ok(MY_ENTERPRISE, token=new.token))["myEnterprise"]
    assert mine["id"] == enterprise_id
    assert [item["account"] for item in mine["liaisons"]] == [{"id": new.account_id}]
    assert (await steps.ok(MY_ENTERPRISE, token=old.token))["myEnterprise"] is None
    [event] = [
        e for e in await steps.events(enterprise_id) if e["type"] == "filing.liaison.changed"
    ]
    assert event["data"]["kind"] == "TAKEOVER"
    assert event["data"]["removedAccountIds"] == [old.account_id]
    assert new.account_id in event["data"]["addedAccountIds"]


async def test_an_information_change_is_checked_like_the_filing_it_changes(steps: Steps) -> None:
    user, _ = await steps.filed()
    change = {
        "phone": "not a phone",
        "registeredAddress": "  ",
        "legalRepresentative": {"name": "上官玥", "idType": "RESIDENT_ID", "idNumber": "123"},
    }
    body = await steps.call(ENTERPRISE_CHANGE, {"input": change}, user.token)
    assert error_code(body) == "VALIDATION_FAILED"
    assert field_paths(body) == {
        "input.phone",
        "input.registeredAddress",
        "input.legalRepresentative.idNumber",
        "input.legalRepresentative.phone",
    }
    assert (await steps.ok(MY_FILINGS, token=user.token))["filings"]["totalCount"] == 1


async def test_a_takeover_stays_with_the_enterprise_it_was_started_for(steps: Steps) -> None:
    _, approved = await steps.filed()
    new = steps.user()
    form = complete_form(uscc=approved["data"]["uscc"])
    record = await steps.save(new, form)
    assert record["changeKind"] == "LIAISON_TAKEOVER"
    body = await steps.call(
        SAVE, {"input": {**form, "id": record["id"], "uscc": uscc()}}, new.token
    )
    assert error_code(body) == "VALIDATION_FAILED"
    assert field_paths(body) == {"uscc"}
    assert (await steps.get(new.token, record["id"]))["data"]["uscc"] == form["uscc"]
