"""Attachment downloads by signed, expiring link (what `Attachment.url` points to).

The file is streamed with the content type detected at upload and always as a download
(`Content-Disposition: attachment`): uploads are untrusted content and must not render in this
service's origin."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.responses import StreamingResponse

from documents.web.routes import _error  # one JSON error shape for every route
from servicekit.errors import AppError

if TYPE_CHECKING:
    from documents.inject import Container

_NOT_TOKEN = re.compile(r"[^A-Za-z0-9._-]")


def content_disposition(file_name: str) -> str:
    """RFC 6266 with an RFC 5987 `filename*` (UTF-8, percent-encoded) for the real name and a
    plain ASCII `filename` for old clients."""
    stem, dot, extension = file_name.rpartition(".")
    fallback = _NOT_TOKEN.sub("_", stem if dot else file_name).strip("._") or "attachment"
    fallback = f"{fallback}.{_NOT_TOKEN.sub('_', extension)}" if dot else fallback
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"


def mount_attachment_routes(app: FastAPI, container: Container) -> None:
    @app.get("/attachments/{attachment_id}", include_in_schema=False)
    async def download_attachment(attachment_id: str, request: Request) -> Response:
        query = request.query_params
        try:
            async with container.db.unit_of_work() as session:
                attachment, chunks = await container.attachments.open_signed(
                    session, attachment_id, query.get("expires"), query.get("sig")
                )
        except AppError as exc:
            return _error(exc, request)
        return StreamingResponse(
            chunks,
            media_type=attachment.content_type,
            headers={
                "Content-Disposition": content_disposition(attachment.file_name),
                "Content-Length": str(attachment.size),
                "Cache-Control": "private, no-store",
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'; sandbox",
                "Referrer-Policy": "no-referrer",
                "ETag": f'"{attachment.sha256}"',
            },
        )
