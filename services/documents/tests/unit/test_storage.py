"""Local file storage is content-addressed and never leaves its root."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import pytest

from documents.storage import LocalStorage


async def test_files_are_stored_under_their_sha256_and_read_back(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    content = b"%PDF-1.7 hello"
    stored = await storage.put(content)
    digest = hashlib.sha256(content).hexdigest()
    assert stored.sha256 == digest
    assert stored.size == len(content)
    assert stored.key == f"sha256/{digest[:2]}/{digest[2:4]}/{digest}"
    assert await storage.get(stored.key) == content
    assert (await storage.put(content)).key == stored.key
    files = await asyncio.to_thread(lambda: [p.name for p in tmp_path.rglob("*") if p.is_file()])
    assert files == [digest]


@pytest.mark.parametrize(
    "key", ["../../etc/passwd", "sha256/00/00/../../x", "sha256/ab/cd/" + "0" * 64, "/etc/passwd"]
)
async def test_keys_that_are_not_storage_keys_are_refused(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError, match="not a storage key"):
        await LocalStorage(tmp_path).get(key)


async def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    key = "sha256/ab/cd/abcd" + "0" * 60
    with pytest.raises(FileNotFoundError):
        await LocalStorage(tmp_path).get(key)
