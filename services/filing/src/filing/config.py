from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings


class FilingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FILING_", extra="ignore")

    http_port: int = 8002
    grpc_port: int = 50052
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1/filing"
    identity_grpc_target: str = "127.0.0.1:50051"
