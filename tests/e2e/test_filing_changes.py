"""附件3 (liaison change both ways, adding a liaison) and 附件4 (information change), through the
gateway, from an enterprise whose filing is approved."""

from __future__ import annotations

import random
from typing import Any

import httpx

from devstack.testing import error_code

from .filing_steps import (
    FILING,
    NEW_FILING_FILES,
    SUBMIT,
    approved_by_both,
    attach_all,
    complete_filing,
    eventually,
    filed_enterprise,
    liaison_with_exam,
)
from .test_slice import SAVE, ask

CHANGE_LIAISON = """mutation($i: LiaisonInput!) { requestLiaisonChange(input: $i) {
  id recordType changeKind status revision } }"""
ADD_LIAISON = """mutation($i: LiaisonInput!) { requestLiaisonAddition(input: $i) {
  id recordType changeKind status revision } }"""
CHANGE_INFO = """mutation($i: EnterpriseChangeInput!) { requestEnterpriseChange(input: $i) {
  id recordType changeKind status revision changes { path before after } } }"""
MINE = """{ myEnterprise { id name status version liaisons { name mobile account { id } }
  approvedData { enterpriseName operatingAddress }
  versions { version recordType changeKind data { enterpriseName } } } }"""
REFRESH = "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }"
LOGIN_FULL = """mutation($u: String!, $p: String!) {
  login(username: $u, password: $p) { accessToken refreshToken } }"""
LIAISON_FILES = ["APPLICATION_FORM", "LIAISON_ID_CARD", "SOCIAL_SECURITY_PROOF"]


def liaison(phone: str, name: str = "陈新任") -> dict[str, Any]:
    return {
        "name": name,
        "sex": "MALE",
        "idType": "RESIDENT_ID",
        "idNumber": "11010519491231002X",
        "mobile": phone,
        "position": "行政主管",
        "socialSecurityMonths": 6,
    }


async def test_attachment_3a_the_current_liaison_hands_over_to_a_new_one(
    gateway: httpx.AsyncClient,
) -> None:
    old_phone, old_token, _ = await filed_enterprise(gateway)
    session = await ask(gateway, LOGIN_FULL, {"u": old_phone, "p": "Liaison-2026"})
    old_refresh = session["data"]["login"]["refreshToken"]
    new_phone, new_token = await liaison_with_exam(gateway)

    request = await ask(gateway, CHANGE_LIAISON, {"i": liaison(new_phone)}, old_token)
    record = request["data"]["requestLiaisonChange"]
    assert (record["recordType"], record["changeKind"]) == ("CHANGE", "LIAISON_CHANGE")
    await attach_all(gateway, old_token, record["id"], LIAISON_FILES)
    submitted = await ask(gateway, SUBMIT, {"id": record["id"]}, old_token)
    assert submitted["data"]["submitFiling"]["status"] == "BRANCH_REVIEW", submitted
    await approved_by_both(gateway, record["id"])

    mine = (await ask(gateway, MINE, token=new_token))["data"]["myEnterprise"]
    assert [item["mobile"] for item in mine["liaisons"]] == [new_phone]
    assert mine["version"] == 2
    assert (await ask(gateway, MINE, token=old_token))["data"]["myEnterprise"] is None
    # identity signs the old liaison out everywhere when it hears of the change
    await eventually(lambda: _refresh_refused(gateway, old_refresh))


async def _refresh_refused(gateway: httpx.AsyncClient, refresh: str) -> bool:
    return error_code(await ask(gateway, REFRESH, {"t": refresh})) == "UNAUTHENTICATED"


