"""What an upload must be, judged by its bytes, and the file name it is kept under."""

from __future__ import annotations

import io
import zlib

import pytest
from PIL import Image
from pypdf import PdfWriter

from documents.attachments.checks import check_content, detect_type, sanitise_file_name
from documents.attachments.schemas import JPEG, PDF, PNG, FileLimits
from servicekit.errors import ValidationFailed

LIMITS = FileLimits(
    max_bytes=1024 * 1024, max_image_side=2000, max_image_pixels=1_000_000, max_file_name_length=40
)


def pdf(password: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if password:
        writer.encrypt(user_password=password, owner_password=password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def picture(file_format: str, width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (width, height)).save(buffer, file_format)
    return buffer.getvalue()


def refusal(content: bytes) -> str:
    with pytest.raises(ValidationFailed) as raised:
        check_content(content, LIMITS)
    [field] = raised.value.fields
    assert field.path == "file"
    return field.message.en


def test_the_type_comes_from_the_magic_bytes_only() -> None:
    assert detect_type(pdf()) is PDF
    assert detect_type(picture("PNG", 3, 3)) is PNG
    assert detect_type(picture("JPEG", 3, 3)) is JPEG
    assert detect_type(b"GIF89a...") is None
    assert detect_type(b" %PDF-1.7") is None  # not at the start


def test_sound_files_within_the_limits_pass() -> None:
    assert check_content(pdf(), LIMITS) is PDF
    assert check_content(picture("PNG", 2000, 500), LIMITS) is PNG
    assert check_content(picture("JPEG", 1000, 1000), LIMITS) is JPEG


def test_an_image_over_the_side_or_pixel_limit_is_refused_before_decoding() -> None:
    assert "too large (2001×10)" in refusal(picture("PNG", 2001, 10))
    assert "too large (1001×1000)" in refusal(picture("JPEG", 1001, 1000))


def test_a_header_that_claims_huge_dimensions_is_refused_without_decoding() -> None:
    # A valid PNG header saying 100000×100000 followed by nothing: a decompression bomb's shape.
    png = picture("PNG", 1, 1)
    header = (100_000).to_bytes(4, "big") * 2 + png[24:29]
    crc = zlib.crc32(b"IHDR" + header).to_bytes(4, "big")
    forged = png[:16] + header + crc + png[33:]
    assert "too large" in refusal(forged)


def test_a_password_protected_pdf_is_refused_with_its_own_message() -> None:
    assert "password-protected" in refusal(pdf(password="秘密"))


def test_a_pdf_without_its_end_or_with_a_broken_body_is_refused() -> None:
    content = pdf()
    assert "damaged or incomplete" in refusal(content[: len(content) // 2])
    assert "damaged or incomplete" in refusal(b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")


def test_a_file_one_byte_over_the_size_limit_is_refused() -> None:
    assert "too large (at most 1 MiB)" in refusal(b"%PDF-" + bytes(LIMITS.max_bytes - 4))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("营业执照.pdf", "营业执照.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\王\\Desktop\\执照.PDF", "执照.pdf"),
        ("a\x00b\r\nc.pdf", "abc.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe.pdf"),  # RTL override would show "exe.pdf"
        ("..", "attachment.pdf"),
        ("", "attachment.pdf"),
        (None, "attachment.pdf"),
        ("   .bashrc", "bashrc.pdf"),
        ('合同 "终版" <1>?.pdf', "合同 _终版_ _1__.pdf"),
        ("合同%22终版%22.pdf", "合同_终版_.pdf"),  # how browsers send `"`
        ("𠮷野家 䶮.pdf", "𠮷野家 䶮.pdf"),  # rare characters are kept
        ("长" * 100 + ".pdf", "长" * 36 + ".pdf"),
        ("scan", "scan.pdf"),
    ],
)
def test_file_names_are_sanitised(name: str | None, expected: str) -> None:
    kept = sanitise_file_name(name, PDF, max_length=40)
    assert kept == expected
    assert len(kept) <= 40


def test_an_image_keeps_its_own_extension_and_gets_one_when_the_name_lies() -> None:
    assert sanitise_file_name("photo.jpeg", JPEG, 40) == "photo.jpeg"
    assert sanitise_file_name("photo.JPG", JPEG, 40) == "photo.jpg"
    assert sanitise_file_name("photo.pdf", PNG, 40) == "photo.pdf.png"
