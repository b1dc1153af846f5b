"""Printed forms uploaded again: the QR code of a form this system rendered (Render over real
gRPC) is read back from the PDF or a picture of it, verified, and kept on the attachment for
filing (GetAttachment); a form printed from a superseded revision is refused. Also documents and
attachments owned by an account that acts for no enterprise yet."""

from __future__ import annotations

import copy
import io
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import grpc
import pypdfium2
import pytest

from contracts.gen.documents.v1 import documents_pb2 as pb
from contracts.gen.documents.v1 import documents_pb2_grpc as pb_grpc
from devstack.testing import TestIssuer, error_code, graphql
from documents.attachments.printed import tokens_in
from documents.attachments.schemas import PDF
from documents.generated.models import Document
from documents.rendering.examples import EXAMPLES
from documents.rendering.page import Stamp
from documents.rendering.registry import TEMPLATES

from .uploads import ATTACHMENT, fields_of, pdf, upload

if TYPE_CHECKING:
    from conftest import Service

DOCUMENT = "query($id: ID!) { document(id: $id) { id kind revision } }"


@pytest.fixture(scope="module")
async def stub(documents: Service) -> AsyncIterator[pb_grpc.DocumentsStub]:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{documents.settings.grpc_port}") as channel:
        yield pb_grpc.DocumentsStub(channel)


async def render(
    stub: pb_grpc.DocumentsStub,
    subject: str,
    revision: int = 1,
    *,
    kind: str = "FILING_APPLICATION_FORM",
    enterprise: str = "",
    account: str = "",
    **data: Any,
) -> pb.Document:
    payload = copy.deepcopy(EXAMPLES[kind])
    payload.update(data)
    request = pb.RenderRequest(
        kind=kind,
        subject_id=subject,
        revision=revision,
        data_json=json.dumps(payload, ensure_ascii=False),
        owner_enterprise_id=enterprise,
        owner_account_id=account,
    )
    answer: pb.Document = await stub.Render(request, timeout=30)
    return answer


async def stored_pdf(documents: Service, answer: pb.Document) -> bytes:
    async with documents.container.db.unit_of_work() as session:
        document = await session.get(Document, uuid.UUID(answer.id))
    assert document is not None
    return await documents.container.storage.get(document.storage_key)


def picture_of(form: bytes, file_format: str, *, rotate: int = 0) -> bytes:
    """The first page as a scanner or phone would give it."""
    image = pypdfium2.PdfDocument(form)[0].render(scale=2).to_pil().convert("RGB")
    buffer = io.BytesIO()
    image.rotate(rotate, expand=True, fillcolor="white").save(buffer, file_format)
    return buffer.getvalue()


async def get_attachment(stub: pb_grpc.DocumentsStub, attachment_id: str) -> pb.Attachment:
    reply: pb.Attachment = await stub.GetAttachment(
        pb.GetAttachmentRequest(attachment_id=attachment_id), timeout=5
    )
    return reply


def printed(reply: pb.Attachment) -> tuple[str, str, int]:
    return reply.printed_kind, reply.printed_subject_id, reply.printed_revision


async def test_an_uploaded_printed_form_records_the_revision_its_qr_code_names(
    documents: Service, issuer: TestIssuer, stub: pb_grpc.DocumentsStub
) -> None:
    account, enterprise_id = documents.filing.new_enterprise_user()
    subject = str(uuid.uuid4())
    form = await stored_pdf(documents, await render(stub, subject, enterprise=enterprise_id))
    body = await upload(
        documents.client, form, token=issuer.token(account), kind="APPLICATION_FORM"
    )
    reply = await get_attachment(stub, body["data"]["uploadAttachment"]["id"])
    assert printed(reply) == ("FILING_APPLICATION_FORM", subject, 1)
    assert (reply.owner_enterprise_id, reply.uploaded_by, reply.owner_account_id) == (
        enterprise_id,
        account,
        "",
    )


@pytest.mark.parametrize(
    ("file_format", "rotate"), [("PNG", 0), ("JPEG", 90)], ids=["png-scan", "jpeg-photo-sideways"]
)
async def test_a_picture_of_a_printed_form_is_read_too(
    documents: Service,
    issuer: TestIssuer,
    stub: pb_grpc.DocumentsStub,
    file_format: str,
    rotate: int,
) -> None:
    account, enterprise_id = documents.filing.new_enterprise_user()
    subject = str(uuid.uuid4())
    answer = await render(stub, subject, kind="COMMITMENT_LETTER", enterprise=enterprise_id)
    picture = picture_of(await stored_pdf(documents, answer), file_format, rotate=rotate)
    body = await upload(
        documents.client,
        picture,
        token=issuer.token(account),
        file_name=f"承诺书.{file_format.lower()}",
        kind="COMMITMENT_LETTER",
    )
    reply = await get_attachment(stub, body["data"]["uploadAttachment"]["id"])
    assert printed(reply) == ("COMMITMENT_LETTER", subject, 1)


async def test_a_form_printed_from_a_superseded_revision_is_refused(
    documents: Service, issuer: TestIssuer, stub: pb_grpc.DocumentsStub
) -> None:
    account, enterprise_id = documents.filing.new_enterprise_user()
    subject = str(uuid.uuid4())
    first = await render(stub, subject, 1, enterprise=enterprise_id)
    old_form = await stored_pdf(documents, first)
    second = await render(stub, subject, 2, enterprise=enterprise_id)
    token = issuer.token(account)

    body = await upload(documents.client, old_form, token=token, kind="APPLICATION_FORM")
    assert error_code(body) == "VALIDATION_FAILED", body
    assert fields_of(body) == [
        {
            "path": "file",
            "message": "该表格打印自第1版，已有第2版，请下载最新版本打印后上传",
        }
    ]
    english = await upload(
        documents.client,
        picture_of(old_form, "PNG"),
        token=token,
        kind="APPLICATION_FORM",
        headers={"accept-language": "en"},
    )
    assert fields_of(english) == [
        {
            "path": "file",
            "message": "This form was printed from revision 1; revision 2 exists. "
            "Download the latest form, print it and upload it again",
        }
    ]

    latest = await upload(
        documents.client, await stored_pdf(documents, second), token=token, kind="CHANGE_FORM"
    )
    reply = await get_attachment(stub, latest["data"]["uploadAttachment"]["id"])
    assert printed(reply) == ("FILING_APPLICATION_FORM", subject, 2)


