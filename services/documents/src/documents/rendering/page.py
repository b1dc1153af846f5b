"""The page every template shares: A4, the title band with the verification QR code at the top
right, and a footer with generation time, revision, document id and "page x of y".

Page totals are known only at the end, so the canvas keeps each finished page's state and
draws the chrome on all of them when the document is saved.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from documents.rendering import fonts, qr
from documents.rendering.text import draw_centred, draw_right, draw_runs

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 42.0
MARGIN_TOP = 30.0
MARGIN_BOTTOM = 46.0
QR_SIDE = 80.0
BAND = QR_SIDE + 22  # title band: the QR code, its caption and a gap
BAND_WITHOUT_QR = 62.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
GREY = Color(0.35, 0.35, 0.35)
TITLE_SIZE = 18.0
QR_FORM = "verification-qr"


@dataclass(frozen=True)
class Heading:
    title: str
    title_en: str | None = None


@dataclass(frozen=True)
class Stamp:
    """What every page prints about the document itself."""

    document_id: uuid.UUID
    revision: int
    generated_at: datetime
    zone: ZoneInfo
    # None: the document is not printed to come back (no QR code).
    verification_url: str | None


class _Chrome:
    def __init__(self, heading: Heading, stamp: Stamp) -> None:
        self.heading = heading
        self.stamp = stamp
        self.symbol = qr.matrix(stamp.verification_url) if stamp.verification_url else None
        local = stamp.generated_at.astimezone(stamp.zone)
        self.generated = f"{local:%Y-%m-%d %H:%M:%S} (UTC{local.isoformat()[-6:]})"

    def draw(self, canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        top = PAGE_HEIGHT - MARGIN_TOP
        right = PAGE_WIDTH - MARGIN_X
        if self.symbol is not None:
            if number == 1:  # drawn once, shown on every page
                canvas.beginForm(QR_FORM)
                qr.draw(canvas, self.symbol, right - QR_SIDE, top - QR_SIDE, QR_SIDE)
                canvas.endForm()
            canvas.doForm(QR_FORM)
            canvas.setFillColor(GREY)
            draw_centred(
                canvas, right - QR_SIDE / 2, top - QR_SIDE - 11, "扫码核验 Scan to verify", 6.5
            )
        self._title(canvas, top, continued=number > 1)
        self._footer(canvas, number, total)
        canvas.restoreState()

    def _title(self, canvas: Canvas, top: float, *, continued: bool) -> None:
        # Centred on the page, clear of the QR code on the right (and as much space on the left).
        available = CONTENT_WIDTH - 2 * (QR_SIDE + 22) if self.symbol else CONTENT_WIDTH
        title = self.heading.title + ("（续页）" if continued else "")
        size = TITLE_SIZE if not continued else 13.0
        size = min(size, size * available / fonts.width(title, size, bold=True))
        centre = PAGE_WIDTH / 2
        canvas.setFillColorRGB(0, 0, 0)
        baseline = top - 34 if not continued else top - 30
        draw_centred(canvas, centre, baseline, title, size, bold=True)
        if self.heading.title_en:
            canvas.setFillColor(GREY)
            english = self.heading.title_en + (" (continued)" if continued else "")
            draw_centred(canvas, centre, baseline - 17, english, 9.0)

    def _footer(self, canvas: Canvas, number: int, total: int) -> None:
        stamp = self.stamp
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.5)
        line = MARGIN_BOTTOM - 10
        canvas.line(MARGIN_X, line, PAGE_WIDTH - MARGIN_X, line)
        canvas.setFillColor(GREY)
        left = (
            f"生成时间 Generated: {self.generated}    "
            f"版本 Revision: 第 {stamp.revision} 版 (rev. {stamp.revision})"
        )
        draw_runs(canvas, MARGIN_X, line - 11, left, 7.5)
        draw_runs(canvas, MARGIN_X, line - 21, f"文件编号 Document ID: {stamp.document_id}", 7.0)
        pages = f"第 {number} 页 / 共 {total} 页   Page {number} of {total}"
        draw_right(canvas, PAGE_WIDTH - MARGIN_X, line - 11, pages, 7.5)


class _PagedCanvas(Canvas):
    """Keeps every page until `save`, then draws the chrome knowing the page count."""

    def __init__(self, *args: Any, chrome: _Chrome, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._chrome = chrome
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._chrome.draw(self, number, total)
            super().showPage()
        super().save()


def build_pdf(heading: Heading, stamp: Stamp, story: Sequence[Flowable], subject: str) -> bytes:
    """Lays `story` out on as many pages as it needs and returns the PDF."""
    fonts.face(fonts.REGULAR)
    fonts.face(fonts.BOLD)
    chrome = _Chrome(heading, stamp)
    band = BAND if chrome.symbol else BAND_WITHOUT_QR
    out = io.BytesIO()
    document = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP + band,
        bottomMargin=MARGIN_BOTTOM,
        title=heading.title,
        subject=subject,
        author="涉外单位与外国人就业服务平台",
        creator="documents service",
        producer="ReportLab",
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        CONTENT_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - band - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def canvasmaker(*args: Any, **kwargs: Any) -> _PagedCanvas:
        return _PagedCanvas(*args, chrome=chrome, **kwargs)

    document.build(list(story), canvasmaker=canvasmaker)
    return out.getvalue()
