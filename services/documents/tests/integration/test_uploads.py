"""Uploads through the documents subgraph with real multipart requests: what is accepted (by
content, not by name), who may upload and read, one blob per content, the virus-scan hook, and
the `documents.attachment.stored` event."""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import jsonschema
import pytest
from aiokafka import AIOKafkaConsumer

from devstack.infra import Broker
from devstack.stack import ROOT
from devstack.testing import TestIssuer, error_code, graphql

from .uploads import ATTACHMENT, fields_of, image, pdf, upload, upload_raw_name

if TYPE_CHECKING:
    from conftest import Service

MIB = 1024 * 1024


def blobs_named(service: Service, sha256: str) -> list[Path]:
    return [p for p in service.settings.storage_dir.rglob(sha256) if p.is_file()]


@pytest.mark.parametrize(
    ("file_name", "content_type", "make"),
    [
        ("营业执照副本.pdf", "application/pdf", lambda: pdf(pages=3)),
        ("联络员身份证.png", "image/png", lambda: image("PNG")),
        ("社保证明.JPG", "image/jpeg", lambda: image("JPEG", 1200, 900)),
    ],
)
async def test_a_pdf_png_or_jpeg_of_an_enterprise_user_is_stored_for_its_enterprise(
    documents: Service, issuer: TestIssuer, file_name: str, content_type: str, make: object
) -> None:
    account, enterprise_id = documents.filing.new_enterprise_user()
    content = make()  # type: ignore[operator]
    body = await upload(documents.client, content, token=issuer.token(account), file_name=file_name)
    attachment = body["data"]["uploadAttachment"]
    sha256 = hashlib.sha256(content).hexdigest()
    assert attachment["kind"] == "BUSINESS_LICENCE"
    assert attachment["contentType"] == content_type
    assert attachment["size"] == len(content)
    assert attachment["sha256"] == sha256
    assert attachment["fileName"] == file_name.replace(".JPG", ".jpg")
    assert attachment["url"].startswith(f"http://documents.test/attachments/{attachment['id']}?")
    assert [p.read_bytes() for p in blobs_named(documents, sha256)] == [content]
    async with documents.container.db.unit_of_work() as session:
        stored = await documents.container.attachments.for_service(session, attachment["id"])
    assert stored.owner_enterprise_id == enterprise_id


