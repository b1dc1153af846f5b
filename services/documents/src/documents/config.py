from __future__ import annotations

from pathlib import Path

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
    # Longer tokens are rejected unread (a real one is a few hundred characters).
    max_token_length: int = 1024
