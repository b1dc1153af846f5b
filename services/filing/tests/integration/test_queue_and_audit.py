"""The officers' queue and the enterprise's own list (`filings`), and the audit log."""

from __future__ import annotations

import random
from typing import Any

from devstack.testing import error_code

from .steps import CLAIM, FILING, REVIEW, Steps, User, complete_form, uscc

LIST = """query($status: FilingStatus, $recordType: RecordType, $uscc: String, $name: String,
             $from: DateTime, $to: DateTime, $first: Int, $after: String) {
  filings(status: $status, recordType: $recordType, uscc: $uscc, name: $name,
          submittedFrom: $from, submittedTo: $to, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id status submittedAt } } } }"""
AUDIT = """query($filingId: ID, $action: String) {
  filingAuditLog(filingId: $filingId, action: $action, first: 50) {
    totalCount edges { node { action actorId actorName actorRoles filingId enterpriseId detail } }
  } }"""
APPROVE = {"approve": True, "comment": "同意"}


async def listed(steps: Steps, token: str, **variables: Any) -> list[str]:
    found = (await steps.ok(LIST, variables, token))["filings"]
    assert found["totalCount"] == len(found["edges"]) or "first" in variables
    return [edge["node"]["id"] for edge in found["edges"]]


async def test_a_branch_officer_sees_and_filters_the_submitted_records_of_their_districts(
    steps: Steps,
) -> None:
    tag = f"胶州{random.randrange(10**6):06d}"
    records: list[dict[str, Any]] = []
    users: list[User] = []
    for letter in "甲乙丙":
        user, record = await steps.submitted(
            district="370281", enterpriseName=f"青岛{tag}{letter}有限公司"
        )
        users.append(user)
        records.append(record)
    a, b, c = (record["id"] for record in records)
    _, elsewhere = await steps.submitted(district="370283", enterpriseName=f"青岛{tag}丁有限公司")
    draft_user = steps.user()
    await steps.save(draft_user, complete_form(district="370281", enterpriseName=f"青岛{tag}戊"))
    jiaozhou = steps.officer(districts=["370281"])
    await steps.ok(REVIEW, {"id": c, "input": APPROVE}, jiaozhou)

    assert await listed(steps, jiaozhou, name=tag) == [a, b, c]  # oldest submission first
    assert await listed(steps, jiaozhou, name=tag, status="BRANCH_REVIEW") == [a, b]
    assert await listed(steps, jiaozhou, name=tag, status="CITY_REVIEW") == [c]
    assert await listed(steps, jiaozhou, name=tag, status="DRAFT") == []
    assert await listed(steps, jiaozhou, name=tag, recordType="CHANGE") == []
    assert await listed(steps, jiaozhou, name=tag, recordType="NEW") == [a, b, c]
    assert await listed(steps, jiaozhou, uscc=f" {records[1]['data']['uscc'].lower()} ") == [b]
    assert await listed(steps, jiaozhou, uscc=elsewhere["data"]["uscc"]) == []
    assert await listed(steps, jiaozhou, name=f"{tag}乙") == [b]
    assert await listed(steps, jiaozhou, name=f"{tag}%") == []  # a wildcard is a character
    assert await listed(steps, jiaozhou, uscc=uscc()) == []

    rows = (await steps.ok(LIST, {"name": tag}, jiaozhou))["filings"]["edges"]
    b_at = next(edge["node"]["submittedAt"] for edge in rows if edge["node"]["id"] == b)
    assert await listed(steps, jiaozhou, name=tag, **{"from": b_at}) == [b, c]
    assert await listed(steps, jiaozhou, name=tag, to=b_at) == [a]

    page = (await steps.ok(LIST, {"name": tag, "first": 2}, jiaozhou))["filings"]
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"]
    assert [edge["node"]["id"] for edge in page["edges"]] == [a, b]
    rest = (
        await steps.ok(
            LIST, {"name": tag, "first": 2, "after": page["pageInfo"]["endCursor"]}, jiaozhou
        )
    )["filings"]
    assert [edge["node"]["id"] for edge in rest["edges"]] == [c]
    assert rest["totalCount"] == 3 and not rest["pageInfo"]["hasNextPage"]
    assert error_code(await steps.call(LIST, {"first": -1}, jiaozhou)) == "VALIDATION_FAILED"
    assert error_code(await steps.call(LIST, {"after": "nonsense"}, jiaozhou)) == (
        "VALIDATION_FAILED"
    )

    pingdu = steps.officer(districts=["370283"])
    assert await listed(steps, pingdu, name=tag) == [elsewhere["id"]]
    city = steps.officer("CITY_OFFICER")
    # the city sees what a branch approved, not the branches' queues
    assert await listed(steps, city, name=tag) == [c]
    assert await listed(steps, city, name=tag, status="CITY_REVIEW") == [c]
    labour = steps.officer("LABOUR_OFFICER")
    assert error_code(await steps.call(LIST, {}, labour)) == "FORBIDDEN"

    assert await listed(steps, users[0].token) == [a]
    assert await listed(steps, users[1].token, status="BRANCH_REVIEW") == [b]
    assert await listed(steps, users[1].token, status="DRAFT") == []
    assert len(await listed(steps, draft_user.token)) == 1


