"""Pytest plugin shared by every test suite: real PostgreSQL and broker processes started by the
harness (never by hand), a JWKS issuer for signing test tokens, and running services in-process.

Enable with `pytest_plugins = ["devstack.testing"]` (the root conftest does)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.engine import Engine

from devstack.infra import Broker, Postgres, free_port
from devstack.stack import ROOT

ISSUER = "permits-identity"
AUDIENCE = "permits-platform"


class TestIssuer:
    """Signs access tokens like identity does and serves its JWKS on a loopback port."""

    __test__ = False

    def __init__(self) -> None:
        self.key = Ed25519PrivateKey.generate()
        raw = self.key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        x = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
        self.kid = hashlib.sha256(x.encode()).hexdigest()[:16]
        self.jwks = {
            "keys": [
                {
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "x": x,
                    "kid": self.kid,
                    "use": "sig",
                    "alg": "EdDSA",
                }
            ]
        }
        body = json.dumps(self.jwks).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/.well-known/jwks.json"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def token(
        self,
        account_id: str | None = None,
        roles: list[str] | None = None,
        *,
        districts: list[str] | None = None,
        expires_in: int = 900,
        key: Ed25519PrivateKey | None = None,
        **claims: Any,
    ) -> str:
        now = datetime.now(UTC)
        payload = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": account_id or str(uuid.uuid4()),
            "iat": now,
            "exp": now + timedelta(seconds=expires_in),
            "roles": roles or ["ENTERPRISE_USER"],
            "districts": districts or [],
            "name": "测试用户",
            **claims,
        }
        return jwt.encode(payload, key or self.key, algorithm="EdDSA", headers={"kid": self.kid})

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture(scope="session")
def test_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    path = ROOT / "var" / "test" / worker
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def postgres(test_var: Path) -> Iterator[Postgres]:
    server = Postgres(test_var / "pgdata")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def broker(test_var: Path) -> Iterator[Broker]:
    server = Broker(test_var / "broker.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def issuer() -> Iterator[TestIssuer]:
    value = TestIssuer()
    yield value
    value.close()


def migrated_database(postgres: Postgres, service: str, name: str | None = None) -> str:
    """A fresh database for `service` with its migrations applied; returns its URL."""
    database = name or f"test_{service}_{uuid.uuid4().hex[:8]}"
    url = asyncio.run(postgres.ensure_database(database, fresh=True))
    # A test database is migrated with test settings (production settings demand real secrets).
    env = {"APP_ENV": "test", **os.environ, f"{service.upper()}_DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-m", f"{service}.cli", "migrate"],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return url


@contextmanager
def statements_reading(table: str) -> Iterator[list[str]]:
    """The SQL statements that read `table` (`FROM table`) while the block runs, on every engine
    of this process: tests of a service running in-process count its queries with it."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if f"FROM {table}" in statement:
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Runs the app's lifespan (gRPC server, relay, consumers) and gives an HTTP client to it."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            yield client


async def graphql(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
    path: str = "/graphql",
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    all_headers = dict(headers or {})
    if token:
        all_headers["authorization"] = f"Bearer {token}"
    response = await client.post(
        path, json={"query": query, "variables": variables or {}}, headers=all_headers
    )
    body: dict[str, Any] = response.json()
    return body


def error_code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors") or []
    return errors[0].get("extensions", {}).get("code") if errors else None
