"""Plain HTTP routes beside the GraphQL subgraph: the public verify page (what a QR code opens)
and file downloads for signed-in owners and officers (what `Document.url` points to)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from documents.web.clients import client_of
from documents.web.verify_page import PAGE_HEADERS, render_page
from servicekit.auth import bearer_token
from servicekit.errors import AppError, ErrorCode, Unauthenticated

if TYPE_CHECKING:
    from documents.inject import Container

STATUS_OF = {
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.VALIDATION_FAILED: 400,
}


def _error(exc: AppError, request: Request) -> JSONResponse:
    language = "en" if request.headers.get("accept-language", "").lower().startswith("en") else "zh"
    headers = {"WWW-Authenticate": "Bearer"} if exc.code == ErrorCode.UNAUTHENTICATED else None
    return JSONResponse(
        {"code": exc.code.value, "message": exc.message.in_language(language)},
        status_code=STATUS_OF.get(exc.code, 500),
        headers=headers,
    )


def _content_disposition(title: str, document_id: str) -> str:
    return (
        f'inline; filename="document-{document_id}.pdf"; '
        f"filename*=UTF-8''{quote(title + '.pdf', safe='')}"
    )


def mount_routes(app: FastAPI, container: Container) -> None:
    zone = ZoneInfo(container.settings.display_timezone)

    async def verify_page(token: str | None, request: Request) -> HTMLResponse:
        if not token:
            return HTMLResponse(render_page(None, zone), status_code=400, headers=PAGE_HEADERS)
        async with container.db.unit_of_work() as session:
            result = await container.verifications.verify(session, token, client_of(request))
        return HTMLResponse(render_page(result, zone), headers=PAGE_HEADERS)

    @app.get("/verify/{token}", include_in_schema=False)
    async def verify_in_path(token: str, request: Request) -> HTMLResponse:
        return await verify_page(token, request)

    @app.get("/verify", include_in_schema=False)
    async def verify_in_query(request: Request, token: str | None = None) -> HTMLResponse:
        return await verify_page(token, request)

    @app.get("/documents/{document_id}", include_in_schema=False)
    async def download(document_id: str, request: Request) -> Response:
        try:
            token = bearer_token(request.headers.get("authorization"))
            if token is None:
                raise Unauthenticated()
            actor = await container.verifier.verify(token)
            async with container.db.unit_of_work() as session:
                document, content = await container.documents.download(session, actor, document_id)
        except AppError as exc:
            return _error(exc, request)
        return Response(
            content,
            media_type="application/pdf",
            headers={
                "Content-Disposition": _content_disposition(document.title, str(document.id)),
                "Cache-Control": "private, no-store",
                "X-Content-Type-Options": "nosniff",
                "ETag": f'"{document.sha256}"',
            },
        )
