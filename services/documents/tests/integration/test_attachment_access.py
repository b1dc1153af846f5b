"""Reading attachments outside GraphQL: signed, expiring download links (what `Attachment.url`
points to) and `documents.v1.Documents/GetAttachment` over real gRPC."""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import grpc
import pytest

from contracts.gen.documents.v1 import documents_pb2 as pb
from contracts.gen.documents.v1 import documents_pb2_grpc as pb_grpc
from devstack.testing import TestIssuer

from .uploads import image, pdf, upload

if TYPE_CHECKING:
    from conftest import Service


async def uploaded(
    documents: Service,
    issuer: TestIssuer,
    content: bytes,
    file_name: str,
    kind: str = "CHANGE_FORM",
) -> tuple[dict[str, str], str]:
    """(the attachment as the upload answered, its owner enterprise id)"""
    account, enterprise_id = documents.filing.new_enterprise_user()
    body = await upload(
        documents.client, content, token=issuer.token(account), file_name=file_name, kind=kind
    )
    return body["data"]["uploadAttachment"], enterprise_id


async def test_the_signed_url_streams_the_file_with_its_type_and_a_safe_file_name(
    documents: Service, issuer: TestIssuer
) -> None:
    content = pdf(pages=40)
    attachment, _ = await uploaded(documents, issuer, content, '变更申请表 "终版";.pdf')
    url = attachment["url"]
    query = parse_qs(urlsplit(url).query)
    expires = int(query["expires"][0])
    assert time.time() + 540 < expires <= time.time() + 600  # ten minutes by default

    response = await documents.client.get(url)  # no Authorization header: the link suffices
    assert response.status_code == 200
    assert response.content == content
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-length"] == str(len(content))
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "private, no-store"
    # Sent by httpx as browsers do (`"` as %22); kept as `变更申请表 _终版_;.pdf`.
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"attachment.pdf\"; filename*=UTF-8''"
        "%E5%8F%98%E6%9B%B4%E7%94%B3%E8%AF%B7%E8%A1%A8%20_%E7%BB%88%E7%89%88_%3B.pdf"
    )

    picture = image("PNG")
    png, _ = await uploaded(documents, issuer, picture, "照片.png", kind="LIAISON_ID_CARD")
    response = await documents.client.get(png["url"])
    assert (response.status_code, response.content) == (200, picture)
    assert response.headers["content-type"] == "image/png"


async def test_an_expired_or_tampered_link_is_refused_with_403(
    documents: Service, issuer: TestIssuer
) -> None:
    attachment, _ = await uploaded(documents, issuer, pdf(), "表.pdf")
    other, _ = await uploaded(documents, issuer, pdf(), "另一个.pdf")
    links = documents.container.attachments.links
    url = attachment["url"]
    path, query = urlsplit(url).path, parse_qs(urlsplit(url).query)
    expires, sig = query["expires"][0], query["sig"][0]
    flipped = ("A" if sig[0] != "A" else "B") + sig[1:]
    refused = {
        "expired": links.url_for(attachment["id"], now=time.time() - 601),
        "signature changed": f"{path}?expires={expires}&sig={flipped}",
        "expiry extended": f"{path}?expires={int(expires) + 3600}&sig={sig}",
        "other attachment": f"/attachments/{other['id']}?expires={expires}&sig={sig}",
        "no signature": f"{path}?expires={expires}",
        "no expiry": f"{path}?sig={sig}",
        "expiry not a number": f"{path}?expires=１２３&sig={sig}",
        "bare path": path,
    }
    for case, link in refused.items():
        response = await documents.client.get(link, headers={"accept-language": "en"})
        assert response.status_code == 403, case
        assert response.json() == {
            "code": "FORBIDDEN",
            "message": "The download link is invalid or expired; get a new one",
        }, case
    fresh = links.url_for(attachment["id"], now=time.time() - 590)  # nearly expired: still good
    assert (await documents.client.get(fresh)).status_code == 200


async def test_a_signed_link_to_an_attachment_that_does_not_exist_is_404(
    documents: Service,
) -> None:
    links = documents.container.attachments.links
    response = await documents.client.get(links.url_for(str(uuid.uuid4())))
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"


@pytest.fixture(scope="module")
async def documents_stub(documents: Service) -> pb_grpc.DocumentsStub:
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{documents.settings.grpc_port}")
    yield pb_grpc.DocumentsStub(channel)
    await channel.close()


async def test_get_attachment_answers_metadata_and_owner_over_grpc(
    documents: Service, issuer: TestIssuer, documents_stub: pb_grpc.DocumentsStub
) -> None:
    content = image("JPEG")
    attachment, enterprise_id = await uploaded(
        documents, issuer, content, "../社保证明.jpeg", kind="SOCIAL_SECURITY_PROOF"
    )
    reply = await documents_stub.GetAttachment(
        pb.GetAttachmentRequest(attachment_id=attachment["id"]), timeout=5
    )
    (uploader,) = [a for a, e in documents.filing.enterprise_of.items() if e.id == enterprise_id]
    assert reply == pb.Attachment(
        id=attachment["id"],
        kind="SOCIAL_SECURITY_PROOF",
        file_name="社保证明.jpeg",
        content_type="image/jpeg",
        size=len(content),
        sha256=attachment["sha256"],
        owner_enterprise_id=enterprise_id,
        uploaded_by=uploader,
    )  # no printed form (not a form kind), no owner account (the uploader has an enterprise)


@pytest.mark.parametrize("attachment_id", [str(uuid.uuid4()), "not-a-uuid", ""])
async def test_get_attachment_of_an_unknown_id_is_not_found(
    documents_stub: pb_grpc.DocumentsStub, attachment_id: str
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await documents_stub.GetAttachment(
            pb.GetAttachmentRequest(attachment_id=attachment_id), timeout=5
        )
    assert raised.value.code() == grpc.StatusCode.NOT_FOUND
