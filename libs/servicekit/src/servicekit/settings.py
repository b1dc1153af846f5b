"""Settings base: every service subclasses it with its own env prefix (IDENTITY_, FILING_, ...)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class AppEnv(StrEnum):
    DEV = "dev"
    TEST = "test"
    PRODUCTION = "production"


class KafkaSettings(BaseSettings):
    """Broker settings shared by every service (no prefix: one broker for the platform)."""

    model_config = SettingsConfigDict(env_prefix="KAFKA_", extra="ignore")

    bootstrap_servers: str = "127.0.0.1:9092"
    # Low on purpose: the embedded broker answers a fetch only when max_wait expires.
    fetch_max_wait_ms: int = 20


class ServiceSettings(BaseSettings):
    """Fields every service has. Subclasses set `model_config` with their env prefix."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    app_env: AppEnv = Field(default=AppEnv.PRODUCTION, validation_alias="APP_ENV")
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    grpc_host: str = "127.0.0.1"
    grpc_port: int = 50050
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1/postgres"
    database_pool_size: int = 10
    jwks_url: str = Field(
        default="http://127.0.0.1:8001/.well-known/jwks.json", validation_alias="JWKS_URL"
    )
    jwt_issuer: str = Field(default="permits-identity", validation_alias="JWT_ISSUER")
    jwt_audience: str = Field(default="permits-platform", validation_alias="JWT_AUDIENCE")
    log_level: str = Field(default="INFO", validation_alias="LOG_LEVEL")
    outbox_poll_seconds: float = 1.0
    consumer_max_attempts: int = 5
    consumer_backoff_seconds: float = 0.2
    grpc_deadline_seconds: float = 3.0
    # Where alembic.ini and migrations/ are; default: the service's source tree.
    service_root: Path | None = None
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)

    @property
    def is_dev(self) -> bool:
        return self.app_env in (AppEnv.DEV, AppEnv.TEST)