async def test_a_form_without_a_genuine_qr_code_is_stored_without_a_printed_form(
    documents: Service, issuer: TestIssuer, stub: pb_grpc.DocumentsStub
) -> None:
    """Filing decides what such a form is worth; here it is only not a printed form."""
    account, _ = documents.filing.new_enterprise_user()
    genuine = await stored_pdf(documents, await render(stub, str(uuid.uuid4())))
    (token,) = tokens_in(genuine, PDF)
    tampered = token[:100] + ("A" if token[100] != "A" else "B") + token[101:]
    cases = {
        "plain PDF": (pdf(), "APPLICATION_FORM"),
        "blank PNG": (picture_of(pdf(), "PNG"), "CHANGE_FORM"),
        "tampered token": (form_with_qr(documents, tampered), "APPLICATION_FORM"),
        "made-up token": (form_with_qr(documents, "made-up"), "COMMITMENT_LETTER"),
        "a genuine form uploaded as another kind of file": (genuine, "SUPPLEMENTARY"),
    }
    for case, (content, kind) in cases.items():
        body = await upload(documents.client, content, token=issuer.token(account), kind=kind)
        assert "errors" not in body, (case, body)
        reply = await get_attachment(stub, body["data"]["uploadAttachment"]["id"])
        assert printed(reply) == ("", "", 0), case


def form_with_qr(documents: Service, token: str) -> bytes:
    """A real form whose QR code carries `token`, as a forger would print it."""
    template = TEMPLATES["FILING_APPLICATION_FORM"]
    stamp = Stamp(
        document_id=uuid.uuid4(),
        revision=1,
        generated_at=datetime.now(UTC).replace(microsecond=0),
        zone=ZoneInfo("Asia/Shanghai"),
        verification_url=f"{documents.settings.public_url}/verify/{token}",
    )
    data = template.model.model_validate(EXAMPLES["FILING_APPLICATION_FORM"])
    return template.render(data, stamp)


async def test_an_account_without_an_enterprise_reads_its_own_form_and_uploads_it_signed(
    documents: Service, issuer: TestIssuer, stub: pb_grpc.DocumentsStub
) -> None:
    """附件3 way b: a new liaison of an already filed enterprise is not its member until filing
    accepts them, yet must download, print and upload their application form."""
    liaison = str(uuid.uuid4())
    subject = str(uuid.uuid4())
    answer = await render(stub, subject, account=liaison)
    liaison_token = issuer.token(liaison)
    others = [
        issuer.token(str(uuid.uuid4())),
        issuer.token(documents.filing.new_enterprise_user()[0]),
    ]
    officer = issuer.token(roles=["BRANCH_OFFICER"], districts=["370202"])

    path = f"/documents/{answer.id}"
    response = await documents.client.get(
        path, headers={"authorization": f"Bearer {liaison_token}"}
    )
    assert response.status_code == 200
    form = response.content
    for token in (liaison_token, officer):
        body = await graphql(documents.client, DOCUMENT, {"id": answer.id}, token=token)
        assert body["data"]["document"] == {"id": answer.id, "kind": answer.kind, "revision": 1}
    for token in others:  # as for any document one may not read: it does not exist for them
        body = await graphql(documents.client, DOCUMENT, {"id": answer.id}, token=token)
        assert error_code(body) == "NOT_FOUND"
        response = await documents.client.get(path, headers={"authorization": f"Bearer {token}"})
        assert response.status_code == 404

    body = await upload(documents.client, form, token=liaison_token, kind="APPLICATION_FORM")
    attachment_id = body["data"]["uploadAttachment"]["id"]
    reply = await get_attachment(stub, attachment_id)
    assert printed(reply) == ("FILING_APPLICATION_FORM", subject, 1)
    assert (reply.owner_account_id, reply.owner_enterprise_id, reply.uploaded_by) == (
        liaison,
        "",
        liaison,
    )
    variables = {"id": attachment_id}
    for token in (liaison_token, officer):
        body = await graphql(documents.client, ATTACHMENT, variables, token=token)
        assert body["data"]["attachment"]["id"] == attachment_id
    for token in others:
        body = await graphql(documents.client, ATTACHMENT, variables, token=token)
        assert error_code(body) == "FORBIDDEN"


async def test_a_document_of_an_enterprise_and_an_account_is_readable_by_both(
    documents: Service, issuer: TestIssuer, stub: pb_grpc.DocumentsStub
) -> None:
    member, enterprise_id = documents.filing.new_enterprise_user()
    newcomer = str(uuid.uuid4())
    answer = await render(stub, str(uuid.uuid4()), enterprise=enterprise_id, account=newcomer)
    for account in (member, newcomer):
        body = await graphql(
            documents.client, DOCUMENT, {"id": answer.id}, token=issuer.token(account)
        )
        assert body["data"]["document"]["id"] == answer.id, account
    stranger = issuer.token(str(uuid.uuid4()))
    body = await graphql(documents.client, DOCUMENT, {"id": answer.id}, token=stranger)
    assert error_code(body) == "NOT_FOUND"
