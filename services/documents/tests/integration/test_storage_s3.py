"""The S3-compatible storage against a real S3 API server process (moto in server mode, started
by the harness): content-addressed, one object per content, streaming reads, and a whole
documents service that keeps its uploads there."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import pytest
from aiobotocore.session import get_session
from pydantic import SecretStr

from devstack.infra import free_port
from devstack.testing import TestIssuer, running
from documents.config import DocumentsSettings
from documents.inject import build_container, build_parts
from documents.storage import CHUNK_BYTES
from documents.storage_s3 import S3Storage
from servicekit.runtime import build_app

from .uploads import pdf, upload

if TYPE_CHECKING:
    from conftest import Service

CREDENTIALS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}


@pytest.fixture(scope="module")
async def s3_bucket(s3_endpoint: str) -> str:
    bucket = f"documents-{uuid.uuid4().hex[:8]}"
    async with get_session().create_client(
        "s3", endpoint_url=s3_endpoint, region_name="us-east-1", **CREDENTIALS
    ) as s3:
        await s3.create_bucket(Bucket=bucket)
    return bucket


async def object_keys(endpoint: str, bucket: str) -> list[str]:
    async with get_session().create_client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS
    ) as s3:
        listing: dict[str, Any] = await s3.list_objects_v2(Bucket=bucket)
    return [item["Key"] for item in listing.get("Contents", [])]


@pytest.fixture
async def storage(s3_endpoint: str, s3_bucket: str) -> AsyncIterator[S3Storage]:
    store = S3Storage(
        bucket=s3_bucket,
        endpoint_url=s3_endpoint,
        region="us-east-1",
        access_key_id=CREDENTIALS["aws_access_key_id"],
        secret_access_key=CREDENTIALS["aws_secret_access_key"],
    )
    yield store
    await store.close()


async def test_s3_files_are_stored_under_their_sha256_once_and_read_back(
    storage: S3Storage, s3_endpoint: str, s3_bucket: str
) -> None:
    content = os.urandom(3 * CHUNK_BYTES + 17)
    digest = hashlib.sha256(content).hexdigest()
    stored = await storage.put(content)
    assert (stored.sha256, stored.size) == (digest, len(content))
    assert stored.key == f"sha256/{digest[:2]}/{digest[2:4]}/{digest}"
    assert (await storage.put(content)).key == stored.key
    assert [k for k in await object_keys(s3_endpoint, s3_bucket) if digest in k] == [stored.key]

    assert await storage.get(stored.key) == content
    chunks = [chunk async for chunk in await storage.open(stored.key)]
    assert b"".join(chunks) == content
    assert len(chunks) > 1  # streamed, not read whole


async def test_a_missing_s3_object_is_reported_and_foreign_keys_are_refused(
    storage: S3Storage,
) -> None:
    missing = "sha256/ab/cd/abcd" + "0" * 60
    with pytest.raises(FileNotFoundError):
        await storage.get(missing)
    with pytest.raises(FileNotFoundError):
        await storage.open(missing)
    with pytest.raises(ValueError, match="not a storage key"):
        await storage.get("../other-bucket/secret")


@pytest.fixture(scope="module")
async def s3_documents(
    documents: Service, documents_settings: DocumentsSettings, s3_endpoint: str, s3_bucket: str
) -> AsyncIterator[Service]:
    """A second documents service, configured like production: files in the S3 bucket."""
    settings = documents_settings.model_copy(
        update={
            "grpc_port": free_port(),
            "storage_backend": "s3",
            "s3_endpoint_url": s3_endpoint,
            "s3_bucket": s3_bucket,
            "s3_access_key_id": CREDENTIALS["aws_access_key_id"],
            "s3_secret_access_key": SecretStr(CREDENTIALS["aws_secret_access_key"]),
            "storage_dir": documents_settings.storage_dir.with_name("no-local-files"),
        }
    )
    container = build_container(settings)
    assert isinstance(container.storage, S3Storage)
    async with running(build_app(build_parts(container))) as client:
        yield type(documents)(client, container, settings, documents.filing)


async def test_an_upload_to_a_service_on_s3_lands_in_the_bucket_and_downloads(
    s3_documents: Service, issuer: TestIssuer, s3_endpoint: str, s3_bucket: str
) -> None:
    account, _ = s3_documents.filing.new_enterprise_user()
    content = pdf(pages=2)
    body = await upload(s3_documents.client, content, token=issuer.token(account))
    attachment = body["data"]["uploadAttachment"]
    digest = hashlib.sha256(content).hexdigest()
    assert attachment["sha256"] == digest
    assert f"sha256/{digest[:2]}/{digest[2:4]}/{digest}" in await object_keys(
        s3_endpoint, s3_bucket
    )
    assert not s3_documents.settings.storage_dir.exists()

    response = await s3_documents.client.get(attachment["url"])
    assert (response.status_code, response.content) == (200, content)
    assert response.headers["content-type"] == "application/pdf"
