"""The public verify page says what the verification found, and escapes everything."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from documents.verification.schemas import NOT_GENUINE, Verification
from documents.web.verify_page import render_page

SHANGHAI = ZoneInfo("Asia/Shanghai")


def genuine(**changes: object) -> Verification:
    values: dict[str, object] = {
        "genuine": True,
        "kind": "FILING_APPLICATION_FORM",
        "subject_id": str(uuid.uuid4()),
        "revision": 3,
        "current": True,
        "issued_at": datetime(2026, 11, 3, 6, 5, 9, tzinfo=UTC),
    }
    values.update(changes)
    return Verification(**values)  # type: ignore[arg-type]


def test_a_genuine_current_document_shows_revision_and_local_issue_time() -> None:
    page = render_page(genuine(), SHANGHAI)
    assert "真实有效" in page
    assert "非本系统签发" not in page
    assert "第 3 版" in page
    assert "当前有效版本" in page
    assert "已被新版本替代" not in page
    assert "2026-11-03 14:05:09 (UTC+08:00)" in page
    assert 'name="viewport"' in page


def test_a_superseded_document_says_so() -> None:
    page = render_page(genuine(current=False), SHANGHAI)
    assert "真实有效" in page
    assert "已被新版本替代" in page
    assert "当前有效版本" not in page


def test_a_forged_token_shows_not_issued_here_and_no_details() -> None:
    page = render_page(NOT_GENUINE, SHANGHAI)
    assert "非本系统签发" in page
    assert "Not issued by this system" in page
    assert "真实有效" not in page
    assert "<dl>" not in page


def test_every_value_is_escaped() -> None:
    page = render_page(genuine(kind='<script>alert("x")</script>&'), SHANGHAI)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in page
