from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings


class PersonnelSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PERSONNEL_", extra="ignore")

    http_port: int = 8003
    grpc_port: int = 50053
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1/personnel"
    filing_grpc_target: str = "127.0.0.1:50052"