async def test_officers_reads_and_every_state_change_are_in_the_audit_log(steps: Steps) -> None:
    user, record = await steps.submitted()
    filing_id = record["id"]
    branch_id = "00000000-0000-4000-8000-00000000b001"
    branch = steps.officer(name="李警官", account_id=branch_id)
    await steps.ok(FILING, {"id": filing_id}, branch)
    await steps.ok(CLAIM, {"id": filing_id}, branch)
    await steps.ok(REVIEW, {"id": filing_id, "input": APPROVE}, branch)
    city = steps.officer("CITY_OFFICER", name="市局王")
    await steps.ok(REVIEW, {"id": filing_id, "input": APPROVE}, city)

    log = (await steps.ok(AUDIT, {"filingId": filing_id}, city))["filingAuditLog"]
    entries = [edge["node"] for edge in reversed(log["edges"])]
    assert log["totalCount"] == len(entries)
    assert [entry["action"] for entry in entries] == [
        "filing.saved",
        *["filing.attached"] * 5,
        "filing.submitted",
        "filing.read",
        "filing.claimed",
        "filing.branch_approved",
        "filing.read",  # the decision's answer shows the record's data again
        "filing.approved",
        "filing.read",
    ]
    assert {entry["actorId"] for entry in entries[:7]} == {user.account_id}
    read = entries[7]
    assert (read["actorId"], read["actorName"], read["actorRoles"]) == (
        branch_id,
        "李警官",
        ["BRANCH_OFFICER"],
    )
    assert read["filingId"] == filing_id and read["enterpriseId"] == record["enterpriseId"]
    assert entries[-2]["actorName"] == "市局王"
    assert entries[-2]["detail"]["level"] == "CITY"
    only_reads = await steps.ok(AUDIT, {"filingId": filing_id, "action": "filing.read"}, city)
    assert only_reads["filingAuditLog"]["totalCount"] == 3

    for token in (branch, user.token, steps.officer("LABOUR_OFFICER")):
        body = await steps.call(AUDIT, {"filingId": filing_id}, token)
        assert error_code(body) == "FORBIDDEN"


async def test_reading_records_data_through_a_list_is_audited_once_per_record(
    steps: Steps,
) -> None:
    _, first = await steps.submitted(district="370285")
    _, second = await steps.submitted(district="370285")
    officer_id = "00000000-0000-4000-8000-00000000b002"
    laixi = steps.officer(districts=["370285"], account_id=officer_id)
    ids = await listed(steps, laixi)  # ids and states only: not a read of personal data
    assert {first["id"], second["id"]} <= set(ids)
    city = steps.officer("CITY_OFFICER")
    for record in (first, second):
        reads = await steps.ok(AUDIT, {"filingId": record["id"], "action": "filing.read"}, city)
        assert reads["filingAuditLog"]["totalCount"] == 0
    with_data = """{ filings { edges { node { id data { enterpriseName legalRepresentative {
      idNumber } } changes { path } } } } }"""
    await steps.ok(with_data, {}, laixi)
    for record in (first, second):
        reads = await steps.ok(AUDIT, {"filingId": record["id"], "action": "filing.read"}, city)
        (entry,) = [edge["node"] for edge in reads["filingAuditLog"]["edges"]]
        assert entry["actorId"] == officer_id
        assert entry["detail"] == {"revision": 1}
