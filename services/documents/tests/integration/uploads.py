"""Multipart uploads (GraphQL multipart request spec) and sample files made on the spot."""

from __future__ import annotations

import io
import json
import uuid
from typing import Any

import httpx
from PIL import Image
from pypdf import PdfWriter

UPLOAD = """mutation($file: Upload!, $kind: AttachmentKind!) {
  uploadAttachment(file: $file, kind: $kind) {
    id kind fileName contentType size sha256 url createdAt } }"""

ATTACHMENT = """query($id: ID!) { attachment(id: $id) {
  id kind fileName contentType size sha256 url } }"""


def _operations(kind: str) -> tuple[str, str]:
    operations = json.dumps({"query": UPLOAD, "variables": {"file": None, "kind": kind}})
    return operations, json.dumps({"0": ["variables.file"]})


async def upload(
    client: httpx.AsyncClient,
    content: bytes,
    *,
    token: str | None,
    file_name: str = "营业执照.pdf",
    kind: str = "BUSINESS_LICENCE",
    path: str = "/graphql",
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An upload as browsers and GraphQL clients send it (httpx builds the multipart body)."""
    operations, mapping = _operations(kind)
    all_headers = dict(headers or {})
    if token:
        all_headers["authorization"] = f"Bearer {token}"
    response = await client.post(
        path,
        data={"operations": operations, "map": mapping},
        files={"0": (file_name, content, "application/octet-stream")},
        headers=all_headers,
    )
    body: dict[str, Any] = response.json()
    return body


async def upload_raw_name(
    client: httpx.AsyncClient, content: bytes, *, token: str, raw_file_name: bytes
) -> dict[str, Any]:
    """An upload whose multipart body is written by hand, so that the file name reaches the
    server byte for byte (httpx would percent-encode control characters such as NUL)."""
    operations, mapping = _operations("SUPPLEMENTARY")
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
        f"{operations}\r\n".encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{mapping}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="0"; filename="'.encode()
        + raw_file_name
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        + content
        + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    response = await client.post(
        "/graphql",
        content=b"".join(parts),
        headers={
            "content-type": f"multipart/form-data; boundary={boundary}",
            "authorization": f"Bearer {token}",
        },
    )
    body: dict[str, Any] = response.json()
    return body


def pdf(pages: int = 1, comment: bytes = b"") -> bytes:
    """A real PDF; every call gives different bytes. `comment` goes into a comment line after
    the trailer, where it moves no offset, so the file still parses."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": f"营业执照 {uuid.uuid4()}"})
    buffer = io.BytesIO()
    writer.write(buffer)
    content = buffer.getvalue()
    at = content.rindex(b"startxref")
    return content[:at] + (b"%" + comment + b"\n" if comment else b"") + content[at:]


def image(file_format: str, width: int = 64, height: int = 48) -> bytes:
    """A real PNG or JPEG; every call gives different bytes."""
    picture = Image.new("RGB", (width, height), color=tuple(uuid.uuid4().bytes[:3]))
    buffer = io.BytesIO()
    picture.save(buffer, file_format)
    return buffer.getvalue()


def fields_of(body: dict[str, Any]) -> list[dict[str, str]]:
    errors = body.get("errors") or [{}]
    fields: list[dict[str, str]] = errors[0].get("extensions", {}).get("fields", [])
    return fields