async def test_attachment_3b_a_new_liaison_files_again_and_review_links_them(
    gateway: httpx.AsyncClient,
) -> None:
    old_phone, old_token, old_filing = await filed_enterprise(gateway)
    session = await ask(gateway, LOGIN_FULL, {"u": old_phone, "p": "Liaison-2026"})
    old_refresh = session["data"]["login"]["refreshToken"]
    uscc = (await ask(gateway, "{ myEnterprise { uscc } }", token=old_token))["data"][
        "myEnterprise"
    ]["uscc"]
    new_phone, new_token = await liaison_with_exam(gateway)
    form = complete_filing(new_phone, 0)
    form["uscc"] = uscc
    form["liaisons"][0]["name"] = "林接任"

    body = await ask(
        gateway,
        "mutation($input: FilingInput!) { saveFiling(input: $input) { id changeKind } }",
        {"input": form},
        new_token,
    )
    record = body["data"]["saveFiling"]
    assert record["changeKind"] == "LIAISON_TAKEOVER"
    assert (await ask(gateway, MINE, token=new_token))["data"]["myEnterprise"] is None
    await attach_all(gateway, new_token, record["id"], NEW_FILING_FILES)
    submitted = await ask(gateway, SUBMIT, {"id": record["id"]}, new_token)
    assert submitted["data"]["submitFiling"]["status"] == "BRANCH_REVIEW", submitted
    # the old liaison does not see the newcomer's record
    assert error_code(await ask(gateway, FILING, {"id": record["id"]}, old_token)) == "NOT_FOUND"
    await approved_by_both(gateway, record["id"])
    mine = (await ask(gateway, MINE, token=new_token))["data"]["myEnterprise"]
    assert [item["name"] for item in mine["liaisons"]] == ["林接任"]
    assert (await ask(gateway, MINE, token=old_token))["data"]["myEnterprise"] is None
    assert old_filing != record["id"]
    await eventually(lambda: _refresh_refused(gateway, old_refresh))


async def test_adding_a_second_liaison_and_no_third(gateway: httpx.AsyncClient) -> None:
    _, token, _ = await filed_enterprise(gateway)
    second_phone, second_token = await liaison_with_exam(gateway)
    request = await ask(gateway, ADD_LIAISON, {"i": liaison(second_phone, "何二号")}, token)
    record = request["data"]["requestLiaisonAddition"]
    assert record["changeKind"] == "LIAISON_ADDITION"
    await attach_all(gateway, token, record["id"], LIAISON_FILES)
    assert "errors" not in await ask(gateway, SUBMIT, {"id": record["id"]}, token)
    await approved_by_both(gateway, record["id"])
    for viewer in (token, second_token):  # both now act for the enterprise
        mine = (await ask(gateway, MINE, token=viewer))["data"]["myEnterprise"]
        assert len(mine["liaisons"]) == 2
    third = f"139{random.randint(0, 99_999_999):08d}"
    refused = await ask(gateway, ADD_LIAISON, {"i": liaison(third, "张三号")}, token)
    assert error_code(refused) == "VALIDATION_FAILED"
    short = liaison(third, "张三号") | {"socialSecurityMonths": 1}
    refused = await ask(gateway, CHANGE_LIAISON, {"i": short}, token)
    assert error_code(refused) == "VALIDATION_FAILED"
    assert refused["errors"][0]["extensions"]["fields"][0]["path"] == "input.socialSecurityMonths"


async def test_attachment_4_an_information_change_keeps_every_approved_version(
    gateway: httpx.AsyncClient,
) -> None:
    _, token, _ = await filed_enterprise(gateway)
    before = (await ask(gateway, MINE, token=token))["data"]["myEnterprise"]
    request = await ask(
        gateway,
        CHANGE_INFO,
        {"i": {"enterpriseName": "青岛新名称科技有限公司", "reason": "工商变更登记"}},
        token,
    )
    record = request["data"]["requestEnterpriseChange"]
    assert (record["recordType"], record["changeKind"]) == ("CHANGE", "INFORMATION")
    assert record["changes"] == [
        {"path": "enterpriseName", "before": before["name"], "after": "青岛新名称科技有限公司"},
        {"path": "reason", "before": None, "after": "工商变更登记"},
    ]
    # a liaison change cannot start while this one is open
    other = await ask(gateway, ADD_LIAISON, {"i": liaison("13912345678")}, token)
    assert error_code(other) == "INVALID_STATE"
    await attach_all(gateway, token, record["id"], ["CHANGE_FORM", "BUSINESS_LICENCE"])
    assert "errors" not in await ask(gateway, SUBMIT, {"id": record["id"]}, token)
    await approved_by_both(gateway, record["id"])
    after = (await ask(gateway, MINE, token=token))["data"]["myEnterprise"]
    assert after["name"] == "青岛新名称科技有限公司"
    assert after["approvedData"]["enterpriseName"] == "青岛新名称科技有限公司"
    assert [
        (v["version"], v["changeKind"], v["data"]["enterpriseName"]) for v in after["versions"]
    ] == [
        (2, "INFORMATION", "青岛新名称科技有限公司"),
        (1, None, before["name"]),
    ]
    # the filing itself cannot be edited any more: changes go through change records
    form = complete_filing("13800000009", 0) | {"id": None}
    form["uscc"] = "91350100M000100Y43"
    assert error_code(await ask(gateway, SAVE, {"input": form}, token)) in (
        "INVALID_STATE",
        "CONFLICT",
    )
