"""Uploading an attachment through the gateway (GraphQL multipart request spec) and downloading
it by the signed link the upload answers."""

from __future__ import annotations

import hashlib
import io
import json
import random

import httpx
from pypdf import PdfWriter

from devstack.testing import error_code

from .test_slice import ask, filing_input, save_until_linked, signed_up_and_approved

UPLOAD = """mutation($file: Upload!, $kind: AttachmentKind!) {
  uploadAttachment(file: $file, kind: $kind) { id kind fileName contentType size sha256 url } }"""


def licence_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": f"营业执照 {random.random()}"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


async def test_an_enterprise_user_uploads_through_the_gateway_and_downloads_by_signed_link(
    gateway: httpx.AsyncClient,
) -> None:
    phone, token = await signed_up_and_approved(gateway)
    await save_until_linked(gateway, token, filing_input(phone, random.randint(10**6, 10**9)))
    content = licence_pdf()

    response = await gateway.post(
        "/graphql",
        data={
            "operations": json.dumps(
                {"query": UPLOAD, "variables": {"file": None, "kind": "BUSINESS_LICENCE"}}
            ),
            "map": json.dumps({"0": ["variables.file"]}),
        },
        files={"0": ("../营业执照副本.pdf", content, "application/pdf")},
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    attachment = response.json()["data"]["uploadAttachment"]
    assert attachment["fileName"] == "营业执照副本.pdf"
    assert attachment["contentType"] == "application/pdf"
    assert attachment["size"] == len(content)
    assert attachment["sha256"] == hashlib.sha256(content).hexdigest()

    async with httpx.AsyncClient(timeout=10) as browser:  # no Authorization: the link suffices
        download = await browser.get(attachment["url"])
        assert download.status_code == 200
        assert download.content == content
        assert download.headers["content-type"] == "application/pdf"
        tampered = await browser.get(attachment["url"].replace("expires=", "expires=1"))
        assert tampered.status_code == 403

    mine = await ask(
        gateway,
        "query($id: ID!) { attachment(id: $id) { sha256 } }",
        {"id": attachment["id"]},
        token,
    )
    assert mine["data"]["attachment"]["sha256"] == attachment["sha256"]
    _, stranger = await signed_up_and_approved(gateway)  # an account of no enterprise
    theirs = await ask(
        gateway,
        "query($id: ID!) { attachment(id: $id) { sha256 } }",
        {"id": attachment["id"]},
        stranger,
    )
    assert error_code(theirs) == "FORBIDDEN"