@pytest.mark.parametrize(
    ("file_name", "content", "message"),
    [
        ("伪装.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200), "Only PDF, JPEG and PNG"),
        ("page.png", b"<html><script>alert(1)</script></html>", "Only PDF, JPEG and PNG"),
        ("动画.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "Only PDF, JPEG and PNG"),
        ("empty.pdf", b"", "empty"),
        ("cut.pdf", pdf(pages=4)[:-300], "damaged or incomplete"),
        ("no-body.pdf", b"%PDF-1.7\n%%EOF\n", "damaged or incomplete"),
        ("cut.png", image("PNG", 300, 300)[:120], "damaged or incomplete"),
        ("cut.jpg", image("JPEG", 300, 300)[:400], "damaged or incomplete"),
        ("wide.png", image("PNG", 10_001, 2), "too large"),
    ],
)
async def test_a_file_that_is_not_a_sound_pdf_png_or_jpeg_is_refused_and_not_stored(
    documents: Service, issuer: TestIssuer, file_name: str, content: bytes, message: str
) -> None:
    account, _ = documents.filing.new_enterprise_user()
    body = await upload(
        documents.client,
        content,
        token=issuer.token(account),
        file_name=file_name,
        headers={"accept-language": "en"},
    )
    assert error_code(body) == "VALIDATION_FAILED", body
    [field] = fields_of(body)
    assert field["path"] == "file"
    assert message in field["message"]
    assert not blobs_named(documents, hashlib.sha256(content).hexdigest())


async def test_a_file_over_the_size_limit_is_refused_with_a_chinese_message(
    documents: Service, issuer: TestIssuer
) -> None:
    account, _ = documents.filing.new_enterprise_user()
    assert documents.settings.attachment_max_bytes == 10 * MIB
    small = pdf()
    tail = small.rindex(b"%%EOF")
    oversize = small[:tail] + b"%" + b"x" * (10 * MIB - len(small)) + b"\n" + small[tail:]
    assert len(oversize) > 10 * MIB
    body = await upload(documents.client, oversize, token=issuer.token(account))
    assert error_code(body) == "VALIDATION_FAILED"
    assert fields_of(body) == [{"path": "file", "message": "文件过大，不能超过 10 MB"}]


async def test_path_tricks_control_characters_and_long_names_are_sanitised(
    documents: Service, issuer: TestIssuer
) -> None:
    token = issuer.token(documents.filing.new_enterprise_user()[0])
    cases = {
        b"../../etc/passwd.pdf": "passwd.pdf",
        b"..\\..\\Windows\\win.ini": "win.ini.pdf",
        "营业\x00执照\x07.pdf".encode(): "营业执照.pdf",
        b"/tmp/.hidden.pdf": "hidden.pdf",
        "发票\u202egnp.exe".encode(): "发票gnp.exe.pdf",  # right-to-left override removed
        ("很长的文件名" * 60 + ".pdf").encode(): ("很长的文件名" * 60)[:116] + ".pdf",
    }
    for raw, expected in cases.items():
        body = await upload_raw_name(documents.client, pdf(), token=token, raw_file_name=raw)
        assert body["data"]["uploadAttachment"]["fileName"] == expected, raw
    assert len(expected) == documents.settings.attachment_max_file_name_length


async def test_the_same_bytes_uploaded_twice_are_two_attachments_over_one_blob(
    documents: Service, issuer: TestIssuer
) -> None:
    token = issuer.token(documents.filing.new_enterprise_user()[0])
    content = pdf()
    first = await upload(documents.client, content, token=token, file_name="一.pdf")
    second = await upload(documents.client, content, token=token, file_name="二.pdf")
    a, b = first["data"]["uploadAttachment"], second["data"]["uploadAttachment"]
    assert a["id"] != b["id"]
    assert a["sha256"] == b["sha256"] == hashlib.sha256(content).hexdigest()
    assert (a["fileName"], b["fileName"]) == ("一.pdf", "二.pdf")
    assert len(blobs_named(documents, a["sha256"])) == 1
    async with documents.container.db.unit_of_work() as session:
        rows = [await documents.container.attachments.for_service(session, x["id"]) for x in (a, b)]
    assert rows[0].storage_key == rows[1].storage_key


async def test_a_file_the_virus_scanner_flags_is_refused_and_nothing_is_stored(
    documents: Service, issuer: TestIssuer
) -> None:
    token = issuer.token(documents.filing.new_enterprise_user()[0])
    infected = pdf(comment=b"X5O!P%@AP[4 EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*")
    scanner = documents.container.attachments.scanner
    before = scanner.scanned
    body = await upload(documents.client, infected, token=token)
    assert scanner.scanned == before + 1
    assert error_code(body) == "VALIDATION_FAILED"
    assert fields_of(body) == [
        {"path": "file", "message": "文件未通过安全检查（疑似病毒），未保存"}
    ]
    assert not blobs_named(documents, hashlib.sha256(infected).hexdigest())
    clean = await upload(documents.client, pdf(), token=token)
    assert clean["data"]["uploadAttachment"]["id"]


async def test_only_enterprise_users_and_officers_may_upload(
    documents: Service, issuer: TestIssuer
) -> None:
    anonymous = await upload(documents.client, pdf(), token=None)
    assert error_code(anonymous) == "UNAUTHENTICATED"
    no_role = await upload(documents.client, pdf(), token=issuer.token(roles=["NOBODY"]))
    assert error_code(no_role) == "FORBIDDEN"
    officer = await upload(
        documents.client, pdf(), token=issuer.token(roles=["CITY_OFFICER"]), kind="SUPPLEMENTARY"
    )
    assert officer["data"]["uploadAttachment"]["kind"] == "SUPPLEMENTARY"


async def test_an_enterprise_user_without_an_enterprise_uploads_for_their_own_account(
    documents: Service, issuer: TestIssuer
) -> None:
    """A new liaison taking over a filed enterprise uploads its forms before filing makes it a
    member: the file is theirs alone (and officers') until then."""
    account = str(uuid.uuid4())
    body = await upload(documents.client, pdf(), token=issuer.token(account))
    attachment_id = body["data"]["uploadAttachment"]["id"]
    async with documents.container.db.unit_of_work() as session:
        stored = await documents.container.attachments.for_service(session, attachment_id)
    assert (stored.owner_account_id, stored.owner_enterprise_id) == (account, None)
    assert stored.uploaded_by == account

    variables = {"id": attachment_id}
    mine = await graphql(documents.client, ATTACHMENT, variables, token=issuer.token(account))
    assert mine["data"]["attachment"]["id"] == attachment_id
    officer = issuer.token(roles=["BRANCH_OFFICER"], districts=["370202"])
    assert (await graphql(documents.client, ATTACHMENT, variables, token=officer))["data"]
    for other in (str(uuid.uuid4()), documents.filing.new_enterprise_user()[0]):
        theirs = await graphql(documents.client, ATTACHMENT, variables, token=issuer.token(other))
        assert error_code(theirs) == "FORBIDDEN"
        assert theirs["data"] is None


async def test_only_the_owner_enterprise_and_officers_may_read_an_attachment(
    documents: Service, issuer: TestIssuer
) -> None:
    owner, _ = documents.filing.new_enterprise_user()
    other, _ = documents.filing.new_enterprise_user()
    uploaded = await upload(documents.client, pdf(), token=issuer.token(owner))
    attachment_id = uploaded["data"]["uploadAttachment"]["id"]
    variables = {"id": attachment_id}

    mine = await graphql(documents.client, ATTACHMENT, variables, token=issuer.token(owner))
    assert mine["data"]["attachment"]["sha256"] == uploaded["data"]["uploadAttachment"]["sha256"]
    officer = issuer.token(roles=["BRANCH_OFFICER"], districts=["370202"])
    assert (await graphql(documents.client, ATTACHMENT, variables, token=officer))["data"]

    theirs = await graphql(documents.client, ATTACHMENT, variables, token=issuer.token(other))
    assert error_code(theirs) == "FORBIDDEN"
    assert theirs["data"] is None
    entities = """query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Attachment { id url } } }"""
    representations = [{"__typename": "Attachment", "id": attachment_id}]
    body = await graphql(
        documents.client, entities, {"r": representations}, token=issuer.token(other)
    )
    assert error_code(body) == "FORBIDDEN"
    body = await graphql(documents.client, entities, {"r": representations}, token=officer)
    assert body["data"]["_entities"][0]["id"] == attachment_id

    for missing in (str(uuid.uuid4()), "not-an-id"):
        body = await graphql(documents.client, ATTACHMENT, {"id": missing}, token=officer)
        assert error_code(body) == "NOT_FOUND"
    assert error_code(await graphql(documents.client, ATTACHMENT, variables)) == "UNAUTHENTICATED"


async def test_an_officers_upload_is_readable_by_officers_only(
    documents: Service, issuer: TestIssuer
) -> None:
    officer = issuer.token(roles=["CITY_OFFICER"])
    uploaded = await upload(documents.client, image("PNG"), token=officer, file_name="scan.png")
    variables = {"id": uploaded["data"]["uploadAttachment"]["id"]}
    user = issuer.token(documents.filing.new_enterprise_user()[0])
    assert error_code(await graphql(documents.client, ATTACHMENT, variables, token=user)) == (
        "FORBIDDEN"
    )
    labour = issuer.token(roles=["LABOUR_OFFICER"])
    assert (await graphql(documents.client, ATTACHMENT, variables, token=labour))["data"]


async def test_a_stored_attachment_is_published_once_without_its_file_name(
    documents: Service, issuer: TestIssuer, broker: Broker
) -> None:
    consumer = AIOKafkaConsumer(
        "documents.attachment.v1",
        bootstrap_servers=broker.bootstrap,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=20,
        group_id=f"test-{random.random()}",
    )
    await consumer.start()
    try:
        account, enterprise_id = documents.filing.new_enterprise_user()
        body = await upload(
            documents.client, image("JPEG"), token=issuer.token(account), kind="LIAISON_ID_CARD"
        )
        attachment = body["data"]["uploadAttachment"]
        key = attachment["id"].encode()
        seen: list[dict[str, object]] = []
        async with asyncio.timeout(15):
            while not seen:
                for records in (await consumer.getmany(timeout_ms=500)).values():
                    seen += [json.loads(r.value) for r in records if r.key == key]
        await asyncio.sleep(0.5)  # a duplicate would arrive meanwhile
        for records in (await consumer.getmany(timeout_ms=500)).values():
            seen += [json.loads(r.value) for r in records if r.key == key]
    finally:
        await consumer.stop()
    assert len(seen) == 1
    event = seen[0]
    assert event["type"] == "documents.attachment.stored"
    assert event["subject"] == attachment["id"]
    assert event["data"] == {
        "attachmentId": attachment["id"],
        "kind": "LIAISON_ID_CARD",
        "sha256": attachment["sha256"],
        "size": attachment["size"],
        "contentType": "image/jpeg",
        "ownerEnterpriseId": enterprise_id,
        "storedAt": attachment["createdAt"],
    }
    schema_path = ROOT / "contracts" / "events" / "documents.attachment.stored.schema.json"
    jsonschema.validate(event["data"], json.loads(schema_path.read_text()))
