"""Stored documents: who may see and download them, the render-first path of a planned token,
revisions that cannot be stored twice, and the `documents.document.generated` event."""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from typing import TYPE_CHECKING

import pytest
from aiokafka import AIOKafkaConsumer

from devstack.infra import Broker
from devstack.testing import TestIssuer, error_code, graphql
from documents.errors import RevisionAlreadyStored
from servicekit.errors import ValidationFailed

if TYPE_CHECKING:
    from conftest import Service

DOCUMENT = "query($id: ID!) { document(id: $id) { id kind title url sha256 revision createdAt } }"
ENTITIES = """query($r: [_Any!]!) {
  _entities(representations: $r) { ... on Document { id title url } } }"""


async def test_the_owner_enterprise_downloads_its_document_and_others_cannot(
    documents: Service, issuer: TestIssuer
) -> None:
    owner_account, enterprise_id = documents.filing.new_enterprise_user()
    other_account, _ = documents.filing.new_enterprise_user()
    content = documents.pdf("备案登记表")
    stored = await documents.store(owner=enterprise_id, content=content)
    path = f"/documents/{stored.document.id}"

    response = await documents.client.get(
        path, headers={"authorization": f"Bearer {issuer.token(owner_account)}"}
    )
    assert response.status_code == 200
    assert response.content == content
    assert response.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''" in response.headers["content-disposition"]

    other = await documents.client.get(
        path, headers={"authorization": f"Bearer {issuer.token(other_account)}"}
    )
    assert other.status_code == 404
    no_enterprise = await documents.client.get(
        path, headers={"authorization": f"Bearer {issuer.token(str(uuid.uuid4()))}"}
    )
    assert no_enterprise.status_code == 404
    anonymous = await documents.client.get(path)
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "UNAUTHENTICATED"
    forged = await documents.client.get(path, headers={"authorization": "Bearer not.a.jwt"})
    assert forged.status_code == 401


async def test_officers_download_any_document_and_a_missing_one_is_404(
    documents: Service, issuer: TestIssuer
) -> None:
    _, enterprise_id = documents.filing.new_enterprise_user()
    stored = await documents.store(owner=enterprise_id)
    officer = {"authorization": f"Bearer {issuer.token(roles=['CITY_OFFICER'])}"}
    response = await documents.client.get(f"/documents/{stored.document.id}", headers=officer)
    assert response.status_code == 200
    assert response.headers["etag"] == f'"{stored.document.sha256}"'
    for missing in (str(uuid.uuid4()), "not-a-uuid"):
        response = await documents.client.get(f"/documents/{missing}", headers=officer)
        assert response.status_code == 404
        assert response.json()["code"] == "NOT_FOUND"


async def test_the_document_entity_is_resolved_only_for_its_owner_and_officers(
    documents: Service, issuer: TestIssuer
) -> None:
    owner_account, enterprise_id = documents.filing.new_enterprise_user()
    other_account, _ = documents.filing.new_enterprise_user()
    stored = await documents.store(owner=enterprise_id, revision=3)
    document_id = str(stored.document.id)

    body = await graphql(
        documents.client, DOCUMENT, {"id": document_id}, token=issuer.token(owner_account)
    )
    assert body["data"]["document"] == {
        "id": document_id,
        "kind": stored.document.kind,
        "title": "涉外单位备案登记表",
        "url": f"http://documents.test/documents/{document_id}",
        "sha256": stored.document.sha256,
        "revision": 3,
        "createdAt": stored.document.created_at.isoformat(),
    }
    representations = [{"__typename": "Document", "id": document_id}]
    officer = issuer.token(roles=["BRANCH_OFFICER"], districts=["370202"])
    body = await graphql(documents.client, ENTITIES, {"r": representations}, token=officer)
    assert body["data"]["_entities"][0]["id"] == document_id

    body = await graphql(
        documents.client, DOCUMENT, {"id": document_id}, token=issuer.token(other_account)
    )
    assert error_code(body) == "NOT_FOUND"
    body = await graphql(
        documents.client, ENTITIES, {"r": representations}, token=issuer.token(other_account)
    )
    assert error_code(body) == "NOT_FOUND"
    body = await graphql(documents.client, DOCUMENT, {"id": document_id})
    assert error_code(body) == "UNAUTHENTICATED"


