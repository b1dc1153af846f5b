"""File storage behind a small interface, content-addressed by sha256.

`LocalStorage` keeps files under a directory (dev, tests, single host); `S3Storage`
(documents.storage_s3) keeps them in an S3-compatible bucket (production). A file is written
before the database transaction that refers to it commits; if that transaction rolls back, the
file stays behind unreferenced, which is harmless (same content, same key) and left to a later
clean-up.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

_KEY = re.compile(r"^sha256/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$")
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class StoredFile:
    key: str
    sha256: str
    size: int


class Storage(Protocol):
    async def put(self, content: bytes) -> StoredFile: ...

    async def get(self, key: str) -> bytes: ...

    async def open(self, key: str) -> AsyncIterator[bytes]:
        """The file in chunks, for streaming. Raises FileNotFoundError (before the first chunk)
        when it is missing."""
        ...

    async def close(self) -> None: ...


def key_for(sha256: str) -> str:
    return f"sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def check_key(key: str) -> str:
    """Only keys this module makes are used, so no key can point outside the store."""
    match = _KEY.match(key)
    if match is None or match.group(3)[:4] != match.group(1) + match.group(2):
        raise ValueError(f"not a storage key: {key!r}")
    return key


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    async def put(self, content: bytes) -> StoredFile:
        digest = hashlib.sha256(content).hexdigest()
        key = key_for(digest)
        await asyncio.to_thread(self._write, self._path(key), content)
        return StoredFile(key=key, sha256=digest, size=len(content))

    @staticmethod
    def _write(path: Path, content: bytes) -> None:
        if path.exists():
            return  # same key, same bytes
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
        partial.write_bytes(content)
        os.replace(partial, path)  # readers never see a half-written file

    async def get(self, key: str) -> bytes:
        """Raises FileNotFoundError when the file is missing."""
        return await asyncio.to_thread(self._path(key).read_bytes)

    async def open(self, key: str) -> AsyncIterator[bytes]:
        handle = await asyncio.to_thread(self._path(key).open, "rb")
        return _chunks(handle)

    async def close(self) -> None:
        return None


async def _chunks(handle: BinaryIO) -> AsyncIterator[bytes]:
    try:
        while chunk := await asyncio.to_thread(handle.read, CHUNK_BYTES):
            yield chunk
    finally:
        handle.close()
