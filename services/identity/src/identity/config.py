from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings

DEV_CODE_HASH_SECRET = "change-me-in-production"


class IdentitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="IDENTITY_", extra="ignore")

    http_port: int = 8001
    grpc_port: int = 50051
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1/identity"
    # Ed25519 private key (PEM). In dev/test a missing file is created on start.
    jwt_private_key_file: Path = Path("var/keys/identity-jwt.pem")
    # Key rotation: move the current key file here and create a new current one. Tokens signed
    # by the previous key stay valid until they expire, since the JWKS publishes both keys.
    jwt_previous_key_file: Path | None = None
    access_token_minutes: int = 15
    refresh_token_days: int = 14
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 2
    code_validity_seconds: int = 300
    code_max_attempts: int = 5
    code_resend_gap_seconds: int = 60
    codes_per_recipient_per_hour: int = 10
    codes_per_ip_per_hour: int = 30
    # Failed sign-ins (wrong password or unknown username) one client address may make in an
    # hour, whatever the accounts: the account lockout alone lets one address try a password on
    # every account. Past it, the address's sign-ins are refused until its failures age out.
    sign_in_failures_per_ip_per_hour: int = Field(default=50, ge=1)
    # How often a worker deletes failures older than the hour (they no longer count).
    sign_in_failure_sweep_seconds: float = 300.0
    # Secret mixed into stored verification-code hashes (a 6-digit code alone is guessable).
    code_hash_secret: str = DEV_CODE_HASH_SECRET
    approval_working_hours: float = 3.0
    documents_grpc_target: str = "127.0.0.1:50055"  # renders the question bank study PDF
    # E-mail: SMTP when a host is set, else the console sender (dev).
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_sender: str = "涉外单位服务平台 <noreply@permits.invalid>"

    @model_validator(mode="after")
    def _real_code_secret_in_production(self) -> IdentitySettings:
        """With the published default, stored code hashes of a leaked table are reversed by
        hashing the million 6-digit codes: production must bring its own secret."""
        if not self.is_dev and self.code_hash_secret == DEV_CODE_HASH_SECRET:
            raise ValueError("IDENTITY_CODE_HASH_SECRET must be set in production")
        return self