async def test_a_document_of_no_enterprise_is_readable_by_any_signed_in_account(
    documents: Service, issuer: TestIssuer
) -> None:
    stored = await documents.store(kind="QUESTION_BANK_STUDY", owner=None)
    body = await graphql(
        documents.client,
        DOCUMENT,
        {"id": str(stored.document.id)},
        token=issuer.token(str(uuid.uuid4())),
    )
    assert body["data"]["document"]["kind"] == "QUESTION_BANK_STUDY"


async def test_a_planned_token_printed_in_the_file_verifies_after_storing(
    documents: Service,
) -> None:
    service = documents.container.documents
    subject = str(uuid.uuid4())
    form = json.dumps({"enterprise": "青岛测试有限公司", "revision": 1}, ensure_ascii=False)
    planned = service.plan("FILING_APPLICATION_FORM", subject, 1, form.encode())
    # What a renderer does: print the verification URL (the QR code) into the PDF.
    rendered = f"%PDF-1.7\n% QR: {planned.verification_url}\n%%EOF\n".encode()
    async with documents.container.db.unit_of_work() as session:
        stored = await service.store_generated(
            session,
            "FILING_APPLICATION_FORM",
            subject,
            1,
            "涉外单位备案登记表",
            rendered,
            None,
            planned=planned,
        )
    assert stored.document.id == planned.id
    assert stored.token == planned.token
    assert stored.document.sha256 != stored.document.content_sha256
    body = await graphql(
        documents.client,
        "query($t: String!) { verifyDocument(token: $t) { genuine current } }",
        {"t": planned.token},
    )
    assert body["data"]["verifyDocument"] == {"genuine": True, "current": True}


async def test_a_stored_revision_is_returned_for_the_same_bytes_and_refused_for_others(
    documents: Service,
) -> None:
    subject, content = str(uuid.uuid4()), documents.pdf()
    first = await documents.store(subject_id=subject, content=content)
    again = await documents.store(subject_id=subject, content=content)
    assert again.document.id == first.document.id
    assert again.token == first.token
    with pytest.raises(RevisionAlreadyStored):
        await documents.store(subject_id=subject, content=documents.pdf())


async def test_storing_checks_its_input(documents: Service) -> None:
    with pytest.raises(ValidationFailed) as raised:
        await documents.store(kind="", revision=0, content=b"<html>not a pdf</html>")
    assert {field.path for field in raised.value.fields} == {"kind", "revision", "file"}


async def test_a_stored_document_is_published_once(documents: Service, broker: Broker) -> None:
    consumer = AIOKafkaConsumer(
        "documents.document.v1",
        bootstrap_servers=broker.bootstrap,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=20,
        group_id=f"test-{random.random()}",
    )
    await consumer.start()
    try:
        _, enterprise_id = documents.filing.new_enterprise_user()
        stored = await documents.store(owner=enterprise_id)
        await documents.store(
            subject_id=stored.document.subject_id,
            content=await documents.container.documents.storage.get(stored.document.storage_key),
        )
        key = str(stored.document.id).encode()
        seen: list[dict[str, object]] = []
        async with asyncio.timeout(15):
            while not seen:
                batch = await consumer.getmany(timeout_ms=500)
                for records in batch.values():
                    seen += [json.loads(r.value) for r in records if r.key == key]
        await asyncio.sleep(0.5)  # a duplicate would arrive meanwhile
        for records in (await consumer.getmany(timeout_ms=500)).values():
            seen += [json.loads(r.value) for r in records if r.key == key]
        assert len(seen) == 1
        event = seen[0]
        assert event["type"] == "documents.document.generated"
        assert event["source"] == "/services/documents"
        assert event["data"] == {
            "documentId": str(stored.document.id),
            "kind": stored.document.kind,
            "subjectId": stored.document.subject_id,
            "revision": 1,
            "title": "涉外单位备案登记表",
            "sha256": stored.document.sha256,
            "ownerEnterpriseId": enterprise_id,
            "createdAt": stored.document.created_at.isoformat(),
        }
    finally:
        await consumer.stop()
