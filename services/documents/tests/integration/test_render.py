"""documents.v1.Documents/Render over real gRPC and PostgreSQL: the stored PDF's QR code opens a
verification that says genuine and current; Render is idempotent; bad data is INVALID_ARGUMENT
with every field's path."""

from __future__ import annotations

import asyncio
import copy
import hashlib
import io
import json
import uuid
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import grpc
import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader
from sqlalchemy import func, select

from contracts.gen.documents.v1 import documents_pb2 as pb
from contracts.gen.documents.v1 import documents_pb2_grpc as pb_grpc
from devstack.testing import graphql
from documents.db import outbox
from documents.generated.models import Document
from documents.rendering.examples import EXAMPLES

if TYPE_CHECKING:
    from conftest import Service

VERIFY = """query($t: String!) {
  verifyDocument(token: $t) { genuine kind subjectId revision current } }"""


@pytest.fixture
async def stub(documents: Service) -> AsyncIterator[pb_grpc.DocumentsStub]:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{documents.settings.grpc_port}") as channel:
        yield pb_grpc.DocumentsStub(channel)


def request(kind: str, subject: str, revision: int = 1, **data: Any) -> pb.RenderRequest:
    payload = copy.deepcopy(EXAMPLES[kind])
    payload.update(data)
    return pb.RenderRequest(
        kind=kind,
        subject_id=subject,
        revision=revision,
        data_json=json.dumps(payload, ensure_ascii=False),
        owner_enterprise_id=str(uuid.uuid4()),
    )


async def stored_pdf(documents: Service, answer: pb.Document) -> bytes:
    async with documents.container.db.unit_of_work() as session:
        document = await session.get(Document, uuid.UUID(answer.id))
    assert document is not None
    return await documents.container.storage.get(document.storage_key)


def scanned_token(pdf: bytes) -> str:
    """What a phone reads from the printed page: the token at the end of the QR code's URL."""
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=2).to_pil()
    prefix = "http://documents.test/verify/"
    # zxing may also report a false 1-D barcode in the form's text; the QR code is the one with
    # the verification URL, and there is exactly one.
    (text,) = [code.text for code in zxingcpp.read_barcodes(image) if code.text.startswith(prefix)]
    return text.removeprefix(prefix)


async def verify(documents: Service, token: str) -> dict[str, Any]:
    body = await graphql(documents.client, VERIFY, {"t": token})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["verifyDocument"]
    return result


async def test_a_rendered_form_is_stored_and_its_qr_code_verifies_as_genuine_and_current(
    documents: Service, stub: pb_grpc.DocumentsStub
) -> None:
    subject = str(uuid.uuid4())
    answer = await stub.Render(request("FILING_APPLICATION_FORM", subject), timeout=30)
    assert (answer.kind, answer.revision) == ("FILING_APPLICATION_FORM", 1)
    assert answer.title == "涉外单位备案申请表"
    pdf = await stored_pdf(documents, answer)
    assert hashlib.sha256(pdf).hexdigest() == answer.sha256
    text = "".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "青岛海㵘国际贸易有限公司" in text
    assert answer.id in text
    token = scanned_token(pdf)
    assert len(token) == 138
    assert await verify(documents, token) == {
        "genuine": True,
        "kind": "FILING_APPLICATION_FORM",
        "subjectId": subject,
        "revision": 1,
        "current": True,
    }
    page = await documents.client.get(f"/verify/{token}")
    assert "真实有效" in page.text


async def test_render_is_idempotent_for_the_same_kind_subject_and_revision(
    documents: Service, stub: pb_grpc.DocumentsStub
) -> None:
    subject = str(uuid.uuid4())
    first = await stub.Render(request("COMMITMENT_LETTER", subject), timeout=30)
    again = await stub.Render(request("COMMITMENT_LETTER", subject), timeout=30)
    assert again == first
    concurrent_subject = str(uuid.uuid4())
    answers = await asyncio.gather(
        *(
            stub.Render(request("APPOINTMENT_SLIP", concurrent_subject), timeout=30)
            for _ in range(4)
        )
    )
    assert len({answer.id for answer in answers}) == 1
    async with documents.container.db.unit_of_work() as session:
        rows = await session.scalar(
            select(func.count())
            .select_from(Document)
            .where(Document.subject_id.in_([subject, concurrent_subject]))
        )
        events = await session.scalar(
            select(func.count())
            .select_from(outbox)
            .where(outbox.c.key.in_([first.id, answers[0].id]))
        )
    assert rows == 2
    assert events == 2, "one documents.document.generated event per stored document"


async def test_a_new_revision_makes_the_old_paper_superseded(
    documents: Service, stub: pb_grpc.DocumentsStub
) -> None:
    subject = str(uuid.uuid4())
    first = await stub.Render(request("LICENCE_APPLICATION_FORM", subject, 1), timeout=30)
    old_token = scanned_token(await stored_pdf(documents, first))
    second = await stub.Render(
        request("LICENCE_APPLICATION_FORM", subject, 2, exit_entry_opinion="同意。"), timeout=30
    )
    new_token = scanned_token(await stored_pdf(documents, second))
    assert old_token != new_token
    old, new = await verify(documents, old_token), await verify(documents, new_token)
    assert (old["genuine"], old["current"], old["revision"]) == (True, False, 1)
    assert (new["genuine"], new["current"], new["revision"]) == (True, True, 2)


async def test_a_study_document_has_no_qr_code_and_belongs_to_no_enterprise(
    documents: Service, stub: pb_grpc.DocumentsStub
) -> None:
    render = request("QUESTION_BANK_STUDY", str(uuid.uuid4()))
    render.owner_enterprise_id = ""
    answer = await stub.Render(render, timeout=30)
    pdf = await stored_pdf(documents, answer)
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 1
    assert zxingcpp.read_barcodes(pypdfium2.PdfDocument(pdf)[0].render(scale=2).to_pil()) == []
    async with documents.container.db.unit_of_work() as session:
        document = await session.get(Document, uuid.UUID(answer.id))
    assert document is not None
    assert document.owner_enterprise_id is None


async def test_bad_data_is_invalid_argument_naming_every_field_and_stores_nothing(
    documents: Service, stub: pb_grpc.DocumentsStub
) -> None:
    subject = str(uuid.uuid4())
    data = copy.deepcopy(EXAMPLES["FILING_APPLICATION_FORM"])
    del data["enterprise"]["uscc"]
    data["liaisons"][0]["sex"] = "X"
    bad = pb.RenderRequest(
        kind="FILING_APPLICATION_FORM", subject_id=subject, revision=1, data_json=json.dumps(data)
    )
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await stub.Render(bad, timeout=30)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    details = json.loads(raised.value.details() or "")
    assert details["code"] == "VALIDATION_FAILED"
    paths = {field["path"]: field["messageZh"] for field in details["fields"]}
    assert paths == {
        "data.enterprise.uscc": "缺少必填项",
        "data.liaisons.0.sex": "取值不在允许范围内",
    }
    for wrong, field in [
        (pb.RenderRequest(kind="VISA", subject_id=subject, revision=1, data_json="{}"), "kind"),
        (request("COMMITMENT_LETTER", subject, revision=0), "revision"),
        (request("COMMITMENT_LETTER", ""), "subjectId"),
    ]:
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await stub.Render(wrong, timeout=30)
        assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert field in {f["path"] for f in json.loads(raised.value.details() or "")["fields"]}
    async with documents.container.db.unit_of_work() as session:
        stored = await session.scalar(
            select(func.count()).select_from(Document).where(Document.subject_id == subject)
        )
    assert stored == 0
