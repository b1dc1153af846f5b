"""Signed download links, the download's Content-Disposition, and streaming local files."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from documents.attachments.links import DownloadLinks, key_from_signing_key
from documents.storage import CHUNK_BYTES, LocalStorage
from documents.web.attachments import content_disposition

NOW = 1_800_000_000.0
ID = "0b7f1f38-7d55-4bfa-9d8c-3f0c0d1b0a11"


def parts(url: str) -> tuple[str, str, str]:
    split = urlsplit(url)
    query = parse_qs(split.query)
    return split.path, query["expires"][0], query["sig"][0]


def test_a_link_is_valid_for_its_attachment_until_it_expires() -> None:
    links = DownloadLinks(b"k" * 32, "https://files.example.cn/", ttl_seconds=600)
    url = links.url_for(ID, now=NOW)
    _, expires, sig = parts(url)
    assert url.startswith(f"https://files.example.cn/attachments/{ID}?expires=1800000600&sig=")
    assert links.is_valid(ID, expires, sig, now=NOW + 600)
    assert not links.is_valid(ID, expires, sig, now=NOW + 601)
    assert not links.is_valid(ID.replace("0b", "1b"), expires, sig, now=NOW)
    assert not links.is_valid(ID, str(int(expires) + 1), sig, now=NOW)
    assert not links.is_valid(ID, expires, sig[:-1], now=NOW)
    assert not links.is_valid(ID, expires, None, now=NOW)
    assert not links.is_valid(ID, "-1", sig, now=NOW)
    assert not links.is_valid(ID, "9" * 40, sig, now=NOW)


def test_links_signed_with_another_key_are_not_valid() -> None:
    ours = DownloadLinks(b"a" * 32, "http://x", ttl_seconds=600)
    theirs = DownloadLinks(b"b" * 32, "http://x", ttl_seconds=600)
    _, expires, sig = parts(theirs.url_for(ID, now=NOW))
    assert not ours.is_valid(ID, expires, sig, now=NOW)


def test_the_default_key_derives_from_the_signing_key_one_way() -> None:
    key = Ed25519PrivateKey.generate()
    derived = key_from_signing_key(key)
    assert derived == key_from_signing_key(key)
    assert derived != key_from_signing_key(Ed25519PrivateKey.generate())
    assert len(derived) == 32
    with pytest.raises(ValueError, match="at least 16 bytes"):
        DownloadLinks(b"short", "http://x", ttl_seconds=600)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("licence.pdf", "attachment; filename=\"licence.pdf\"; filename*=UTF-8''licence.pdf"),
        (
            "营业执照.pdf",
            'attachment; filename="attachment.pdf"; '
            "filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf",
        ),
        (
            "scan 2026;x.png",
            "attachment; filename=\"scan_2026_x.png\"; filename*=UTF-8''scan%202026%3Bx.png",
        ),
    ],
)
def test_the_download_name_is_rfc_5987_encoded_with_an_ascii_fallback(
    name: str, expected: str
) -> None:
    assert content_disposition(name) == expected


async def test_a_local_file_is_streamed_in_chunks(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    content = os.urandom(2 * CHUNK_BYTES + 1)
    stored = await storage.put(content)
    chunks = [chunk async for chunk in await storage.open(stored.key)]
    assert [len(c) for c in chunks] == [CHUNK_BYTES, CHUNK_BYTES, 1]
    assert b"".join(chunks) == content
    with pytest.raises(FileNotFoundError):
        await storage.open("sha256/ab/cd/abcd" + "0" * 60)
