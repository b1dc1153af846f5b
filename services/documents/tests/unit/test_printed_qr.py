"""Reading a printed form's QR code back: the token out of the verification URL, from a PDF page
or a picture, and nothing (quickly) from files without a code or with an absurd page size."""

from __future__ import annotations

import io
import time
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
from PIL import Image
from pypdf import PdfWriter

from documents.attachments.printed import token_of, tokens_in
from documents.attachments.schemas import JPEG, PDF, PNG
from documents.rendering.examples import EXAMPLES
from documents.rendering.page import Stamp
from documents.rendering.registry import TEMPLATES

TOKEN = "T" * 138


@pytest.mark.parametrize(
    ("text", "token"),
    [
        (f"https://permits.example/verify/{TOKEN}", TOKEN),
        (f"https://permits.example/verify/{TOKEN}/", TOKEN),
        (f"https://permits.example/verify?token={TOKEN}", TOKEN),
        (f"https://permits.example/verify/x?token={TOKEN}", TOKEN),
        (TOKEN, TOKEN),
        ("https://permits.example/", None),
        ("", None),
    ],
)
def test_the_token_is_the_token_parameter_or_the_last_path_segment(
    text: str, token: str | None
) -> None:
    assert token_of(text) == token


def form(url: str) -> bytes:
    template = TEMPLATES["ENTERPRISE_CHANGE_FORM"]
    stamp = Stamp(
        document_id=uuid.uuid4(),
        revision=2,
        generated_at=datetime(2026, 11, 27, 9, 30, tzinfo=UTC),
        zone=ZoneInfo("Asia/Shanghai"),
        verification_url=url,
    )
    return template.render(template.model.model_validate(EXAMPLES[template.kind]), stamp)


def picture(pdf: bytes, file_format: str) -> bytes:
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=2).to_pil().convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, file_format)
    return buffer.getvalue()


def test_the_token_is_read_from_the_pdf_and_from_pictures_of_it() -> None:
    pdf = form(f"http://documents.test/verify/{TOKEN}")
    assert tokens_in(pdf, PDF) == [TOKEN]
    assert tokens_in(picture(pdf, "PNG"), PNG) == [TOKEN]
    assert tokens_in(picture(pdf, "JPEG"), JPEG) == [TOKEN]


def blank_pdf(width: float, height: float) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width, height)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_file_without_a_code_gives_no_token_and_a_huge_page_is_rendered_small() -> None:
    assert tokens_in(blank_pdf(595, 842), PDF) == []
    started = time.perf_counter()
    assert tokens_in(blank_pdf(14_400, 14_400), PDF) == []  # 200 in by 200 in: PDF's maximum
    assert time.perf_counter() - started < 5
    blank = io.BytesIO()
    Image.new("RGB", (8000, 6000), "white").save(blank, "JPEG")
    assert tokens_in(blank.getvalue(), JPEG) == []
