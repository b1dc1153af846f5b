"""Employment application lifecycle, access and edges: drafts, submission, pre-review,
revisions, printed papers, the labour queue, other enterprises and roles, events, gRPC."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import grpc
import httpx
import jsonschema
import pytest
from aiokafka import AIOKafkaConsumer
from sqlalchemy import text

from contracts.gen.personnel.v1 import people_pb2 as pb
from contracts.gen.personnel.v1 import people_pb2_grpc as pb_grpc
from devstack.infra import Broker
from devstack.stack import ROOT
from devstack.testing import error_code, graphql
from personnel.config import PersonnelSettings
from servicekit.db import Database, make_engine, utcnow

from .applications_helpers import (
    FORM,
    GET,
    LIST,
    PAPERS,
    SAVE,
    application,
    call,
    decide,
    fields_of,
    print_form,
    record_opinion,
    register_person,
    save,
    submit,
    submitted,
)

if TYPE_CHECKING:
    from devstack.doubles import DocumentsDouble

    from ..conftest import Tenants

SUBMIT = "mutation($id: ID!) { submitEmploymentApplication(id: $id) { id revision } }"
DECIDE = """mutation($id: ID!, $pass: Boolean!, $reason: String) {
  preReviewApplication(id: $id, pass: $pass, reason: $reason) { id review } }"""
ENTITIES = """query($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on EmploymentApplication { id kind } } }"""


async def test_a_draft_may_be_partial_but_every_given_key_is_checked(
    personnel: httpx.AsyncClient, tenants: Tenants
) -> None:
    owner = tenants.new()
    person_id = await register_person(personnel, owner)
    wrong = {
        **FORM,
        "contractEnd": "2026-06-30",
        "monthlySalary": -1,
        "education": "",
        "nickname": "Jo",
    }
    body = await graphql(
        personnel,
        SAVE,
        {"input": application("EXEMPT_RECRUITMENT", person_id, form=wrong)},
        token=owner.token,
    )
    assert set(fields_of(body)) == {
        "input.form.monthlySalary",
        "input.form.education",
        "input.form.nickname",
    }
    body = await graphql(
        personnel,
        SAVE,
        {
            "input": application(
                "EXEMPT_RECRUITMENT", person_id, form={**FORM, "contractEnd": "2026-06-30"}
            )
        },
        token=owner.token,
    )
    assert set(fields_of(body)) == {"input.form.contractEnd"}
    body = await graphql(
        personnel,
        SAVE,
        {"input": application("EXEMPT_RECRUITMENT", person_id, tipsAcknowledged=False)},
        token=owner.token,
    )
    assert set(fields_of(body)) == {"input.tipsAcknowledged"}

    draft = await save(
        personnel,
        owner.token,
        application("EXEMPT_RECRUITMENT", person_id, form={"position": " 翻译 "}),
    )
    assert draft["form"] == {"position": "翻译"}
    body = await graphql(personnel, SUBMIT, {"id": draft["id"]}, token=owner.token)
    assert set(fields_of(body)) == {
        "form.workplaceAddress",
        "form.contractStart",
        "form.contractEnd",
        "form.monthlySalary",
        "form.education",
        "exitEntryOpinion",
        "exitEntryOpinionAttachmentId",
    }
    body = await graphql(personnel, PAPERS, {"id": draft["id"]}, token=owner.token)
    assert error_code(body) == "VALIDATION_FAILED", "an incomplete form cannot be printed"


async def test_submitted_is_locked_and_submitting_twice_is_invalid(
    personnel: httpx.AsyncClient, tenants: Tenants, documents: DocumentsDouble
) -> None:
    owner = tenants.new()
    person_id = await register_person(personnel, owner)
    done = await submitted(personnel, owner, documents, "LICENCE", person_id)
    assert done["dueAt"] is not None and done["isOverdue"] is False
    body = await graphql(
        personnel,
        SAVE,
        {
            "input": application(
                "LICENCE", person_id, id=done["id"], form={**FORM, "education": "硕士"}
            )
        },
        token=owner.token,
    )
    assert error_code(body) == "INVALID_STATE"
    body = await graphql(personnel, SUBMIT, {"id": done["id"]}, token=owner.token)
    assert error_code(body) == "INVALID_STATE"
    unchanged = await call(personnel, GET, owner.token, "employmentApplication", id=done["id"])
    assert unchanged["form"]["education"] == FORM["education"]


async def test_labour_officer_decides_only_pending_applications_and_a_failure_needs_a_reason(
    personnel: httpx.AsyncClient, tenants: Tenants, documents: DocumentsDouble
) -> None:
    owner, labour = tenants.new(), tenants.officer("LABOUR_OFFICER")
    person_id = await register_person(personnel, owner)
    draft = await save(
        personnel,
        owner.token,
        application("REGISTRATION", person_id, licenceNumber="440100202611250001"),
    )
    body = await graphql(personnel, DECIDE, {"id": draft["id"], "pass": True}, token=labour)
    assert error_code(body) == "INVALID_STATE"
    await submit(personnel, owner.token, draft["id"])
    body = await graphql(
        personnel, DECIDE, {"id": draft["id"], "pass": False, "reason": " "}, token=labour
    )
    assert set(fields_of(body)) == {"reason"}
    await decide(personnel, labour, draft["id"], True)
    body = await graphql(
        personnel, DECIDE, {"id": draft["id"], "pass": False, "reason": "x"}, token=labour
    )
    assert error_code(body) == "INVALID_STATE", "decided already"


async def test_roles_other_than_applicants_and_labour_officers_are_forbidden(
    personnel: httpx.AsyncClient, tenants: Tenants
) -> None:
    owner = tenants.new()
    person_id = await register_person(personnel, owner)
    draft = await save(
        personnel,
        owner.token,
        application("REGISTRATION", person_id, licenceNumber="440100202611250001"),
    )
    await submit(personnel, owner.token, draft["id"])
    for role in ("CITY_OFFICER", "BRANCH_OFFICER", "ADMIN"):
        token = tenants.officer(role)
        assert error_code(await graphql(personnel, LIST, {}, token=token)) == "FORBIDDEN", role
        body = await graphql(personnel, DECIDE, {"id": draft["id"], "pass": True}, token=token)
        assert error_code(body) == "FORBIDDEN", role
    body = await graphql(personnel, DECIDE, {"id": draft["id"], "pass": True}, token=owner.token)
    assert error_code(body) == "FORBIDDEN", "applicants do not pre-review"
    labour = tenants.officer("LABOUR_OFFICER")
    body = await graphql(
        personnel, SAVE, {"input": application("LICENCE", person_id)}, token=labour
    )
    assert error_code(body) == "FORBIDDEN"
    assert error_code(await graphql(personnel, LIST, {})) == "UNAUTHENTICATED"


async def test_another_enterprises_ids_are_not_found_and_nothing_changes(
    personnel: httpx.AsyncClient, tenants: Tenants, documents: DocumentsDouble
) -> None:
    owner, other = tenants.new(), tenants.new()
    person_id = await register_person(personnel, owner)
    mine = await save(personnel, owner.token, application("EXEMPT_RECRUITMENT", person_id))
    their_person = await register_person(personnel, other)
    attempts: list[tuple[str, dict[str, Any]]] = [
        (SAVE, {"input": application("EXEMPT_RECRUITMENT", their_person, id=mine["id"])}),
        (SAVE, {"input": application("EXEMPT_RECRUITMENT", person_id)}),  # my person, their call
        (SUBMIT, {"id": mine["id"]}),
        (GET, {"id": mine["id"]}),
        (
            SAVE,
            {"input": application("REGISTRATION", their_person, basedOnApplicationId=mine["id"])},
        ),
        (GET, {"id": "not-an-id"}),
    ]
    for query, variables in attempts:
        body = await graphql(personnel, query, variables, token=other.token)
        assert error_code(body) == "NOT_FOUND", (query, variables)
    reps = [{"__typename": "EmploymentApplication", "id": mine["id"]}]
    assert (await graphql(personnel, ENTITIES, {"reps": reps}, token=other.token))["data"][
        "_entities"
    ] == [None]
    assert (await graphql(personnel, ENTITIES, {"reps": reps}, token=owner.token))["data"][
        "_entities"
    ] == [{"id": mine["id"], "kind": "EXEMPT_RECRUITMENT"}]
    unchanged = await call(personnel, GET, owner.token, "employmentApplication", id=mine["id"])
    assert unchanged == mine
    assert (unchanged["submission"], unchanged["foreignPersonId"]) == ("UNSUBMITTED", person_id)
    listed = await call(personnel, LIST, other.token, "employmentApplications")
    assert listed["totalCount"] == 0


async def test_failed_then_modified_is_a_new_revision_that_needs_a_new_stamp(
    personnel: httpx.AsyncClient, tenants: Tenants, documents: DocumentsDouble
) -> None:
    owner, labour = tenants.new(), tenants.officer("LABOUR_OFFICER")
    person_id = await register_person(personnel, owner)
    value = application("LICENCE", person_id)
    first = await submitted(personnel, owner, documents, "LICENCE", person_id)
    failed = await decide(personnel, labour, first["id"], False, "月薪低于当地标准")
    assert (failed["review"], failed["failureReason"], failed["canModify"]) == (
        "FAILED",
        "月薪低于当地标准",
        True,
    )
    body = await graphql(personnel, SUBMIT, {"id": first["id"]}, token=owner.token)
    assert error_code(body) == "INVALID_STATE", "modify first"
    papers = await call(personnel, PAPERS, owner.token, "employmentApplication", id=first["id"])
    assert papers["handlingNotice"] is None

    # The client sends the whole record again, the old scan included.
    modified = await save(
        personnel,
        owner.token,
        {
            **value,
            "id": first["id"],
            "form": {**FORM, "monthlySalary": 42000},
            "exitEntryOpinion": failed["exitEntryOpinion"],
            "exitEntryOpinionAttachmentId": failed["exitEntryOpinionAttachmentId"],
        },
    )
    assert (modified["revision"], modified["submission"], modified["review"]) == (
        2,
        "UNSUBMITTED",
        "NONE",
    )
    body = await graphql(
        personnel, SUBMIT, {"id": first["id"]}, token=owner.token, headers={"accept-language": "en"}
    )
    assert "printed from revision 1" in fields_of(body)["exitEntryOpinionAttachmentId"]
    # A scan of the old paper is refused when given anew as well.
    old_scan = documents.upload(
        "EXIT_ENTRY_OPINION",
        enterprise_id=owner.enterprise_id or "",
        printed=("LICENCE_APPLICATION_FORM", first["id"], 1),
    )
    body = await graphql(
        personnel,
        SAVE,
        {
            "input": {
                **value,
                "id": first["id"],
                "form": {**FORM, "monthlySalary": 42000},
                "exitEntryOpinionAttachmentId": old_scan,
            }
        },
        token=owner.token,
    )
    assert set(fields_of(body)) == {"input.exitEntryOpinionAttachmentId"}

    stamped = await record_opinion(
        personnel, owner, documents, modified, {**value, "form": {**FORM, "monthlySalary": 42000}}
    )
    assert stamped["revision"] == 2
    again = await submit(personnel, owner.token, first["id"])
    assert (again["review"], again["revision"], again["failureReason"]) == ("PENDING", 2, None)
    passed = await decide(personnel, labour, first["id"], True)
    assert passed["review"] == "PASSED"
    papers = await call(personnel, PAPERS, owner.token, "employmentApplication", id=first["id"])
    assert papers["handlingNotice"] is not None
    [notice] = documents.rendered(first["id"], "ONLINE_HANDLING_NOTICE")
    assert notice.revision == 2
    data = json.loads(notice.data_json)
    assert data["business"] == "LICENCE" and data["application_number"] == first["number"]


async def test_the_stamp_must_be_this_applications_current_form_and_the_enterprises_upload(
    personnel: httpx.AsyncClient, tenants: Tenants, documents: DocumentsDouble
) -> None:
    owner, other = tenants.new(), tenants.new()
    person_id = await register_person(personnel, owner)
    value = application("EXEMPT_RECRUITMENT", person_id)
    saved = await save(personnel, owner.token, value)
    await print_form(personnel, owner.token, saved["id"])
    enterprise = owner.enterprise_id or ""
    scans = {
        "theirs": documents.upload(
            "EXIT_ENTRY_OPINION",
            enterprise_id=other.enterprise_id or "",
            printed=("RECRUITMENT_APPLICATION_FORM", saved["id"], 1),
        ),
        "wrong kind": documents.upload(
            "SUPPLEMENTARY",
            enterprise_id=enterprise,
            printed=("RECRUITMENT_APPLICATION_FORM", saved["id"], 1),
        ),
        "no QR": documents.upload("EXIT_ENTRY_OPINION", enterprise_id=enterprise),
        "another form": documents.upload(
            "EXIT_ENTRY_OPINION",
            enterprise_id=enterprise,
            printed=("RECRUITMENT_APPLICATION_FORM", str(uuid.uuid4()), 1),
        ),
        "unknown": str(uuid.uuid4()),
    }
    for case, scan in scans.items():
        body = await graphql(
            personnel,
            SAVE,
            {"input": {**value, "id": saved["id"], "exitEntryOpinionAttachmentId": scan}},
            token=owner.token,
        )
        assert set(fields_of(body)) == {"input.exitEntryOpinionAttachmentId"}, case

    # Printed, then the data changed: the printed paper is stale, a new revision begins.
    changed = await save(
        personnel, owner.token, {**value, "id": saved["id"], "form": {**FORM, "education": "硕士"}}
    )
    assert changed["revision"] == 2
    body = await graphql(
        personnel,
        SAVE,
        {
            "input": {
                **value,
                "id": saved["id"],
                "form": {**FORM, "education": "硕士"},
                "exitEntryOpinionAttachmentId": documents.upload(
                    "EXIT_ENTRY_OPINION",
                    enterprise_id=enterprise,
                    printed=("RECRUITMENT_APPLICATION_FORM", saved["id"], 1),
                ),
            }
        },
        token=owner.token,
    )
    assert set(fields_of(body)) == {"input.exitEntryOpinionAttachmentId"}


async def test_every_account_of_the_enterprise_sees_and_continues_its_applications(
    personnel: httpx.AsyncClient, tenants: Tenants, documents: DocumentsDouble
) -> None:
    liaison = tenants.new()
    hr = tenants.member_of(liaison)
    person_id = await register_person(personnel, liaison)
    draft = await save(
        personnel,
        liaison.token,
        application("REGISTRATION", person_id, licenceNumber="440100202611250001"),
    )
    done = await submit(personnel, hr.token, draft["id"])
    assert done["review"] == "PENDING"
    for tenant in (liaison, hr):
        listed = await call(personnel, LIST, tenant.token, "employmentApplications")
        assert [e["node"]["id"] for e in listed["edges"]] == [draft["id"]]


async def test_enterprise_list_is_newest_first_with_filters_and_pages(
    personnel: httpx.AsyncClient, tenants: Tenants, documents: DocumentsDouble
) -> None:
    owner = tenants.new()
    person_id = await register_person(personnel, owner)
    ids = []
    for _ in range(3):
        saved = await save(
            personnel,
            owner.token,
            application("REGISTRATION", person_id, licenceNumber="440100202611250001"),
        )
        ids.append(saved["id"])
    await submit(personnel, owner.token, ids[0])
    page = await call(personnel, LIST, owner.token, "employmentApplications", first=2)
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["id"] for e in page["edges"]] == [ids[2], ids[1]]
    rest = await call(
        personnel,
        LIST,
        owner.token,
        "employmentApplications",
        first=2,
        after=page["pageInfo"]["endCursor"],
    )
    assert [e["node"]["id"] for e in rest["edges"]] == [ids[0]]
    pending = await call(personnel, LIST, owner.token, "employmentApplications", review="PENDING")
    assert [e["node"]["id"] for e in pending["edges"]] == [ids[0]]
    none = await call(personnel, LIST, owner.token, "employmentApplications", kind="LICENCE")
    assert none["totalCount"] == 0


async def test_labour_queue_is_by_due_time_with_overdue_flags_and_reads_are_audited(
    personnel: httpx.AsyncClient,
    tenants: Tenants,
    personnel_settings: PersonnelSettings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    owner, labour = tenants.new(), tenants.officer("LABOUR_OFFICER")
    person_id = await register_person(personnel, owner)
    ids = []
    for _ in range(2):
        saved = await save(
            personnel,
            owner.token,
            application("REGISTRATION", person_id, licenceNumber="440100202611250001"),
        )
        await submit(personnel, owner.token, saved["id"])
        ids.append(saved["id"])
    unsubmitted = await save(
        personnel,
        owner.token,
        application("REGISTRATION", person_id, licenceNumber="440100202611250001"),
    )
    db = Database(make_engine(personnel_settings.database_url, 1))
    try:
        async with db.unit_of_work() as session:  # the second one was submitted long ago
            await session.execute(
                text("UPDATE employment_applications SET due_at = :due WHERE id = :id"),
                {"due": utcnow() - timedelta(days=400), "id": uuid.UUID(ids[1])},
            )
    finally:
        await db.dispose()
    with caplog.at_level(logging.INFO, logger="personnel.audit"):
        queue = await call(
            personnel, LIST, labour, "employmentApplications", first=100, review="PENDING"
        )
    nodes = [e["node"] for e in queue["edges"]]
    mine = [n for n in nodes if n["id"] in ids]
    assert mine[0]["id"] == ids[1] and mine[0]["isOverdue"] is True
    assert mine[1]["isOverdue"] is False
    dues = [n["dueAt"] for n in nodes]
    assert dues == sorted(dues)
    assert unsubmitted["id"] not in {n["id"] for n in nodes}
    body = await graphql(personnel, GET, {"id": unsubmitted["id"]}, token=labour)
    assert error_code(body) == "NOT_FOUND", "an enterprise's unsubmitted work is its own"
    assert any(ids[1] in r.getMessage() for r in caplog.records if r.name == "personnel.audit")


async def test_events_are_published_once_each_and_match_their_schemas(
    personnel: httpx.AsyncClient, tenants: Tenants, documents: DocumentsDouble, broker: Broker
) -> None:
    from identity.notifications.templates import render

    consumer = AIOKafkaConsumer(
        "personnel.application.v1",
        bootstrap_servers=broker.bootstrap,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=20,
        group_id=f"test-{uuid.uuid4()}",
    )
    await consumer.start()
    try:
        owner, labour = tenants.new(), tenants.officer("LABOUR_OFFICER")
        person_id = await register_person(personnel, owner)
        first = await submitted(personnel, owner, documents, "LICENCE", person_id)
        await decide(personnel, labour, first["id"], False, "材料不全")
        second = await submitted(personnel, owner, documents, "EXEMPT_RECRUITMENT", person_id)
        await decide(personnel, labour, second["id"], True)
        wanted = {
            (first["id"], "personnel.application.submitted"),
            (first["id"], "personnel.application.rejected"),
            (second["id"], "personnel.application.submitted"),
            (second["id"], "personnel.application.approved"),
        }
        keys = {first["id"].encode(), second["id"].encode()}
        seen: list[dict[str, Any]] = []
        async with asyncio.timeout(20):
            while len(seen) < len(wanted):
                batch = await consumer.getmany(timeout_ms=500)
                seen += [
                    json.loads(r.value)
                    for rs in batch.values()
                    for r in rs
                    if r.key in keys and r.value
                ]
        batch = await consumer.getmany(timeout_ms=500)
        seen += [
            json.loads(r.value) for rs in batch.values() for r in rs if r.key in keys and r.value
        ]
        assert sorted((e["subject"], e["type"]) for e in seen) == sorted(wanted)
        for event in seen:
            schema = json.loads(
                (ROOT / "contracts" / "events" / f"{event['type']}.schema.json").read_text()
            )
            jsonschema.validate(event["data"], schema, format_checker=jsonschema.FormatChecker())
            assert event["data"]["accountIds"] == [owner.account_id]
            [(audience, message)] = render(event["type"], event["data"])
            assert audience == "accountIds" and "Weber Jonas" in message
        rejected = next(e for e in seen if e["type"].endswith("rejected"))
        assert "材料不全" in render(rejected["type"], rejected["data"])[0][1]
    finally:
        await consumer.stop()


async def test_grpc_answers_an_application_for_booking(
    personnel: httpx.AsyncClient, tenants: Tenants, personnel_settings: PersonnelSettings
) -> None:
    owner = tenants.new()
    person_id = await register_person(personnel, owner)
    saved = await save(
        personnel,
        owner.token,
        application("REGISTRATION", person_id, licenceNumber="440100202611250001"),
    )
    async with grpc.aio.insecure_channel(f"127.0.0.1:{personnel_settings.grpc_port}") as channel:
        people = pb_grpc.PeopleStub(channel)
        reply = await people.GetApplication(
            pb.GetApplicationRequest(application_id=saved["id"]), timeout=5
        )
        assert reply == pb.Application(
            id=saved["id"],
            enterprise_id=owner.enterprise_id,
            foreign_person_id=person_id,
            kind="REGISTRATION",
            submission="UNSUBMITTED",
            review="NONE",
        )
        for missing in (str(uuid.uuid4()), "nope"):
            with pytest.raises(grpc.aio.AioRpcError) as caught:
                await people.GetApplication(
                    pb.GetApplicationRequest(application_id=missing), timeout=5
                )
            assert caught.value.code() == grpc.StatusCode.NOT_FOUND
