"""Rendering a document for another service: check the data against the kind's model, return the
revision already stored (Render is idempotent), otherwise plan the document (its id and token),
render it with the token's URL in the QR code, and store it.

The token certifies the canonical content (kind, subject, revision and the validated data as
JSON), not the PDF bytes: the PDF prints the token, so it cannot contain its own hash.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from documents.errors import RevisionAlreadyStored
from documents.generated.schemas import StoredDocument
from documents.generated.service import GeneratedDocuments
from documents.rendering.models import FormData
from documents.rendering.page import Stamp
from documents.rendering.registry import TEMPLATES, Template
from servicekit.db import Database
from servicekit.errors import FieldErrors, ValidationFailed

log = logging.getLogger(__name__)

MAX_DATA_JSON = 2_000_000  # characters; the largest real input is a question bank of ~1,000

# Chinese messages for pydantic's error types (the English one is pydantic's own message).
_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不允许的字段",
    "string_too_short": "不能为空",
    "string_too_long": "内容过长",
    "string_pattern_mismatch": "格式不正确",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "literal_error": "取值不在允许范围内",
    "date_from_datetime_parsing": "日期格式不正确",
    "date_parsing": "日期格式不正确",
    "date_type": "日期格式不正确",
    "time_parsing": "时间格式不正确",
    "list_type": "应为列表",
    "too_short": "数量不足",
    "too_long": "数量过多",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "model_type": "应为对象",
    "value_error": "数据前后不一致",
}


@dataclass(frozen=True)
class RenderRequest:
    kind: str
    subject_id: str
    revision: int
    data_json: str
    owner_enterprise_id: str | None
    # An account that may read the document besides the enterprise's users and officers.
    owner_account_id: str | None = None


def parse(kind: str, data_json: str) -> tuple[Template, FormData]:
    """The kind's template and its validated data, or ValidationFailed naming every bad field
    (paths as in the JSON, under `data`)."""
    template = TEMPLATES.get(kind)
    if template is None:
        raise ValidationFailed.single(
            "kind", "不支持的文件类型", f"unknown kind; one of {', '.join(sorted(TEMPLATES))}"
        )
    if len(data_json) > MAX_DATA_JSON:
        raise ValidationFailed.single("dataJson", "数据过大", "data_json is too large")
    try:
        raw: Any = json.loads(data_json)
    except ValueError as exc:
        raise ValidationFailed.single("dataJson", "数据不是有效的JSON", "not valid JSON") from exc
    try:
        return template, template.model.model_validate(raw)
    except ValidationError as exc:
        errors = FieldErrors()
        for error in exc.errors(include_url=False):
            path = ".".join(["data", *(str(part) for part in error["loc"])])
            errors.add(path, _MESSAGES.get(error["type"], "内容不正确"), error["msg"])
        errors.raise_if_any()
        raise  # unreachable: a ValidationError has errors


def canonical_content(kind: str, subject_id: str, revision: int, data: FormData) -> bytes:
    """What the verification token certifies: stable for the same validated data."""
    return json.dumps(
        {
            "kind": kind,
            "subjectId": subject_id,
            "revision": revision,
            "data": data.model_dump(mode="json"),
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    ).encode("utf-8")


def _check_request(request: RenderRequest) -> None:
    errors = FieldErrors()
    if not request.subject_id or len(request.subject_id) > 64:
        errors.add(
            "subjectId", "文件对象不能为空（不超过64字符）", "required, at most 64 characters"
        )
    if not 1 <= request.revision <= 2**31 - 1:
        errors.add("revision", "版本号须为正整数", "revision must be a positive integer")
    if request.owner_enterprise_id and len(request.owner_enterprise_id) > 64:
        errors.add("ownerEnterpriseId", "单位编号过长", "at most 64 characters")
    if request.owner_account_id and len(request.owner_account_id) > 64:
        errors.add("ownerAccountId", "账号编号过长", "at most 64 characters")
    errors.raise_if_any()


class Renderer:
    def __init__(self, db: Database, documents: GeneratedDocuments, zone: ZoneInfo) -> None:
        self.db = db
        self.documents = documents
        self.zone = zone

    async def render(self, request: RenderRequest) -> StoredDocument:
        """The stored document of (kind, subject, revision), rendered now if it does not exist.
        Validation comes first, so bad data is refused even when that revision exists. No
        database connection is held while the PDF is drawn."""
        _check_request(request)
        template, data = parse(request.kind, request.data_json)
        kind, subject, revision = request.kind, request.subject_id, request.revision
        async with self.db.unit_of_work() as session:
            stored = await self.documents.stored_revision(session, kind, subject, revision)
        if stored is not None:
            return stored
        content = canonical_content(kind, subject, revision, data)
        planned = self.documents.plan(kind, subject, revision, content)
        stamp = Stamp(
            document_id=planned.id,
            revision=revision,
            generated_at=planned.created_at,
            zone=self.zone,
            verification_url=planned.verification_url if template.carries_qr else None,
        )
        started = time.perf_counter()
        pdf = await asyncio.to_thread(template.render, data, stamp)
        log.info(
            "rendered %s of %s, revision %d: %d bytes in %.0f ms",
            kind,
            subject,
            revision,
            len(pdf),
            (time.perf_counter() - started) * 1000,
        )
        try:
            async with self.db.unit_of_work() as session:
                return await self.documents.store_generated(
                    session,
                    kind,
                    subject,
                    revision,
                    template.title,
                    pdf,
                    request.owner_enterprise_id,
                    owner_account_id=request.owner_account_id,
                    planned=planned,
                )
        except RevisionAlreadyStored:
            # Rendered concurrently by another call: the one stored first is the answer.
            async with self.db.unit_of_work() as session:
                stored = await self.documents.stored_revision(session, kind, subject, revision)
            if stored is None:
                raise
            return stored
