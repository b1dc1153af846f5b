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


class ProcessRole(StrEnum):
    """What one `<service> serve` process runs, so that an orchestrator can scale the request
    path and the event path apart: `api` serves HTTP (GraphQL), gRPC and probes; `worker` runs
    the outbox relay, the inbox consumers and background loops (sweepers) behind a probe-only
    HTTP server; `all` runs both, as `./dev up` and the tests do."""

    ALL = "all"
    API = "api"
    WORKER = "worker"

    @property
    def serves_requests(self) -> bool:
        return self is not ProcessRole.WORKER

    @property
    def runs_workers(self) -> bool:
        return self is not ProcessRole.API


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
    # The proxies whose X-Forwarded-For names the client (the gateway, an ingress): addresses and
    # networks, comma-separated; `*` believes every caller. The same variable as uvicorn's.
    forwarded_allow_ips: str = Field(default="127.0.0.1", validation_alias="FORWARDED_ALLOW_IPS")
    outbox_poll_seconds: float = 1.0
    # Sent outbox rows are deleted this long after they were sent (0: kept for ever); the worker
    # looks every `outbox_prune_seconds`. Unsent rows are never deleted.
    outbox_retention_days: float = Field(default=7.0, ge=0)
    outbox_prune_seconds: float = 3600.0
    # `<SERVICE>_PROCESS_ROLE` or `serve --role`; with a separate worker, commits in the API
    # process cannot wake the relay, so the worker finds rows by polling every
    # `outbox_poll_seconds` (lower it there, e.g. 0.2, to bound the extra latency).
    process_role: ProcessRole = ProcessRole.ALL
    consumer_max_attempts: int = 5
    consumer_backoff_seconds: float = 0.2
    grpc_deadline_seconds: float = 3.0
    # Where alembic.ini and migrations/ are; default: the service's source tree.
    service_root: Path | None = None
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)

    @property
    def is_dev(self) -> bool:
        return self.app_env in (AppEnv.DEV, AppEnv.TEST)
