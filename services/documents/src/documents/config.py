from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings


class DocumentsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DOCUMENTS_", extra="ignore")

    http_port: int = 8005
    grpc_port: int = 50055
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1/documents"
    # Ed25519 private key (PEM) that signs verification tokens. In dev/test a missing file is
    # created on start; in production it must exist. Its public part is kept in `signing_keys`,
    # so tokens signed before a key rotation stay verifiable.
    signing_key_file: Path = Path("var/keys/documents-signing.pem")
    # Base URL of this service as printed in QR codes (`<public_url>/verify/<token>`) and in
    # `Document.url` (`<public_url>/documents/<id>`).
    public_url: str = "http://127.0.0.1:8005"
    # Root of the local file storage (content-addressed by sha256).
    storage_dir: Path = Path("var/files")
    # filing.v1.Enterprises: which enterprise an ENTERPRISE_USER acts for.
    filing_grpc_target: str = "127.0.0.1:50052"
    # Time zone of the issue time shown on the public verify page.
    display_timezone: str = "Asia/Shanghai"
    # Longer tokens are rejected unread (a real one is 138 characters).
    max_token_length: int = 1024

    # --- Attachments (uploaded files) ---
    # Checked by content: PDF, JPEG or PNG only, at most this many bytes.
    attachment_max_bytes: int = 10 * 1024 * 1024
    # Images larger than this (either side, or in pixels) are refused before they are decoded.
    attachment_max_image_side: int = 10_000
    attachment_max_image_pixels: int = 50_000_000
    # Longer file names are shortened (the extension is kept).
    attachment_max_file_name_length: int = 120
    # Download links (`Attachment.url`) are signed with HMAC-SHA256 and expire. Without a secret
    # the key is derived from the signing key file above.
    download_url_secret: SecretStr | None = None
    download_url_ttl_seconds: int = 600

    # --- Storage backend: a local directory (`storage_dir`) or an S3-compatible bucket ---
    storage_backend: Literal["local", "s3"] = "local"
    s3_endpoint_url: str | None = None  # None: AWS itself
    s3_bucket: str = "documents"
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None  # None: the default AWS credential chain
    s3_secret_access_key: SecretStr | None = None
