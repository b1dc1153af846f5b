"""The `Storage` interface over an S3-compatible bucket (AWS S3, MinIO, Ceph RGW…), with
aiobotocore. Same keys as the local store (`sha256/ab/cd/<sha256>`), so a blob is written once
however often its bytes are uploaded."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
from collections.abc import AsyncIterator
from typing import Any

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.exceptions import ClientError

from documents.storage import CHUNK_BYTES, StoredFile, check_key, key_for

_MISSING = {"404", "NoSuchKey", "NotFound"}


def _is_missing(error: ClientError) -> bool:
    return str(error.response.get("Error", {}).get("Code")) in _MISSING


class S3Storage:
    def __init__(
        self,
        *,
        bucket: str,
        endpoint_url: str | None,
        region: str,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
    ) -> None:
        self.bucket = bucket
        self._options: dict[str, Any] = {
            "region_name": region,
            "endpoint_url": endpoint_url,
            "aws_access_key_id": access_key_id,
            "aws_secret_access_key": secret_access_key,
            # Path-style addressing works with every S3-compatible server, whatever its DNS.
            "config": AioConfig(
                s3={"addressing_style": "path"},
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=5,
                read_timeout=30,
            ),
        }
        self._stack: contextlib.AsyncExitStack | None = None
        self._client: Any = None
        self._lock = asyncio.Lock()

    async def _s3(self) -> Any:
        """The client opens on first use, inside the serving event loop."""
        async with self._lock:
            if self._client is None:
                stack = contextlib.AsyncExitStack()
                self._client = await stack.enter_async_context(
                    get_session().create_client("s3", **self._options)
                )
                self._stack = stack
            return self._client

    async def put(self, content: bytes) -> StoredFile:
        digest = hashlib.sha256(content).digest()
        sha256 = digest.hex()
        key = key_for(sha256)
        if not await self._exists(key):
            s3 = await self._s3()
            await s3.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=content,
                # S3 (and MinIO) refuse the object when the bytes they got differ.
                ChecksumSHA256=base64.b64encode(digest).decode("ascii"),
            )
        return StoredFile(key=key, sha256=sha256, size=len(content))

    async def _exists(self, key: str) -> bool:
        s3 = await self._s3()
        try:
            await s3.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _is_missing(exc):
                return False
            raise
        return True

    async def _body(self, key: str) -> Any:
        s3 = await self._s3()
        try:
            response = await s3.get_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as exc:
            if _is_missing(exc):
                raise FileNotFoundError(key) from exc
            raise
        return response["Body"]

    async def get(self, key: str) -> bytes:
        """Raises FileNotFoundError when the object is missing."""
        body = await self._body(key)
        async with body as stream:
            data: bytes = await stream.read()
        return data

    async def open(self, key: str) -> AsyncIterator[bytes]:
        return _chunks(await self._body(key))

    async def close(self) -> None:
        async with self._lock:
            if self._stack is not None:
                stack, self._stack, self._client = self._stack, None, None
                await stack.aclose()


async def _chunks(body: Any) -> AsyncIterator[bytes]:
    async with body as stream:
        while chunk := await stream.read(CHUNK_BYTES):
            yield chunk
